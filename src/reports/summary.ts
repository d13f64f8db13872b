// The job summary: Markdown a reviewer reads in ten seconds. A verdict line, a table per file (image,
// digest, platforms, size, verdict with rule and fix), then what the annotations could not show,
// what could not be verified and why, the Docker Hub pull budget, files that could not be read and
// problems outside the change. Kept under GitHub's 1 MiB per-step limit by cutting the longest parts
// with a note. A library: it returns the text; the action hands it to core.summary.
import type { FailOn } from '../config/types.js'
import type { Diagnostic, Finding, ScanResult, ScannedImage, Severity } from '../model.js'
import type { Annotation, ReportedFinding } from './annotations.js'
import { sanitizeInline } from './annotations.js'
import { formatBytes, formatPlatform, plural, safeText, shortDigest } from './format.js'

/** GitHub refuses a step summary over 1 MiB; stay clearly below it. */
export const SUMMARY_LIMIT_BYTES = 1_000_000
/** Room kept for the note that says the summary was cut. */
const TRUNCATION_NOTE_RESERVE = 600

/** Where the annotations went, for the summary to say. */
export interface AnnotationOutcome {
  /** Annotations were not wanted (`annotations: false`). */
  disabled: boolean
  /** Shown as workflow-command annotations. */
  shown: number
  /** Not shown because of GitHub's caps; listed in the summary. Empty when a check run holds them. */
  overflow: Annotation[]
  /** A check run that holds every annotation, when one was created. */
  checkRun: { url: string | null; annotations: number } | null
}

export interface SummaryInput {
  result: ScanResult
  /** Every finding with where it is shown and whether it counts. */
  reported: ReportedFinding[]
  /** What was scanned, in words: "3 changed files of pull request #12, 1 rendered file". */
  scope: string
  /** Files that came from the `rendered` input (repository-relative). */
  renderedFiles: ReadonlySet<string>
  failOn: FailOn
  /** One line saying why the check fails, or null when it passes. */
  failure: string | null
  annotations: AnnotationOutcome
  /** The pull request comes from a fork and the workflow has no secrets. */
  forkPullRequest: boolean
  /** Anything else worth a line (fallbacks taken, GitHub's 3000-file cap). */
  notes: string[]
  version: string
  /** Override of SUMMARY_LIMIT_BYTES, for tests. */
  limitBytes?: number
}

const SEVERITY_ICON: Record<Severity, string> = { error: '❌', warning: '⚠️', notice: 'ℹ️' }

/** One line of HTML-safe text: credentials masked, control characters visible, `<`, `>`, `&` and `|` as entities. */
function htmlLine(text: string, escapeMarkdownSyntax: boolean): string {
  const line = sanitizeInline(safeText(text).replace(/\r?\n/g, ' '))
  return (escapeMarkdownSyntax ? line.replace(/([\\`*_[\]~])/g, '\\$1') : line)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '&#124;')
}

/** Escapes text for a Markdown table cell or list item: no HTML, no pipes, one line. */
export function escapeMarkdown(text: string): string {
  return htmlLine(text, true)
}

/** Inline code that survives backticks and pipes in the value. */
function code(text: string): string {
  return `<code>${htmlLine(text, false)}</code>`
}

function imageKey(image: ScannedImage): string {
  return image.reference?.canonical ?? image.image
}

function positionKey(file: string, line: number, column: number): string {
  return `${file}\u0000${line}\u0000${column}`
}

/**
 * Image positions whose every finding could not be settled because the run has no secrets (a pull
 * request from a fork): for this run they are unverified, not broken.
 */
function forkOnlyPositions(reported: readonly ReportedFinding[]): Set<string> {
  const positions = new Map<string, boolean>()
  for (const item of reported) {
    const key = positionKey(item.finding.file, item.finding.line, item.finding.column)
    positions.set(key, (positions.get(key) ?? true) && item.notCounted === 'fork')
  }
  return new Set([...positions].filter(([, forkOnly]) => forkOnly).map(([key]) => key))
}

function effectiveStatus(image: ScannedImage, forkOnly: ReadonlySet<string>): ScannedImage['status'] {
  return image.status === 'problem' && forkOnly.has(positionKey(image.file, image.line, image.column)) ? 'unverified' : image.status
}

/**
 * The verdict on a scan: an icon and a sentence ("2 images will not pull", "All 14 images will pull").
 * Counts distinct images; images only a run with secrets could settle count as unverified.
 */
export function verdict(result: ScanResult, reported: readonly ReportedFinding[] = []): { icon: string; text: string } {
  const forkOnly = forkOnlyPositions(reported)
  const byStatus = (status: ScannedImage['status']): Set<string> =>
    new Set(result.images.filter((image) => effectiveStatus(image, forkOnly) === status).map(imageKey))
  const all = new Set(result.images.map(imageKey))
  const problems = byStatus('problem')
  const unverified = byStatus('unverified')
  for (const key of problems) unverified.delete(key)
  const fileErrors = result.findings.filter((finding) => finding.image === null && finding.severity === 'error').length
  const filePart = fileErrors > 0 ? `, ${plural(fileErrors, 'file problem')}` : ''
  if (all.size === 0) {
    return fileErrors > 0 ? { icon: '❌', text: `No images checked${filePart}` } : { icon: '✅', text: 'No container images in the scanned files' }
  }
  if (problems.size > 0) {
    const unverifiedPart = unverified.size > 0 ? `, ${unverified.size} could not be verified` : ''
    return { icon: '❌', text: `${plural(problems.size, 'image')} will not pull${unverifiedPart}${filePart}` }
  }
  if (unverified.size > 0) {
    return { icon: '⚠️', text: `${unverified.size} of ${plural(all.size, 'image')} could not be verified; the others will pull${filePart}` }
  }
  const checked = byStatus('ok').size
  const text = checked === all.size ? `All ${plural(all.size, 'image')} will pull` : `${checked} of ${plural(all.size, 'image')} will pull; the others were not checked`
  return { icon: fileErrors > 0 ? '❌' : '✅', text: `${text}${filePart}` }
}

function findingLine(reported: ReportedFinding, withImage: boolean): string {
  const { finding, trace, location } = reported
  const image = withImage && finding.image !== null ? ` ${code(finding.image)}` : ''
  const fix = finding.fix.trim() === '' ? '' : ` Fix: ${escapeMarkdown(finding.fix.trim())}`
  const where = trace === null ? '' : ` (set at ${code(`${location.file}:${location.line}`)})`
  const icon = reported.notCounted === 'fork' ? '❔' : SEVERITY_ICON[finding.severity]
  return `${icon} **${escapeMarkdown(finding.rule)}**${image}: ${escapeMarkdown(finding.message.trim())}${fix}${where}`
}

function platformsCell(image: ScannedImage): string {
  const platforms = image.facts?.platforms ?? []
  return platforms.map((platform) => escapeMarkdown(formatPlatform(platform))).join(', ')
}

function sizeCell(image: ScannedImage): string {
  const sizes = (image.facts?.platforms ?? []).map((p) => p.size).filter((size): size is number => size !== null)
  if (sizes.length === 0) return ''
  const smallest = Math.min(...sizes)
  const largest = Math.max(...sizes)
  return formatBytes(smallest) === formatBytes(largest) ? formatBytes(largest) : `${formatBytes(smallest)}–${formatBytes(largest)}`
}

function verdictCell(image: ScannedImage, findings: ReportedFinding[], forkOnly: ReadonlySet<string>): string {
  const parts: string[] = []
  if (image.status === 'ok') parts.push('✅ will pull')
  if (effectiveStatus(image, forkOnly) !== image.status) parts.push('❔ could not verify without the repository\'s secrets')
  if (image.status === 'unverified') parts.push(`❔ could not verify${image.failure === null ? '' : `: ${escapeMarkdown(image.failure.detail)}`}`)
  if (image.status === 'skipped') parts.push(`➖ not checked${image.skipReason === undefined ? '' : `: ${escapeMarkdown(image.skipReason)}`}`)
  for (const item of findings) parts.push(findingLine(item, false))
  return parts.join('<br>')
}

/** Renders the job summary Markdown. */
export function renderSummary(input: SummaryInput): string {
  const { result, reported } = input
  const limit = input.limitBytes ?? SUMMARY_LIMIT_BYTES
  const findingsAt = new Map<string, ReportedFinding[]>()
  for (const item of reported) {
    const key = positionKey(item.finding.file, item.finding.line, item.finding.column)
    findingsAt.set(key, [...(findingsAt.get(key) ?? []), item])
  }

  const forkOnly = forkOnlyPositions(reported)
  const { icon, text: verdictText } = verdict(result, reported)
  const header: string[] = [`## pullcheck: ${icon} ${verdictText}`, '']
  const counts = reported.filter((item) => item.notCounted === null)
  const errors = counts.filter((item) => item.finding.severity === 'error').length
  const warnings = counts.filter((item) => item.finding.severity === 'warning').length
  header.push(
    `${escapeMarkdown(input.scope)} · ${plural(result.summary.images, 'image')} (${result.summary.uniqueImages} unique) · ${plural(errors, 'error')}, ${plural(warnings, 'warning')} · fail-on: ${input.failOn}`,
    ''
  )
  if (input.failure !== null) header.push(`**Check failed:** ${escapeMarkdown(input.failure)}`, '')

  // Sections other than the per-file tables; each is a list of lines.
  const extra: string[][] = []

  const { annotations } = input
  if (annotations.checkRun !== null) {
    const link = annotations.checkRun.url === null ? 'the pullcheck check run' : `[the pullcheck check run](${annotations.checkRun.url})`
    extra.push([`All ${plural(annotations.checkRun.annotations, 'annotation')} are on ${link}.`, ''])
  } else if (annotations.overflow.length > 0) {
    const lines = [
      '### Findings not annotated',
      '',
      `GitHub shows at most 10 annotations of each level per step; ${plural(annotations.overflow.length, 'more finding')} ${annotations.overflow.length === 1 ? 'is' : 'are'} listed here (and in the \`findings-json\` report):`,
      ''
    ]
    for (const annotation of annotations.overflow) {
      const icon = SEVERITY_ICON[annotation.level]
      lines.push(`- ${icon} ${code(`${annotation.file}:${annotation.startLine}`)} **${escapeMarkdown(annotation.title)}**: ${escapeMarkdown(annotation.message.split('\n')[0] ?? '')}`)
    }
    lines.push('')
    extra.push(lines)
  } else if (annotations.disabled && counts.length > 0) {
    extra.push(['Annotations are turned off (`annotations: false`); every finding is listed below.', ''])
  }

  const unverified = new Map<string, { image: ScannedImage; uses: number }>()
  for (const image of result.images) {
    if (image.status !== 'unverified') continue
    const key = imageKey(image)
    const entry = unverified.get(key)
    if (entry === undefined) unverified.set(key, { image, uses: 1 })
    else entry.uses += 1
  }
  if (unverified.size > 0) {
    const lines = ['### Could not verify', '', 'The registry could not be asked, so these are not verdicts:', '']
    for (const { image, uses } of unverified.values()) {
      const detail = image.failure === null ? 'no answer' : `${image.failure.status}: ${image.failure.detail}`
      lines.push(`- ${code(image.image)} (${code(`${image.file}:${image.line}`)}${uses > 1 ? `, ${uses} uses` : ''}): ${escapeMarkdown(detail)}`)
    }
    lines.push('')
    extra.push(lines)
  }

  const forkFindings = reported.filter((item) => item.notCounted === 'fork')
  if (input.forkPullRequest) {
    const images = [...new Set(forkFindings.map((item) => item.finding.image ?? ''))].filter((image) => image !== '')
    const lines = ['### Pull request from a fork', '']
    if (images.length === 0) {
      lines.push('Workflows triggered by a fork get no secrets; every image was still verified.', '')
    } else {
      lines.push('Workflows triggered by a fork get no secrets, so these private images could not be verified. They do not fail this check; they are checked again after the merge:', '')
      for (const image of images) lines.push(`- ${code(image)}`)
      lines.push('')
    }
    extra.push(lines)
  }

  if (result.rateLimit !== null) {
    const { remaining, limit: budget, windowSeconds } = result.rateLimit
    const window = windowSeconds === null ? '' : ` per ${windowSeconds % 3600 === 0 ? plural(windowSeconds / 3600, 'hour') : plural(windowSeconds, 'second')}`
    extra.push([`**Docker Hub pull budget:** ${remaining ?? '?'} of ${budget ?? '?'} pulls left${window} (lowest seen during this run).`, ''])
  }

  const unreadable = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')
  if (unreadable.length > 0) {
    const lines = ['### Files that could not be read', '']
    for (const diagnostic of uniqueDiagnostics(unreadable)) lines.push(`- ${code(`${diagnostic.file}:${diagnostic.line}`)}: ${escapeMarkdown(diagnostic.message)}`)
    lines.push('')
    extra.push(lines)
  }

  const outside = reported.filter((item) => item.notCounted === 'outside-change')
  if (outside.length > 0) {
    const lines = [
      '### Outside this pull request\'s changes',
      '',
      `${plural(outside.length, 'problem')} on lines this pull request did not change. They neither fail the check nor are annotated; set \`check-touched-workloads: true\` to include them.`,
      ''
    ]
    for (const item of outside) lines.push(`- ${code(`${item.location.file}:${item.location.line}`)} ${findingLine(item, true)}`)
    lines.push('')
    extra.push(lines)
  }

  const skippedNotices = result.diagnostics.filter((diagnostic) => diagnostic.severity !== 'error')
  if (skippedNotices.length > 0) {
    const lines = ['<details><summary>Notes from reading the files</summary>', '']
    for (const diagnostic of uniqueDiagnostics(skippedNotices)) lines.push(`- ${code(`${diagnostic.file}:${diagnostic.line}`)}: ${escapeMarkdown(diagnostic.message)}`)
    lines.push('', '</details>', '')
    extra.push(lines)
  }

  if (input.notes.length > 0) extra.push([...input.notes.map((note) => `> ${escapeMarkdown(note)}`), ''])
  const footer = [`<sub>pullcheck ${escapeMarkdown(input.version)} · ${plural(result.summary.files, 'file')} · ${(result.summary.durationMs / 1000).toFixed(1)} s</sub>`, '']

  const tables = fileTables(result, findingsAt, input.renderedFiles, forkOnly)

  // Budget: header and footer always; the smaller sections next; the per-file tables get the rest.
  const bytes = (lines: string[]): number => Buffer.byteLength(lines.join('\n') + '\n', 'utf8')
  let budget = limit - TRUNCATION_NOTE_RESERVE - bytes(header) - bytes(footer)
  let omittedLines = 0
  const fittedExtra = extra.map((section) => {
    const fitted = fitLines(section, budget)
    budget -= bytes(fitted.lines)
    omittedLines += fitted.omitted
    return fitted.lines
  })
  const fittedTables = fitLines(tables, budget)
  omittedLines += fittedTables.omitted

  const output = [...header, ...fittedTables.lines]
  if (fittedTables.omitted > 0) output.push('')
  for (const section of fittedExtra) output.push(...section)
  if (omittedLines > 0) {
    output.push(
      `> **This summary was cut** to stay under GitHub's 1 MiB limit per step: ${plural(omittedLines, 'line')} not shown. Every finding is in the \`findings-json\` report.`,
      ''
    )
  }
  output.push(...footer)
  return output.join('\n')
}

function uniqueDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>()
  return diagnostics.filter((diagnostic) => {
    const key = `${diagnostic.file}\u0000${diagnostic.line}\u0000${diagnostic.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** Keeps leading lines while they fit in `budget` bytes; says how many were dropped. */
function fitLines(lines: string[], budget: number): { lines: string[]; omitted: number } {
  let used = 0
  for (let index = 0; index < lines.length; index++) {
    used += Buffer.byteLength(lines[index]!, 'utf8') + 1
    if (used > budget) return { lines: lines.slice(0, index), omitted: lines.length - index }
  }
  return { lines, omitted: 0 }
}

function fileTables(result: ScanResult, findingsAt: Map<string, ReportedFinding[]>, renderedFiles: ReadonlySet<string>, forkOnly: ReadonlySet<string>): string[] {
  const files = new Map<string, { images: ScannedImage[]; fileFindings: Finding[] }>()
  const entry = (file: string): { images: ScannedImage[]; fileFindings: Finding[] } => {
    let value = files.get(file)
    if (value === undefined) {
      value = { images: [], fileFindings: [] }
      files.set(file, value)
    }
    return value
  }
  for (const image of result.images) entry(image.file).images.push(image)
  const imagePositions = new Set(result.images.map((image) => positionKey(image.file, image.line, image.column)))
  for (const finding of result.findings) {
    if (!imagePositions.has(positionKey(finding.file, finding.line, finding.column))) entry(finding.file).fileFindings.push(finding)
  }
  const lines: string[] = []
  for (const file of [...files.keys()].sort()) {
    const { images, fileFindings } = files.get(file)!
    lines.push(`### ${code(file)}${renderedFiles.has(file) ? ' (rendered)' : ''}`, '')
    if (images.length > 0) {
      lines.push('| Line | Image | Digest | Platforms | Size | Verdict |', '|---:|---|---|---|---|---|')
      for (const image of [...images].sort((a, b) => a.line - b.line || a.column - b.column)) {
        const found = findingsAt.get(positionKey(image.file, image.line, image.column)) ?? []
        const digest = image.facts === null ? '' : code(shortDigest(image.facts.digest))
        lines.push(`| ${image.line} | ${code(image.image)} | ${digest} | ${platformsCell(image)} | ${sizeCell(image)} | ${verdictCell(image, found, forkOnly)} |`)
      }
      lines.push('')
    }
    for (const finding of fileFindings) {
      const reported = findingsAt.get(positionKey(finding.file, finding.line, finding.column))?.find((item) => item.finding === finding)
      const text = reported === undefined ? `${SEVERITY_ICON[finding.severity]} **${escapeMarkdown(finding.rule)}**: ${escapeMarkdown(finding.message)}` : findingLine(reported, true)
      lines.push(`- line ${finding.line}: ${text}`)
    }
    if (fileFindings.length > 0) lines.push('')
  }
  return lines
}
