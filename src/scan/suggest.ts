// "Did you mean …?": the nearest existing tags of a repository, the closest repository used
// elsewhere in the scanned files, and the short name that silently resolved to Docker Hub while the
// rest of the files use another registry. Edit distance via fastest-levenshtein.
import { distance } from 'fastest-levenshtein'
import type { ImageReference } from '../model.js'
import type { ScanPicture } from '../rules/types.js'

/** The `registry/repository` key the scan picture uses. */
export function repositoryKey(reference: Pick<ImageReference, 'registry' | 'repository'>): string {
  return `${reference.registry}/${reference.repository}`
}

/** Up to `limit` existing tags closest to `tag`, nearest first; only plausible typos. */
export function nearestTags(tag: string, tags: readonly string[], limit = 3): string[] {
  const threshold = Math.max(2, Math.ceil(tag.length / 3))
  return tags
    .filter((candidate) => candidate !== tag)
    .map((candidate) => ({ candidate, cost: distance(tag, candidate) }))
    .filter(({ cost }) => cost <= threshold)
    .sort((a, b) => a.cost - b.cost || compareVersionsDescending(a.candidate, b.candidate))
    .slice(0, limit)
    .map(({ candidate }) => candidate)
}

/**
 * The repository used elsewhere in the scanned files whose name is closest to this one, if it is a
 * plausible typo. `otherRegistries` leaves out candidates on the same registry (when that registry
 * could not be asked, its other repositories are no better known).
 */
export function closestRepository(reference: ImageReference, picture: ScanPicture, otherRegistries = false): string | null {
  const target = repositoryKey(reference)
  const threshold = Math.max(2, Math.floor(target.length / 5))
  let best: { key: string; cost: number; uses: number } | null = null
  for (const [key, uses] of picture.repositories) {
    if (key === target) continue
    if (otherRegistries && key.startsWith(`${reference.registry}/`)) continue
    const cost = distance(target, key)
    if (cost > threshold) continue
    if (best === null || cost < best.cost || (cost === best.cost && uses > best.uses)) best = { key, cost, uses }
  }
  return best?.key ?? null
}

/** A short name that resolved to Docker Hub although the other images of the scanned files come from another registry. */
export interface DockerHubSurprise {
  /** The registry most other images use. */
  registry: string
  /** How many image uses name that registry. */
  uses: number
  /** A repository on that registry with the same last path component, when there is one. */
  candidate: string | null
}

/** Says when `reference` names Docker Hub only because the registry was left out, while the rest of the files use another one. */
export function dockerHubSurprise(reference: ImageReference, picture: ScanPicture): DockerHubSurprise | null {
  if (!reference.implied.includes('registry')) return null
  let top: { registry: string; uses: number } | null = null
  let hubUses = 0
  for (const [registry, uses] of picture.registries) {
    if (registry === reference.registry) hubUses = uses
    else if (top === null || uses > top.uses) top = { registry, uses }
  }
  if (top === null || top.uses < hubUses) return null
  const lastComponent = reference.repository.split('/').pop() ?? reference.repository
  let candidate: string | null = null
  let candidateCost = Infinity
  for (const key of picture.repositories.keys()) {
    if (!key.startsWith(`${top.registry}/`)) continue
    const name = key.split('/').pop() ?? key
    const cost = distance(lastComponent, name)
    if (cost <= Math.max(1, Math.floor(lastComponent.length / 4)) && cost < candidateCost) {
      candidate = key
      candidateCost = cost
    }
  }
  return { registry: top.registry, uses: top.uses, candidate }
}

// Among equally close tags, prefer the newer-looking one (v2.0.10 before v2.0.9).
function compareVersionsDescending(a: string, b: string): number {
  return b.localeCompare(a, 'en', { numeric: true })
}
