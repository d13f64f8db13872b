// From a ScanResult to what the action reports: each finding with the line it is shown on (the
// traced values.yaml or kustomization line for rendered output), whether the change touched it,
// and whether it counts towards `fail-on`; the copies of the result the JSON and SARIF reports are
// rendered from; and the one-line verdict that fails the check.
import type { FailOn } from '../config/types.js'
import { isLineChanged, type ChangedLines } from '../git/index.js'
import type { Finding, Position, ScanResult, Severity } from '../model.js'
import { primaryTracedLine, type ProvenanceTrace } from '../provenance/index.js'
import type { NotCountedReason, ReportedFinding } from '../reports/annotations.js'
import { plural } from '../reports/format.js'

/** Rules whose findings a pull request from a fork cannot settle: the run has no credentials. */
const NEEDS_SECRETS = new Set(['auth-required'])

export interface ReportOptions {
  /** Lines the change gained, or null when the run is not about a change. */
  changedLines: ChangedLines | null
  /** Only findings on lines the change touched count (scope changed, check-touched-workloads false). */
  onlyChangedLines: boolean
  /** Repository-relative files from the `rendered` input: every finding there counts. */
  renderedFiles: ReadonlySet<string>
  /** The run has no secrets (pull request from a fork). */
  withoutSecrets: boolean
}

/** Every place a finding touches: its own position, the traced lines and its related positions. */
function placesOf(finding: Finding, trace: ProvenanceTrace | null): Position[] {
  return [finding, ...(trace?.lines ?? []), ...(finding.related ?? [])]
}

/** Pairs each finding with its annotation location and decides whether it counts. */
export function reportFindings(result: ScanResult, traces: ReadonlyArray<ProvenanceTrace | null>, options: ReportOptions): ReportedFinding[] {
  const changed = (file: string, line: number): boolean => options.changedLines !== null && isLineChanged(options.changedLines, file, line)
  return result.findings.map((finding, index) => {
    const trace = traces[index] ?? null
    const primary = trace === null ? null : primaryTracedLine(trace, finding.rule, changed)
    const location: Position =
      primary === null
        ? { file: finding.file, line: finding.line, column: finding.column, ...(finding.endColumn === undefined ? {} : { endColumn: finding.endColumn }) }
        : { file: primary.file, line: primary.line, column: primary.column, ...(primary.endColumn === undefined ? {} : { endColumn: primary.endColumn }) }
    let notCounted: NotCountedReason | null = null
    if (options.withoutSecrets && NEEDS_SECRETS.has(finding.rule)) {
      notCounted = 'fork'
    } else if (
      options.onlyChangedLines &&
      finding.image !== null &&
      !options.renderedFiles.has(finding.file) &&
      !placesOf(finding, trace).some((place) => changed(place.file, place.line))
    ) {
      notCounted = 'outside-change'
    }
    return { finding, trace, location, inChange: changed(location.file, location.line), notCounted }
  })
}

/** The result for the JSON report: findings stay where the scan found them; traced lines are added to `related`. */
export function resultWithTraces(result: ScanResult, reported: readonly ReportedFinding[]): ScanResult {
  return {
    ...result,
    findings: reported.map(({ finding, trace }) =>
      trace === null ? finding : { ...finding, related: [...(finding.related ?? []), ...trace.lines.map(({ role: _role, ...line }) => line)] }
    )
  }
}

/**
 * The result for SARIF: a traced finding is moved to the repository line that produced it (the
 * rendered file is usually not in the repository, and code scanning only shows repository files),
 * with the rendered position and the other traced lines as related locations.
 */
export function resultAtTracedLines(result: ScanResult, reported: readonly ReportedFinding[]): ScanResult {
  return {
    ...result,
    findings: reported.map(({ finding, trace, location }) => {
      if (trace === null) return finding
      const { endColumn: _endColumn, ...withoutEnd } = finding
      const rendered = { file: finding.file, line: finding.line, column: finding.column, message: `rendered here${finding.source === null ? '' : ` from ${finding.source}`}` }
      const others = trace.lines
        .filter((line) => !(line.file === location.file && line.line === location.line))
        .map(({ role: _role, ...line }) => line)
      return { ...withoutEnd, ...location, related: [rendered, ...others, ...(finding.related ?? [])] }
    })
  }
}

/** Counts of counted findings per severity. */
export function countedSeverities(reported: readonly ReportedFinding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, notice: 0 }
  for (const item of reported) if (item.notCounted === null) counts[item.finding.severity] += 1
  return counts
}

/** The one-line reason the check fails, or null when it passes at this `fail-on`. */
export function failureReason(reported: readonly ReportedFinding[], failOn: FailOn): string | null {
  if (failOn === 'never') return null
  const counts = countedSeverities(reported)
  const failing = failOn === 'error' ? counts.error : counts.error + counts.warning
  if (failing === 0) return null
  const failingFindings = reported.filter((item) => item.notCounted === null && (item.finding.severity === 'error' || (failOn === 'warning' && item.finding.severity === 'warning')))
  const byRule = new Map<string, number>()
  for (const item of failingFindings) byRule.set(item.finding.rule, (byRule.get(item.finding.rule) ?? 0) + 1)
  const rules = [...byRule.entries()].map(([rule, count]) => (count === 1 ? rule : `${rule} ×${count}`)).join(', ')
  const what = failOn === 'error' ? plural(counts.error, 'error') : `${plural(counts.error, 'error')} and ${plural(counts.warning, 'warning')}`
  return `pullcheck found ${what} (${rules}); fail-on is ${failOn}.`
}
