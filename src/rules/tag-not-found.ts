// tag-not-found: the repository exists, the tag does not; lists the nearest existing tags.
import { nearestTags } from '../scan/suggest.js'
import type { Rule } from './types.js'
import { failedToPull, listInWords } from './wording.js'

export const tagNotFound: Rule = {
  id: 'tag-not-found',
  defaultSeverity: 'error',
  summary: 'The repository exists but the tag does not.',
  description:
    'The registry has the repository but no manifest under this tag: a typo (`v2.0.1` for `v2.0.0`), a ' +
    'release that was never pushed or not pushed yet, or a tag deleted by a retention policy. The kubelet ' +
    'reports `not found` and the pod stays in `ImagePullBackOff`. pullcheck lists every page of the ' +
    "repository's tags and suggests the nearest ones.",
  fix: 'Use a tag that exists (pullcheck lists the nearest ones), or push the tag before the change is deployed.',
  requires: 'registry',
  checkImage({ use, registry }) {
    if (registry === null || registry.existence.kind !== 'absent') return []
    if (registry.existence.failure.status !== 'tag-not-found') return []
    const reference = registry.reference
    const tag = reference.tag ?? 'latest'
    const near = registry.tags === null ? [] : nearestTags(tag, registry.tags)
    let sentence: string
    if (near.length > 0) sentence = `did you mean ${near[0]}?` + (near.length > 1 ? ` (also close: ${listInWords(near.slice(1))})` : '')
    else if (registry.tags === null) sentence = 'its tags could not be listed'
    else if (registry.tags.length === 0) sentence = 'the repository has no tags at all'
    else sentence = `no tag is close; it has ${registry.tags.length} tags`
    return [
      {
        message: failedToPull(use, `${reference.canonical}: not found`) + ` — ${reference.registry}/${reference.repository} has no tag "${tag}"; ${sentence}`,
        fix: near.length > 0 ? `Use an existing tag such as ${near[0]}, or push "${tag}" before deploying.` : `Push "${tag}" before deploying, or use a tag that exists.`
      }
    ]
  }
}
