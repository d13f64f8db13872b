// Which lines a change added, read from unified diffs: `git diff -U0` output for many files, or the
// per-file `patch` GitHub's pull-request files API returns. Pure parsing; running git lives in
// ./index.ts. Line numbers are 1-based lines of the new version of the file.

/** Added line numbers per repository-relative path; `null` means "the whole file counts as changed" (no patch to read). */
export type ChangedLines = Map<string, ReadonlySet<number> | null>

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/

/**
 * The new-file line numbers a single-file patch adds (`+` lines), walking every hunk. Context and
 * removed lines are skipped; a "\ No newline at end of file" marker is not a line.
 */
export function addedLinesFromPatch(patch: string): Set<number> {
  const added = new Set<number>()
  let nextLine: number | null = null
  for (const line of patch.split('\n')) {
    const header = HUNK_HEADER.exec(line)
    if (header !== null) {
      nextLine = Number(header[1])
      continue
    }
    if (nextLine === null) continue
    const marker = line[0]
    if (marker === '+') {
      added.add(nextLine)
      nextLine += 1
    } else if (marker === ' ' || line === '') {
      // An empty line inside a hunk is a context line whose leading space was trimmed by a tool.
      nextLine += 1
    } else if (marker === '-' || marker === '\\') {
      // removed lines and "\ No newline at end of file" do not exist in the new file
    } else {
      nextLine = null
    }
  }
  return added
}

/** Unquotes a path as git prints it in `+++ b/…` headers (C-style quoting when core.quotepath is on). */
function unquoteGitPath(text: string): string {
  if (!text.startsWith('"')) return text
  const bytes: number[] = []
  for (let index = 1; index < text.length - 1; index++) {
    const char = text[index]!
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'))
      continue
    }
    const next = text[index + 1]!
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(text.slice(index + 1, index + 4), 8))
      index += 3
    } else {
      const escapes: Record<string, number> = { n: 10, t: 9, '"': 34, '\\': 92, a: 7, b: 8, f: 12, r: 13, v: 11 }
      bytes.push(escapes[next] ?? next.charCodeAt(0))
      index += 1
    }
  }
  return Buffer.from(bytes).toString('utf8')
}

/**
 * Splits a multi-file unified diff (`git diff` output) into the lines each file gains. Deleted
 * files (`+++ /dev/null`) are left out; files with no added lines map to an empty set.
 */
export function parseUnifiedDiff(diff: string): ChangedLines {
  const result: ChangedLines = new Map()
  const sections = diff.split(/^(?=diff --git )/m)
  for (const section of sections) {
    const target = /^\+\+\+ (.+)$/m.exec(section)
    if (target === null) continue
    const rawPath = target[1]!.replace(/\t$/, '')
    if (rawPath === '/dev/null') continue
    const unquoted = unquoteGitPath(rawPath)
    const file = unquoted.startsWith('b/') ? unquoted.slice(2) : unquoted
    const hunksStart = section.search(/^@@ /m)
    result.set(file, hunksStart === -1 ? new Set() : addedLinesFromPatch(section.slice(hunksStart)))
  }
  return result
}

/** True when `line` of `file` was added or changed, or when the whole file counts as changed. */
export function isLineChanged(changed: ChangedLines, file: string, line: number): boolean {
  if (!changed.has(file)) return false
  const lines = changed.get(file)
  return lines === null || lines === undefined || lines.has(line)
}
