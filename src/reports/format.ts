// Formatting shared by every report (text, JSON, SARIF, the job summary): human sizes and durations,
// counts in words, the order findings are listed in, and the masking that keeps credentials an image
// string may carry out of every rendered byte.
import type { Finding, ScanResult, Severity } from '../model.js'
import { redactImage } from '../reference/embedded-credentials.js'

/** Where the project lives; rule documentation links point into it. */
export const PROJECT_URL = 'https://github.com/pullcheck/pullcheck'

/** The documentation page of a rule. */
export function ruleDocUrl(ruleId: string): string {
  return `${PROJECT_URL}/blob/main/docs/rules/${ruleId}.md`
}

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const

/** `512 B`, `1.5 KiB`, `742.3 MiB`, `1.2 GiB`: binary units, one decimal above bytes. */
export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (Math.abs(value) >= 1024 && unit < BINARY_UNITS.length - 1) {
    value /= 1024
    unit++
  }
  if (unit === 0) return `${bytes} B`
  // 1023.96 KiB would print as "1024.0 KiB"; step up instead.
  if (Number(value.toFixed(1)) >= 1024 && unit < BINARY_UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)} ${BINARY_UNITS[unit]}`
}

/** `850ms`, `2.1s`, `1m 05s`. */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)}ms`
  if (milliseconds < 60_000) return `${(Math.floor(milliseconds / 100) / 10).toFixed(1)}s`
  const totalSeconds = Math.floor(milliseconds / 1000)
  return `${Math.floor(totalSeconds / 60)}m ${String(totalSeconds % 60).padStart(2, '0')}s`
}

/** `1 error`, `3 errors`, `1 entry`/`2 entries` with an explicit plural. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`
}

/** `sha256:0123456789ab`: the algorithm and the first 12 hex digits, as `docker images` shows. */
export function shortDigest(digest: string): string {
  const separator = digest.indexOf(':')
  return separator === -1 ? digest.slice(0, 12) : digest.slice(0, separator + 13)
}

/** `linux/arm64/v8`: platforms are written the way containerd writes them. */
export { formatPlatform } from '../kube/platform.js'

/** Severity order: errors first. */
export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, notice: 2 }

/** SARIF's and GitHub's name for a severity. */
export function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  return severity === 'notice' ? 'note' : severity
}

/** Orders findings by file, line, column, then the more severe first, then rule id. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    compareText(a.rule, b.rule)
  )
}

/** Code-point order, independent of the machine's locale, so reports are byte-for-byte reproducible. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The image string with embedded credentials masked (`***@registry/app`, `?token=***`). */
export function safeImage(image: string): string {
  return redactImage(image)
}

/**
 * Free text with any credential-bearing image string in it masked. Messages come from the rules,
 * which already avoid echoing secrets; this is the last line of defence before a report is written.
 */
export function safeText(text: string): string {
  return text.replace(/[^\s"'`()<>,]+/g, (token) => redactImage(token))
}

/** The number of image uses the scan could not verify (registry unreachable, rate-limited, …). */
export function countUnverified(result: ScanResult): number {
  return result.images.filter((image) => image.status === 'unverified').length
}
