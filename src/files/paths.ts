// How files are named in reports: relative to the working directory when they are below it, with
// POSIX separators and no `./` (the form GitHub annotations need), and as the user wrote them
// otherwise. Also which file names are manifests.
import path from 'node:path'

/** The name stdin is reported under. */
export const STDIN_PATH = '<stdin>'

const MANIFEST_EXTENSIONS: ReadonlySet<string> = new Set(['.yaml', '.yml', '.json'])

/** True for `.yaml`, `.yml` and `.json` (any case). */
export function hasManifestExtension(name: string): boolean {
  return MANIFEST_EXTENSIONS.has(path.extname(name).toLowerCase())
}

/** True when the file should be read as JSON (by its extension). */
export function isJsonPath(name: string): boolean {
  return path.extname(name).toLowerCase() === '.json'
}

/** Backslashes to slashes (Windows paths in reports). */
export function toPosix(value: string): string {
  return path.sep === '\\' ? value.replaceAll('\\', '/') : value
}

/**
 * The path to report for a file: relative to `cwd` when below it, else `given` (the path as the
 * user wrote it, extended by the walk), normalised to POSIX separators.
 */
export function reportedPath(absolutePath: string, given: string, cwd: string): string {
  const relative = path.relative(cwd, absolutePath)
  if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) return toPosix(relative)
  if (relative === '') return '.'
  return toPosix(path.normalize(given))
}
