// Turning findings into GitHub annotations, and choosing which ones to show. GitHub displays at most
// 10 workflow-command annotations of each level per step and 50 per job and silently drops the rest,
// so the most important go first: errors, then lines the pull request changed. A library: it returns
// the annotations; the action decides whether they become workflow commands or a check run.
import type { Finding, Position, Severity } from '../model.js'
import type { ProvenanceTrace } from '../provenance/types.js'
import { safeImage, safeText } from './format.js'

export type AnnotationLevel = 'error' | 'warning' | 'notice'

/** One annotation, in the shape both workflow commands and the Checks API take. */
export interface Annotation {
  level: AnnotationLevel
  /** Repository-relative path without `./`. */
  file: string
  startLine: number
  startColumn?: number
  endColumn?: number
  /** `rule-id: image`, on one line. */
  title: string
  message: string
  /** The line is one the change added or modified. */
  inChange: boolean
}

/** How many annotations GitHub shows. */
export interface AnnotationLimits {
  perLevel: number
  perJob: number
}

/** GitHub's documented display limits for workflow-command annotations. */
export const GITHUB_ANNOTATION_LIMITS: AnnotationLimits = { perLevel: 10, perJob: 50 }

/** Why a finding does not count towards the verdict of this run. */
export type NotCountedReason = 'outside-change' | 'fork'

/** A finding as the action reports it: where it is shown, and whether it counts. */
export interface ReportedFinding {
  finding: Finding
  /** The repository lines that produced the image, when the finding is in rendered output. */
  trace: ProvenanceTrace | null
  /** Where the annotation goes: the traced line, else the finding's own position. */
  location: Position
  /** The location is on a line the change added or modified. */
  inChange: boolean
  /** null when the finding counts towards `fail-on`; else why it does not. */
  notCounted: NotCountedReason | null
}

const LEVEL_ORDER: AnnotationLevel[] = ['error', 'warning', 'notice']
const LEVEL_OF: Record<Severity, AnnotationLevel> = { error: 'error', warning: 'warning', notice: 'notice' }

/** C0 and C1 control characters and the Unicode line separators: they must not reach a log line raw. */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g

/** Makes text safe for one line of a log or annotation: control characters become visible `\uXXXX` escapes. */
export function sanitizeInline(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** Like sanitizeInline, but keeps line feeds (a message may span lines; @actions/core escapes them). */
export function sanitizeMultiline(text: string): string {
  return text
    .split('\n')
    .map((line) => sanitizeInline(line))
    .join('\n')
}

function formatPosition(position: Position): string {
  return `${position.file}:${position.line}:${position.column}`
}

/** The annotation message: what is wrong, the fix, and — for a traced finding — where it was rendered and what else sets the image. */
export function annotationMessage(reported: ReportedFinding): string {
  const { finding, trace, location } = reported
  const parts = [finding.message.trim()]
  if (finding.fix.trim() !== '') parts.push(`Fix: ${finding.fix.trim()}`)
  if (trace !== null) {
    const from = finding.source === null ? '' : ` from ${finding.source}`
    parts.push(`Rendered at ${formatPosition(finding)}${from}.`)
    for (const line of trace.lines) {
      if (line.file === location.file && line.line === location.line) continue
      parts.push(`Also: ${line.message} (${line.file}:${line.line}).`)
    }
  }
  return sanitizeMultiline(safeText(parts.join('\n')))
}

/** The one-line annotation title: `rule-id: image`. */
export function annotationTitle(finding: Finding): string {
  return sanitizeInline(finding.image === null ? finding.rule : `${finding.rule}: ${safeImage(finding.image)}`)
}

/**
 * One annotation per counted finding; findings that land on the same line with the same title (the
 * same values.yaml tag rendered into three Deployments) become one annotation that lists every use.
 */
export function buildAnnotations(reported: readonly ReportedFinding[]): Annotation[] {
  const merged = new Map<string, { annotation: Annotation; uses: string[] }>()
  for (const item of reported) {
    if (item.notCounted !== null) continue
    const { location } = item
    const annotation: Annotation = {
      level: LEVEL_OF[item.finding.severity],
      file: location.file.replace(/^\.\//, ''),
      startLine: location.line,
      title: annotationTitle(item.finding),
      message: annotationMessage(item),
      inChange: item.inChange
    }
    if (location.column > 0) annotation.startColumn = location.column
    if (location.endColumn !== undefined && location.endColumn > location.column) annotation.endColumn = location.endColumn
    const key = [annotation.level, annotation.file, annotation.startLine, annotation.startColumn, annotation.title].join('\u0000')
    const existing = merged.get(key)
    if (existing === undefined) {
      merged.set(key, { annotation, uses: [formatPosition(item.finding)] })
    } else {
      existing.uses.push(formatPosition(item.finding))
      existing.annotation.inChange ||= annotation.inChange
    }
  }
  return [...merged.values()].map(({ annotation, uses }) =>
    uses.length === 1 ? annotation : { ...annotation, message: `${annotation.message}\n${sanitizeInline(`Used ${uses.length} times: ${uses.join(', ')}.`)}` }
  )
}

function importance(a: Annotation, b: Annotation): number {
  return (
    LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level) ||
    Number(b.inChange) - Number(a.inChange) ||
    a.file.localeCompare(b.file) ||
    a.startLine - b.startLine ||
    (a.startColumn ?? 0) - (b.startColumn ?? 0)
  )
}

/**
 * Splits annotations into those GitHub will show and the rest, most important first: errors before
 * warnings before notices, and within a level the lines the change touched first. `limits` are
 * GitHub's per-level and per-job caps.
 */
export function selectAnnotations(
  annotations: readonly Annotation[],
  limits: AnnotationLimits = GITHUB_ANNOTATION_LIMITS
): { shown: Annotation[]; overflow: Annotation[] } {
  const ordered = [...annotations].sort(importance)
  const shown: Annotation[] = []
  const overflow: Annotation[] = []
  const perLevel = new Map<AnnotationLevel, number>()
  for (const annotation of ordered) {
    const used = perLevel.get(annotation.level) ?? 0
    if (used < limits.perLevel && shown.length < limits.perJob) {
      shown.push(annotation)
      perLevel.set(annotation.level, used + 1)
    } else {
      overflow.push(annotation)
    }
  }
  return { shown, overflow }
}
