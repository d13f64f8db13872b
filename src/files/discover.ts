// Finds the files to read from what the user named: files, directories (walked recursively,
// skipping node_modules and .git), globs (picomatch) and `-` for stdin. Every path that cannot be
// used — missing, a broken symlink, a symlink loop, a glob matching nothing — becomes a diagnostic
// and the rest goes on. Files under a Helm chart's templates/ are set aside with one notice per chart.
import { lstat, readdir, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import picomatch from 'picomatch'
import type { Diagnostic } from '../model.js'
import { silentLogger, type Logger } from '../logger.js'
import { setAsideChartTemplates } from './helm-chart.js'
import { hasManifestExtension, reportedPath, STDIN_PATH, toPosix } from './paths.js'

/** A file to read. */
export interface DiscoveredFile {
  /** The path to report: relative to cwd when below it (POSIX separators), as given otherwise; `<stdin>` for stdin. */
  path: string
  /** Absolute path to read, or null for stdin. */
  absolutePath: string | null
  /** True when the file was named itself (not found by walking a directory or matching a glob). */
  explicit: boolean
}

export interface Discovery {
  files: DiscoveredFile[]
  diagnostics: Diagnostic[]
}

export interface DiscoverOptions {
  /** Directory paths are resolved against and reported relative to. */
  cwd: string
  logger?: Logger
}

/** Directories never walked into. */
const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', '.git'])

/** pullcheck's own configuration files: YAML, but never manifests, so a walk passes them by. */
const CONFIG_FILE_NAMES: ReadonlySet<string> = new Set(['.pullcheck.yaml', '.pullcheck.yml'])

function fileDiagnostic(file: string, message: string): Diagnostic {
  return { file, line: 1, code: 'unreadable', severity: 'error', message }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined
}

/** How a walk treats what it finds: which files to keep, and what to do with manifest-named directories. */
interface WalkFilter {
  acceptFile(reported: string): boolean
  /** Called for each directory whose name looks like a manifest file (`x.yaml/`). */
  onManifestNamedDirectory?(reported: string): void
}

const ACCEPT_ALL: WalkFilter = { acceptFile: () => true }

class Walker {
  readonly files: DiscoveredFile[] = []
  readonly diagnostics: Diagnostic[] = []
  private readonly seen = new Set<string>()

  constructor(
    private readonly cwd: string,
    private readonly logger: Logger
  ) {}

  add(absolutePath: string, given: string, explicit: boolean): void {
    if (this.seen.has(absolutePath)) return
    this.seen.add(absolutePath)
    this.files.push({ path: reportedPath(absolutePath, given, this.cwd), absolutePath, explicit })
  }

  /**
   * Walks a directory. `given` is the directory as the user wrote it (paths outside cwd are
   * reported from it); `ancestors` are the real paths of the directories above and of this one
   * (`real`), to stop at symlink loops.
   */
  async walk(directory: string, given: string, real: string, ancestors: ReadonlySet<string>, filter: WalkFilter): Promise<void> {
    let entries
    try {
      entries = await readdir(directory, { withFileTypes: true })
    } catch (error) {
      this.diagnostics.push(fileDiagnostic(reportedPath(directory, given, this.cwd), `cannot read the directory: ${describeError(error)}`))
      return
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      const absolute = path.join(directory, entry.name)
      const givenChild = toPosix(path.join(given, entry.name))
      let isDirectory = entry.isDirectory()
      let isFile = entry.isFile()
      let childReal = path.join(real, entry.name)
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(absolute)
          isDirectory = target.isDirectory()
          isFile = target.isFile()
          childReal = await realpath(absolute)
        } catch (error) {
          if (hasManifestExtension(entry.name) || errorCode(error) === 'ELOOP') {
            const why = errorCode(error) === 'ELOOP' ? 'a symlink loop' : 'a broken symlink (its target does not exist)'
            this.diagnostics.push(fileDiagnostic(reportedPath(absolute, givenChild, this.cwd), `cannot read: ${why}`))
          }
          continue
        }
      }
      if (isDirectory) {
        if (SKIPPED_DIRECTORIES.has(entry.name)) continue
        if (ancestors.has(childReal)) {
          this.diagnostics.push(
            fileDiagnostic(reportedPath(absolute, givenChild, this.cwd), 'not followed: a symlink loop (it points back to a directory above it)')
          )
          continue
        }
        if (hasManifestExtension(entry.name)) filter.onManifestNamedDirectory?.(reportedPath(absolute, givenChild, this.cwd))
        await this.walk(absolute, givenChild, childReal, new Set([...ancestors, childReal]), filter)
      } else if (isFile && hasManifestExtension(entry.name) && !CONFIG_FILE_NAMES.has(entry.name)) {
        if (filter.acceptFile(reportedPath(absolute, givenChild, this.cwd))) this.add(absolute, givenChild, false)
      }
    }
    this.logger.debug(`walked ${toPosix(directory)}`)
  }
}

function describeError(error: unknown): string {
  switch (errorCode(error)) {
    case 'ENOENT':
      return 'no such file or directory'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'ELOOP':
      return 'a symlink loop'
    case 'ENOTDIR':
      return 'a path component is not a directory'
    default:
      return error instanceof Error ? error.message : String(error)
  }
}

async function realDirectory(absolute: string): Promise<string> {
  try {
    return await realpath(absolute)
  } catch {
    return absolute
  }
}

/** Resolves the paths, directories and globs the user named into the files to read. */
export async function discoverFiles(paths: string[], options: DiscoverOptions): Promise<Discovery> {
  const logger = options.logger ?? silentLogger
  const cwd = path.resolve(options.cwd)
  const walker = new Walker(cwd, logger)
  let stdinAdded = false
  for (const given of paths) {
    if (given === '-') {
      if (!stdinAdded) walker.files.push({ path: STDIN_PATH, absolutePath: null, explicit: true })
      stdinAdded = true
      continue
    }
    const pattern = toPosix(given).replace(/^\.\//, '')
    const scan = picomatch.scan(pattern)
    if (scan.isGlob) {
      await discoverGlob(walker, pattern, scan.base, cwd)
      continue
    }
    const absolute = path.resolve(cwd, given)
    let info
    try {
      info = await stat(absolute)
    } catch (error) {
      const link = await lstat(absolute).catch(() => null)
      const why = link?.isSymbolicLink() === true && errorCode(error) === 'ENOENT' ? 'a broken symlink (its target does not exist)' : describeError(error)
      walker.diagnostics.push(fileDiagnostic(toPosix(given), `cannot read: ${why}`))
      continue
    }
    if (info.isDirectory()) {
      const real = await realDirectory(absolute)
      await walker.walk(absolute, toPosix(given), real, new Set([real]), ACCEPT_ALL)
    } else if (info.isFile()) {
      walker.add(absolute, toPosix(given), true)
    } else {
      walker.diagnostics.push(fileDiagnostic(toPosix(given), 'cannot read: not a regular file'))
    }
  }
  const { files, notices } = await setAsideChartTemplates(walker.files, cwd)
  return { files, diagnostics: [...walker.diagnostics, ...notices] }
}

async function discoverGlob(walker: Walker, pattern: string, base: string, cwd: string): Promise<void> {
  let matches: (candidate: string) => boolean
  try {
    matches = picomatch(pattern)
  } catch (error) {
    walker.diagnostics.push(fileDiagnostic(pattern, `not a valid glob pattern: ${describeError(error)}`))
    return
  }
  const baseGiven = base === '' ? '.' : base
  const absoluteBase = path.resolve(cwd, baseGiven)
  const before = walker.files.length
  const diagnosticsBefore = walker.diagnostics.length
  let baseInfo
  try {
    baseInfo = await stat(absoluteBase)
  } catch (error) {
    walker.diagnostics.push(fileDiagnostic(pattern, `no file matches: ${baseGiven} ${describeError(error)}`))
    return
  }
  if (!baseInfo.isDirectory()) {
    walker.diagnostics.push(fileDiagnostic(pattern, `no file matches: ${baseGiven} is not a directory`))
    return
  }
  // Candidates are matched in the pattern's own form: relative to cwd, or absolute.
  const inPatternForm = (reported: string): string => {
    const absolute = path.resolve(cwd, reported)
    return path.isAbsolute(pattern) ? toPosix(absolute) : toPosix(path.relative(cwd, absolute))
  }
  const real = await realDirectory(absoluteBase)
  await walker.walk(absoluteBase, baseGiven, real, new Set([real]), {
    acceptFile: (reported) => matches(inPatternForm(reported)),
    onManifestNamedDirectory: (reported) => {
      if (matches(inPatternForm(reported))) {
        walker.diagnostics.push(
          fileDiagnostic(reported, 'cannot read: it is a directory, not a file (pass it as a path to scan the files in it)')
        )
      }
    }
  })
  if (walker.files.length === before && walker.diagnostics.length === diagnosticsBefore) {
    walker.diagnostics.push(fileDiagnostic(pattern, 'no file matches this pattern'))
  }
}
