// Finding files by name across a repository checkout (every Chart.yaml, every kustomization.yaml),
// and reading them with a per-run cache. Bounded so a huge monorepo cannot stall the action:
// node_modules, .git and symlinked directories are never entered.
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Logger } from '../logger.js'

/** Directories never walked: dependencies and VCS metadata hold no chart of this repository. */
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules'])
/** Directory entries visited at most per walk. */
const MAX_ENTRIES = 200_000

/** Repository-relative POSIX paths of the files whose base name is in `names`, sorted. */
export async function findFilesNamed(repoRoot: string, names: ReadonlySet<string>, logger?: Logger): Promise<string[]> {
  const found: string[] = []
  const pending: string[] = ['']
  let visited = 0
  while (pending.length > 0) {
    const relative = pending.pop()!
    let entries
    try {
      entries = await readdir(path.join(repoRoot, relative), { withFileTypes: true })
    } catch {
      continue
    }
    for (const entry of entries) {
      visited += 1
      if (visited > MAX_ENTRIES) {
        logger?.warning(`provenance: stopped looking for ${[...names].join(', ')} after ${MAX_ENTRIES} directory entries`)
        return found.sort()
      }
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) pending.push(child)
      } else if (entry.isFile() && names.has(entry.name)) {
        found.push(child)
      }
    }
  }
  return found.sort()
}

/** Reads repository files as UTF-8 text, once each; a file that cannot be read is null. */
export class RepositoryFileCache {
  private readonly texts = new Map<string, Promise<string | null>>()

  constructor(private readonly repoRoot: string) {}

  /** The text of a repository-relative file, or null when it is missing or unreadable. */
  read(relativePath: string): Promise<string | null> {
    let text = this.texts.get(relativePath)
    if (text === undefined) {
      text = readFile(path.join(this.repoRoot, relativePath), 'utf8').catch(() => null)
      this.texts.set(relativePath, text)
    }
    return text
  }

  /** True when the repository-relative path names a readable file. */
  async exists(relativePath: string): Promise<boolean> {
    return (await this.read(relativePath)) !== null
  }

  /** The names in a repository-relative directory, or [] when it is not one. */
  async list(relativeDirectory: string): Promise<string[]> {
    try {
      return (await readdir(path.join(this.repoRoot, relativeDirectory), { withFileTypes: true }))
        .filter((entry) => entry.isFile())
        .map((entry) => entry.name)
        .sort()
    } catch {
      return []
    }
  }
}
