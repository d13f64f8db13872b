// Re-anchors what a configuration file says about paths: globs written relative to the file's
// directory become globs over paths relative to the scan's cwd (how the inventory names files), and
// file paths become absolute. Glob semantics are picomatch's.
import path from 'node:path'
import picomatch from 'picomatch'

function toPosix(value: string): string {
  return value.split(path.sep).join('/')
}

function splitSegments(value: string): string[] {
  return value.split('/').filter((segment) => segment !== '' && segment !== '.')
}

/**
 * The suffixes of `pattern` (as segments) that remain once its leading segments have matched every
 * directory in `descent`; each is a glob relative to the directory `descent` leads to. A `**` may
 * absorb any number of those directories, and still matches below them.
 */
function consumeDescent(pattern: string[], descent: string[]): string[][] {
  if (descent.length === 0) return [pattern]
  const [head, ...rest] = pattern
  if (head === undefined) return []
  if (head === '**') {
    // `**` absorbing every remaining directory keeps the whole `**/…` pattern; absorbing fewer lets
    // the rest of the pattern match the remaining directories.
    const results: string[][] = [pattern]
    for (let absorbed = 0; absorbed < descent.length; absorbed++) {
      results.push(...consumeDescent(rest, descent.slice(absorbed)))
    }
    return results
  }
  return picomatch.isMatch(descent[0]!, head, { dot: true }) ? consumeDescent(rest, descent.slice(1)) : []
}

/**
 * Rewrites a glob relative to `baseDir` into globs that match the same files named relative to
 * `cwd` (and, for files outside `cwd` that are named by absolute path, the absolute glob).
 */
export function rebaseGlob(pattern: string, baseDir: string, cwd: string): string[] {
  // An absolute glob is a glob relative to the filesystem root.
  if (pattern.startsWith('/')) return rebaseGlob(pattern.replace(/^\/+/, ''), '/', cwd)
  const base = path.resolve(baseDir)
  const current = path.resolve(cwd)
  if (base === current) return [pattern]
  const results = new Set<string>()
  const descent = toPosix(path.relative(base, current))
  if (descent.startsWith('..') || path.isAbsolute(descent)) {
    // The config file is not above cwd: its directory is a fixed prefix away.
    results.add(path.posix.join(toPosix(path.relative(current, base)), pattern))
  } else {
    // The config file sits above cwd. A file between the two is named `../…` from cwd: for each
    // number of `../` steps, strip the part of the pattern that leads down to that directory.
    const steps = splitSegments(descent)
    for (let up = 0; up <= steps.length; up++) {
      for (const rest of consumeDescent(splitSegments(pattern), steps.slice(0, steps.length - up))) {
        if (rest.length > 0) results.add([...Array<string>(up).fill('..'), ...rest].join('/'))
      }
    }
  }
  results.add(path.posix.join(toPosix(base), pattern))
  return [...results]
}

/** Rebases every glob of a list (see rebaseGlob), keeping the order and dropping duplicates. */
export function rebaseGlobs(patterns: readonly string[], baseDir: string, cwd: string): string[] {
  return [...new Set(patterns.flatMap((pattern) => rebaseGlob(pattern, baseDir, cwd)))]
}

/** The path as shown to the user: relative to `cwd` when below it, absolute otherwise. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file)
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative
}

/**
 * A matcher for `ScanConfig.ignore.paths`: relative file names are matched against the relative
 * globs, absolute ones (files outside cwd) against the absolute globs, because a relative `**`
 * would otherwise also match every absolute path.
 */
export function ignoredPathMatcher(globs: readonly string[]): (file: string) => boolean {
  const absolute = globs.filter((glob) => glob.startsWith('/'))
  const relative = globs.filter((glob) => !glob.startsWith('/'))
  const matchAbsolute = absolute.length === 0 ? () => false : picomatch(absolute, { dot: true })
  const matchRelative = relative.length === 0 ? () => false : picomatch(relative, { dot: true })
  return (file) => {
    const name = toPosix(file).replace(/^\.\//, '')
    return path.posix.isAbsolute(name) ? matchAbsolute(name) : matchRelative(name)
  }
}
