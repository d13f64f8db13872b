// repository-not-found: the registry says the repository does not exist. Suggests the closest
// repository used elsewhere in the scanned files, and says when a short name silently resolved to
// Docker Hub while the rest of the files use another registry.
import type { ImageReference } from '../model.js'
import { closestRepository, dockerHubSurprise, repositoryKey } from '../scan/suggest.js'
import type { Rule, ScanPicture } from './types.js'
import { failedToPull } from './wording.js'

export const repositoryNotFound: Rule = {
  id: 'repository-not-found',
  defaultSeverity: 'error',
  summary: 'The repository does not exist on its registry.',
  description:
    'The registry answered, and it has no repository of that name: a typo in the path, the wrong ' +
    'organisation, or an image that was never pushed. A short name such as `myapp:1.0` resolves to ' +
    '`docker.io/library/myapp` — Docker Hub — when the registry is left out, which is rarely what a ' +
    'team that uses its own registry meant. The kubelet reports `not found` and the pod stays in ' +
    '`ImagePullBackOff`. pullcheck suggests the closest repository used elsewhere in the scanned files.',
  fix: 'Correct the repository path (or add the registry host the other images use), or push the image before deploying.',
  requires: 'registry',
  checkImage({ use, registry }, { picture }) {
    if (registry === null || registry.existence.kind !== 'absent') return []
    if (registry.existence.failure.status !== 'repository-not-found') return []
    const reference = registry.reference
    const hint = repositoryHint(reference, picture)
    return [
      {
        message:
          failedToPull(use, `${reference.canonical}: not found`) +
          ` — ${reference.registry} has no repository ${reference.repository}` +
          (hint.sentence === '' ? '' : `. ${hint.sentence}`),
        fix: hint.fix ?? `Correct the repository path, or push ${repositoryKey(reference)} before deploying.`
      }
    ]
  }
}

/**
 * The "did you mean" sentence and fix for a repository that does not exist, may not, or could not
 * be looked up. `otherRegistries`: suggest only repositories on other registries.
 */
export function repositoryHint(reference: ImageReference, picture: ScanPicture, otherRegistries = false): RepositoryHint {
  const hub = dockerHubHint(reference, picture)
  if (hub.sentence !== '') return hub
  const closest = closestRepository(reference, picture, otherRegistries)
  if (closest !== null) {
    return { sentence: `Did you mean ${closest} (used elsewhere in these files)?`, fix: `Use ${closest}, as the other manifests do, or push ${repositoryKey(reference)}.` }
  }
  return { sentence: '', fix: null }
}

/** A sentence and fix, empty when there is nothing to suggest. */
export interface RepositoryHint {
  sentence: string
  fix: string | null
}

/** Says when a short name silently resolved to Docker Hub while the other images use another registry. */
export function dockerHubHint(reference: ImageReference, picture: ScanPicture): RepositoryHint {
  const surprise = dockerHubSurprise(reference, picture)
  if (surprise === null) return { sentence: '', fix: null }
  const written = reference.input.replace(/[:@].*$/, '')
  const sentence =
    `"${written}" names no registry, so it resolved to Docker Hub (${repositoryKey(reference)}), while the other images in these files come from ${surprise.registry}` +
    (surprise.candidate === null ? '' : `; did you mean ${surprise.candidate}?`)
  const fix = `Write the registry host: ${surprise.candidate ?? `${surprise.registry}/${reference.repository.replace(/^library\//, '')}`}`
  return { sentence, fix }
}
