// Runs the rules and turns their drafts into findings: placed on the image line (or where an
// inventory diagnostic points), with the configured severity (or `off`), capped where the rule
// says the occurrence deserves less, and with any credential in the image string masked.
import type { ScanConfig } from '../config/types.js'
import type { Diagnostic, Finding, ImageStatus, LookupFailure, Severity } from '../model.js'
import { COULD_NOT_VERIFY_RULES } from '../rules/index.js'
import { lessSevere, type FindingDraft, type ImageCheck, type Rule, type RuleContext } from '../rules/types.js'
import { redactImage } from '../reference/embedded-credentials.js'
import { couldNotAsk } from './verdict.js'

/** The severity a rule's findings get under this configuration, or null when the rule is off. */
export function configuredSeverity(rule: Rule, config: ScanConfig): Severity | null {
  const setting = config.rules[rule.id]
  if (setting === 'off') return null
  return setting ?? rule.defaultSeverity
}

/** The findings of every enabled rule for one image use, on the line of its `image:` value. */
export function evaluateImage(check: ImageCheck, rules: readonly Rule[], context: RuleContext): Finding[] {
  const { use } = check
  return runRules(rules, context, (rule) => rule.checkImage?.(check, context), {
    file: use.file,
    line: use.line,
    column: use.column,
    ...(use.endColumn === undefined ? {} : { endColumn: use.endColumn }),
    image: redactImage(use.image),
    canonical: use.reference?.canonical ?? null,
    source: use.source
  })
}

/** The findings for one inventory diagnostic; empty when no enabled rule turns it into one. */
export function evaluateDiagnostic(diagnostic: Diagnostic, rules: readonly Rule[], context: RuleContext): Finding[] {
  return runRules(rules, context, (rule) => rule.checkDiagnostic?.(diagnostic, context), {
    file: diagnostic.file,
    line: diagnostic.line,
    column: diagnostic.column ?? 1,
    image: null,
    canonical: null,
    source: null
  })
}

/** Where a finding sits and what it is about: everything but what the rule and its draft decide. */
type FindingPlace = Omit<Finding, 'rule' | 'severity' | 'message' | 'fix' | 'related'>

/** Runs `check` for every enabled rule (undefined: the rule has no such check) and places each draft at `place`. */
function runRules(rules: readonly Rule[], context: RuleContext, check: (rule: Rule) => FindingDraft[] | undefined, place: FindingPlace): Finding[] {
  const findings: Finding[] = []
  for (const rule of rules) {
    const severity = configuredSeverity(rule, context.config)
    if (severity === null) continue
    for (const draft of check(rule) ?? []) {
      findings.push({
        rule: rule.id,
        severity: draft.severityCap === undefined ? severity : lessSevere(severity, draft.severityCap),
        message: draft.message,
        fix: draft.fix ?? rule.fix,
        ...(draft.related === undefined || draft.related.length === 0 ? {} : { related: draft.related }),
        ...place
      })
    }
  }
  return findings
}

/** What the scan concluded about an image use, from its findings and the registry's answers. */
export function imageStatus(check: ImageCheck, findings: readonly Finding[], ignored: boolean): ImageStatus {
  if (findings.some((finding) => finding.severity === 'error' && !COULD_NOT_VERIFY_RULES.has(finding.rule))) return 'problem'
  if (ignored || check.registry === null) return 'skipped'
  const { existence, access } = check.registry
  if (existence.kind === 'unknown' || access.kind === 'unknown') return 'unverified'
  if (findings.some((finding) => COULD_NOT_VERIFY_RULES.has(finding.rule))) return 'unverified'
  return 'ok'
}

/**
 * The failure that decided an image use's status, when there was one. `sizeMatters` as for
 * `couldNotAsk`: an unknown size is such a failure only when image-too-large is on.
 */
export function decidingFailure(check: ImageCheck, sizeMatters = true): LookupFailure | null {
  if (check.registry === null) return null
  const { existence, access } = check.registry
  if (existence.kind !== 'found') return existence.failure
  switch (access.kind) {
    case 'denied':
    case 'unknown':
      return access.failure
    case 'rejected': {
      const first = access.refused[0]?.result
      return first === undefined || first.status === 'found' ? null : first
    }
    default:
      // The image is there and the kubelet gets in; a later question may still have gone unasked.
      return couldNotAsk(check.registry, sizeMatters)?.failure ?? null
  }
}

/** Findings in reading order: file, line, column, then rule order. */
export function compareFindings(ruleOrder: ReadonlyMap<string, number>): (a: Finding, b: Finding) => number {
  return (a, b) =>
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (ruleOrder.get(a.rule) ?? 0) - (ruleOrder.get(b.rule) ?? 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
}
