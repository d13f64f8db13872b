// Finds the configuration file: the path given explicitly, else `.pullcheck.yaml` / `.pullcheck.yml`
// in the current directory, else in the root of the git repository that holds it. Only looks;
// reading and validating belong to load.ts.
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { ConfigurationError } from '../errors.js'

/** File names tried in each directory, in order. */
export const CONFIG_FILE_NAMES = ['.pullcheck.yaml', '.pullcheck.yml'] as const

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => null))?.isFile() === true
}

async function exists(file: string): Promise<boolean> {
  return (await stat(file).catch(() => null)) !== null
}

/** The config file of `directory`, or null; two candidates at once is an error (which one applies would be a guess). */
async function configFileIn(directory: string): Promise<string | null> {
  const found: string[] = []
  for (const name of CONFIG_FILE_NAMES) {
    if (await isFile(path.join(directory, name))) found.push(path.join(directory, name))
  }
  if (found.length > 1) {
    throw new ConfigurationError(`both ${found.join(' and ')} exist; keep one of them`, 'config')
  }
  return found[0] ?? null
}

/** The nearest directory at or above `start` that holds `.git` (a directory, or a file in worktrees and submodules). */
export async function findGitRoot(start: string): Promise<string | null> {
  let directory = path.resolve(start)
  for (;;) {
    if (await exists(path.join(directory, '.git'))) return directory
    const parent = path.dirname(directory)
    if (parent === directory) return null
    directory = parent
  }
}

/**
 * Locates the configuration file (absolute path) or returns null when there is none.
 * An explicit `configPath` (relative to `cwd`) must exist; `configPathKey` names it in the error.
 */
export async function findConfigFile(cwd: string, configPath?: string, configPathKey = 'config'): Promise<string | null> {
  if (configPath !== undefined) {
    const file = path.resolve(cwd, configPath)
    if (!(await isFile(file))) {
      throw new ConfigurationError(`configuration file not found: ${configPath}`, configPathKey)
    }
    return file
  }
  const inCwd = await configFileIn(cwd)
  if (inCwd !== null) return inCwd
  const gitRoot = await findGitRoot(cwd)
  if (gitRoot === null || gitRoot === path.resolve(cwd)) return null
  return configFileIn(gitRoot)
}
