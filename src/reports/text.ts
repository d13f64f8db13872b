// The human report of `pullcheck scan`: findings grouped by file as `file:line:col  severity  rule
// message` with the fix indented below, the input problems that are not findings, and a one-line
// summary. Plain text by default; ANSI colour only when the caller asks (the CLI decides, honouring
// NO_COLOR and whether stdout is a terminal).
import type { Diagnostic, Finding, ScanResult, Severity } from '../model.js'
import { sanitizeInline, sanitizeMultiline } from './annotations.js'
import { compareFindings, compareText, countUnverified, formatDuration, plural, safeText } from './format.js'

export interface TextReportOptions {
  /** Wrap severities, paths and the summary in ANSI colour codes. */
  color?: boolean
}

type Style = 'bold' | 'dim' | 'red' | 'yellow' | 'cyan' | 'green'

const ANSI: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  green: [32, 39]
}

const SEVERITY_STYLE: Record<Severity, Style> = { error: 'red', warning: 'yellow', notice: 'cyan' }

/** Width of the severity column: the longest severity word. */
const SEVERITY_WIDTH = 'warning'.length

const INDENT = '    '

/** One printed row: a finding or a diagnostic, at its place in the file. */
interface Row {
  file: string
  line: number
  column: number | undefined
  severity: Severity
  label: string
  message: string
  details: Array<[string, string]>
}

/**
 * Text from scanned files and registries: control characters become visible escapes (line feeds
 * stay, and become indented continuation lines), so none reaches a terminal raw.
 */
function printable(text: string): string {
  return sanitizeMultiline(safeText(text))
}

function findingRow(finding: Finding): Row {
  const details: Array<[string, string]> = []
  if (finding.fix !== '') details.push(['fix', printable(finding.fix)])
  if (finding.source !== null) details.push(['from', printable(finding.source)])
  for (const related of finding.related ?? []) {
    details.push(['see', `${printable(related.file)}:${related.line}:${related.column}  ${printable(related.message)}`])
  }
  return {
    file: finding.file,
    line: finding.line,
    column: finding.column,
    severity: finding.severity,
    label: finding.rule,
    message: printable(finding.message),
    details
  }
}

function diagnosticRow(diagnostic: Diagnostic): Row {
  return {
    file: diagnostic.file,
    line: diagnostic.line,
    column: diagnostic.column,
    severity: diagnostic.severity,
    label: diagnostic.code,
    message: printable(diagnostic.message),
    details: []
  }
}

/** Diagnostics that no finding already reports (rules such as unparseable-file turn many into findings). */
function uncoveredDiagnostics(result: ScanResult): Diagnostic[] {
  const covered = new Set(result.findings.map((finding) => `${finding.file}\u0000${finding.line}`))
  return result.diagnostics.filter((diagnostic) => !covered.has(`${diagnostic.file}\u0000${diagnostic.line}`))
}

/** `3 errors, 1 warning in 12 images (9 unique) across 4 files — 2.1s`. */
export function summaryLine(result: ScanResult): string {
  const { summary } = result
  const counts = [
    summary.errors > 0 ? plural(summary.errors, 'error') : '',
    summary.warnings > 0 ? plural(summary.warnings, 'warning') : '',
    summary.notices > 0 ? plural(summary.notices, 'notice') : ''
  ].filter((part) => part !== '')
  const unverified = countUnverified(result)
  const details = [`${summary.uniqueImages} unique`, ...(unverified > 0 ? [`${unverified} not verified`] : [])]
  const verdict = counts.length === 0 ? 'no problems' : counts.join(', ')
  return `${verdict} in ${plural(summary.images, 'image')} (${details.join(', ')}) across ${plural(summary.files, 'file')} — ${formatDuration(summary.durationMs)}`
}

/**
 * Renders a scan result for a terminal or a CI log. Output ends with a newline; the last line is the
 * summary.
 */
export function renderText(result: ScanResult, options: TextReportOptions = {}): string {
  const paint = (style: Style, text: string): string =>
    options.color === true ? `\u001b[${ANSI[style][0]}m${text}\u001b[${ANSI[style][1]}m` : text
  const rows = [...[...result.findings].sort(compareFindings).map(findingRow), ...uncoveredDiagnostics(result).map(diagnosticRow)]
  rows.sort((a, b) => compareText(a.file, b.file) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0))

  const lines: string[] = []
  let currentFile: string | undefined
  for (const row of rows) {
    if (currentFile !== undefined && row.file !== currentFile) lines.push('')
    currentFile = row.file
    const file = sanitizeInline(row.file)
    const place = row.column === undefined ? `${file}:${row.line}` : `${file}:${row.line}:${row.column}`
    const severity = paint(SEVERITY_STYLE[row.severity], row.severity.padEnd(SEVERITY_WIDTH))
    const [firstLine, ...moreLines] = row.message.split('\n')
    lines.push(`${paint('bold', place)}  ${severity}  ${row.label}  ${firstLine}`)
    for (const more of moreLines) lines.push(`${INDENT}${more}`)
    for (const [label, text] of row.details) {
      const [first, ...rest] = text.split('\n')
      lines.push(paint('dim', `${INDENT}${label}: ${first}`))
      for (const more of rest) lines.push(paint('dim', `${INDENT}${' '.repeat(label.length + 2)}${more}`))
    }
  }
  if (lines.length > 0) lines.push('')
  const summary = summaryLine(result)
  const { errors, warnings } = result.summary
  lines.push(paint('bold', paint(errors > 0 ? 'red' : warnings > 0 ? 'yellow' : 'green', summary)))
  return `${lines.join('\n')}\n`
}
