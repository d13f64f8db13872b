// Kustomize provenance: an image in `kustomize build` output that a kustomization's `images:` entry
// set (`name` → `newName`, `newTag`, `digest`) is traced to that entry's lines. The build output has
// no `# Source:` comments, so entries are matched by value: the entry must produce exactly the
// rendered name, tag and digest.
import type { Logger } from '../logger.js'
import { compareNames, splitImage } from './image-parts.js'
import { nodeAt, parsePositionedYaml, type PositionedScalar } from './positioned.js'
import { findFilesNamed, type RepositoryFileCache } from './repository-files.js'
import type { ProvenanceTrace, TracedLine } from './types.js'

/** File names kustomize reads as a kustomization. */
export const KUSTOMIZATION_FILE_NAMES: ReadonlySet<string> = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization'])

/** One `images:` entry of a kustomization, with the positions of its fields. */
export interface KustomizeImageEntry {
  file: string
  name: PositionedScalar
  newName?: PositionedScalar
  newTag?: PositionedScalar
  digest?: PositionedScalar
}

function text(node: PositionedScalar | undefined): string | undefined {
  const value = node?.text?.trim()
  return value === undefined || value === '' ? undefined : value
}

function scalarField(entry: Map<string, unknown>, key: string): PositionedScalar | undefined {
  const node = entry.get(key) as PositionedScalar | undefined
  return node?.kind === 'scalar' && text(node) !== undefined ? node : undefined
}

/** Kustomize provenance over every kustomization of one repository checkout. */
export class KustomizeProvenance {
  private constructor(private readonly entries: KustomizeImageEntry[]) {}

  /** Reads the `images:` entries of every kustomization in the repository. */
  static async load(repoRoot: string, files: RepositoryFileCache, logger?: Logger): Promise<KustomizeProvenance> {
    const entries: KustomizeImageEntry[] = []
    for (const file of await findFilesNamed(repoRoot, KUSTOMIZATION_FILE_NAMES, logger)) {
      const source = await files.read(file)
      if (source === null) continue
      const images = nodeAt(parsePositionedYaml(source, file)[0] ?? null, ['images'])
      if (images?.kind !== 'seq') continue
      for (const item of images.items) {
        if (item.kind !== 'map') continue
        const name = scalarField(item.entries, 'name')
        if (name === undefined) continue
        entries.push({
          file,
          name,
          newName: scalarField(item.entries, 'newName'),
          newTag: scalarField(item.entries, 'newTag'),
          digest: scalarField(item.entries, 'digest')
        })
      }
    }
    return new KustomizeProvenance(entries)
  }

  /** The entries found, for tests. */
  get imageEntries(): readonly KustomizeImageEntry[] {
    return this.entries
  }

  /** The kustomization lines that produced `image`, from every kustomization whose entry produces exactly it; null when none does. */
  trace(image: string): ProvenanceTrace | null {
    const rendered = splitImage(image)
    const lines: TracedLine[] = []
    for (const entry of this.entries) {
      const newName = text(entry.newName)
      const newTag = text(entry.newTag)
      const digest = text(entry.digest)
      if (newName === undefined && newTag === undefined && digest === undefined) continue
      if (compareNames(rendered.name, newName ?? text(entry.name)!) !== 'exact') continue
      // With a digest kustomize writes name@digest and drops the tag.
      if (digest !== undefined ? rendered.digest !== digest : newTag !== undefined && rendered.tag !== newTag) continue
      const what = (field: string, node: PositionedScalar): string => `${field} of the images entry "${text(entry.name)}" sets ${JSON.stringify(node.text)}`
      if (entry.newName !== undefined) lines.push({ ...entry.newName.position, role: 'repository', message: what('newName', entry.newName) })
      else lines.push({ ...entry.name.position, role: 'repository', message: `the images entry "${text(entry.name)}" rewrites this image` })
      if (entry.newTag !== undefined && digest === undefined) lines.push({ ...entry.newTag.position, role: 'tag', message: what('newTag', entry.newTag) })
      if (entry.digest !== undefined) lines.push({ ...entry.digest.position, role: 'digest', message: what('digest', entry.digest) })
    }
    return lines.length === 0 ? null : { via: 'kustomize', lines }
  }
}
