// Inline suppression: `# pullcheck-ignore: <rule-id>[, <rule-id>…]`, optionally followed by a dash
// and a reason, on the flagged line or the line above it. Only files that have findings are read,
// and each at most once.
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { DEFAULT_MAX_FILE_SIZE } from '../files/index.js'
import type { Finding } from '../model.js'

const DIRECTIVE = /#\s*pullcheck-ignore:\s*([a-z0-9]+(?:-[a-z0-9]+)*(?:\s*,\s*[a-z0-9]+(?:-[a-z0-9]+)*)*)/i

/** The rule ids a line's `pullcheck-ignore` comment names (empty when it has none). */
export function suppressedRuleIds(line: string): string[] {
  const match = DIRECTIVE.exec(line)
  if (match === null) return []
  return match[1]!.split(',').map((id) => id.trim().toLowerCase())
}

/** Reads a file's text by its reported path; null when it cannot be read (it was read once already). */
export type ReadSource = (file: string) => Promise<string | null>

/**
 * Reads files relative to `cwd`, with texts that cannot be re-read (stdin) given up front. Files over
 * `maxFileSize` are not read: the inventory refused them, and reading them here would undo the limit.
 */
export function sourceReader(cwd: string, known: ReadonlyMap<string, string>, maxFileSize = DEFAULT_MAX_FILE_SIZE): ReadSource {
  return async (file) => {
    const text = known.get(file)
    if (text !== undefined) return text
    const absolute = path.resolve(cwd, file)
    try {
      if ((await stat(absolute)).size > maxFileSize) return null
      return await readFile(absolute, 'utf8')
    } catch {
      return null
    }
  }
}

/** Drops the findings that an inline comment suppresses. */
export async function applySuppressions(findings: Finding[], read: ReadSource): Promise<Finding[]> {
  const files = [...new Set(findings.map((finding) => finding.file))]
  const lines = new Map<string, string[]>()
  await Promise.all(
    files.map(async (file) => {
      const text = await read(file)
      if (text !== null && text.includes('pullcheck-ignore')) lines.set(file, text.split(/\r?\n|\r/))
    })
  )
  if (lines.size === 0) return findings
  return findings.filter((finding) => {
    const fileLines = lines.get(finding.file)
    if (fileLines === undefined) return true
    const here = fileLines[finding.line - 1] ?? ''
    const above = fileLines[finding.line - 2] ?? ''
    return !suppressedRuleIds(here).includes(finding.rule) && !suppressedRuleIds(above).includes(finding.rule)
  })
}
