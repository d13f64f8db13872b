// The contract between the scan orchestrator (src/scan/) and the rules: what a rule is given about
// one image use or one inventory diagnostic, and the finding drafts it returns. Rules are pure and
// synchronous; every registry question has already been asked by the time they run.
import type { ScanConfig } from '../config/types.js'
import type { Diagnostic, ImageUse, Position, Severity } from '../model.js'
import type { RuleMeta } from './rule.js'
import type { PullSecretView } from '../scan/secrets.js'
import type { RegistryView } from '../scan/verdict.js'

/** What a rule returns: the scan places it on the image line and applies the configured severity. */
export interface FindingDraft {
  message: string
  /** Specific fix for this occurrence; the rule's generic `fix` when absent. */
  fix?: string
  /**
   * The most severe level this occurrence deserves, whatever the configuration says: e.g. a
   * pull-secret problem on an image that pulls anonymously is at most a warning.
   */
  severityCap?: Severity
  /** Extra places worth pointing at (the pull-secret reference, the Secret manifest). */
  related?: Array<Position & { message: string }>
}

/** Everything known about one image use when the rules run. */
export interface ImageCheck {
  use: ImageUse
  /** The pod's effective pull secrets; null when the use was not checked against a registry. */
  secrets: PullSecretView | null
  /** The registry's answers; null when the use was not looked up (templated, invalid, offline). */
  registry: RegistryView | null
}

/** The repository-wide picture a rule may use for suggestions. */
export interface ScanPicture {
  /** `registry/repository` of every valid reference in the scanned files, with how often each is used. */
  repositories: Map<string, number>
  /** Registry domains used, with how often. */
  registries: Map<string, number>
}

/** Shared, read-only context of one scan. */
export interface RuleContext {
  config: ScanConfig
  picture: ScanPicture
}

/**
 * A rule: its metadata (docs, SARIF) and its checks. `checkImage` runs once per image use (the
 * finding lands on the line of its `image:` value); `checkDiagnostic` once per inventory diagnostic
 * (the finding lands where the diagnostic points).
 */
export interface Rule extends RuleMeta {
  checkImage?(image: ImageCheck, context: RuleContext): FindingDraft[]
  checkDiagnostic?(diagnostic: Diagnostic, context: RuleContext): FindingDraft[]
}

/** Severity order: a lower number is more severe. */
export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, notice: 2 }

/** The less severe of two levels. */
export function lessSevere(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b
}
