// What every rule declares about itself. The README's rule table, docs/rules/*.md and the SARIF
// `tool.driver.rules` are all generated from this metadata, so it is the single source of truth.
import type { Severity } from '../model.js'

/** What a rule needs in order to run. */
export type RuleRequirement = 'offline' | 'registry' | 'pull-secrets'

export interface RuleMeta {
  /** Stable kebab-case id; also the file name under src/rules/ and docs/rules/. */
  id: string
  defaultSeverity: Severity
  /** One line: what the rule finds. */
  summary: string
  /** One paragraph: when it fires and why it matters for the pull. */
  description: string
  /** How to fix what it finds. */
  fix: string
  requires: RuleRequirement
}
