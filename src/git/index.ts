// What a change touched, asked of the local git repository: the files that differ between a base and
// a head commit (`git diff base...head`, the same three-dot comparison a pull request shows) and the
// lines each file gains. git runs with an argument array, never through a shell, so no path or ref
// can be interpreted as a command.
import { execFile } from 'node:child_process'
import { parseUnifiedDiff, type ChangedLines } from './diff.js'

export { addedLinesFromPatch, isLineChanged, parseUnifiedDiff, type ChangedLines } from './diff.js'

/** git could not answer (not a repository, a commit missing from a shallow clone, git not installed). */
export class GitError extends Error {
  override readonly name = 'GitError'
}

/** A diff of a whole repository can be large; the limit only guards against runaway output. */
const MAX_GIT_OUTPUT = 512 * 1024 * 1024
const COMMIT_ID = /^[0-9a-f]{4,64}$/i

/** Runs git with `args` in `cwd` and returns its stdout. Throws GitError with git's own message. */
export function runGit(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-c', 'core.quotepath=off', ...args],
      {
        cwd,
        maxBuffer: MAX_GIT_OUTPUT,
        encoding: 'utf8'
      },
      (error, stdout, stderr) => {
        if (error !== null) {
          const detail = stderr.trim().split('\n')[0] ?? error.message
          reject(new GitError(`git ${args[0] ?? ''} failed: ${detail || error.message}`))
        } else {
          resolve(stdout)
        }
      }
    )
  })
}

/** Options naming the two commits of a comparison. */
export interface CommitRange {
  /** The repository's working directory. */
  cwd: string
  /** Commit the change is based on (a pull request's base SHA). */
  base: string
  /** Commit with the change (a pull request's head SHA). */
  head: string
}

function assertCommitIds(range: CommitRange): void {
  for (const id of [range.base, range.head]) {
    // Refs come from an event payload; only plain object ids are passed on to git.
    if (!COMMIT_ID.test(id)) throw new GitError(`not a commit id: ${JSON.stringify(id)}`)
  }
}

/** True when `commit` is present in the local repository (a shallow clone may lack the base). */
export async function hasCommit(cwd: string, commit: string): Promise<boolean> {
  if (!COMMIT_ID.test(commit)) return false
  try {
    await runGit(['cat-file', '-e', `${commit}^{commit}`], cwd)
    return true
  } catch {
    return false
  }
}

/**
 * The repository-relative paths that exist at `head` and differ from the merge base of `base` and
 * `head` (`git diff --name-only base...head`, deleted files left out; a renamed file appears under
 * its new name).
 */
export async function changedFilesBetween(range: CommitRange): Promise<string[]> {
  assertCommitIds(range)
  const output = await runGit(
    ['diff', '--name-only', '--no-renames', '--diff-filter=d', '-z', `${range.base}...${range.head}`],
    range.cwd
  )
  return output.split('\0').filter((file) => file !== '')
}

/** The lines each file gains between the merge base and `head`, from `git diff -U0`. */
export async function changedLinesBetween(range: CommitRange & { files?: string[] }): Promise<ChangedLines> {
  assertCommitIds(range)
  const args = ['diff', '-U0', '--no-color', '--no-ext-diff', '--no-renames', `${range.base}...${range.head}`]
  if (range.files !== undefined) {
    if (range.files.length === 0) return new Map()
    args.push('--', ...range.files.map((file) => `:(literal)${file}`))
  }
  return parseUnifiedDiff(await runGit(args, range.cwd))
}
