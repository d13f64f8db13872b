// digest-not-found: no manifest with that digest in that repository. With `name:tag@digest` the
// kubelet pulls the digest and ignores the tag, so a good tag does not save a wrong digest.
import { shortDigest } from '../reports/format.js'
import type { Rule } from './types.js'
import { failedToPull } from './wording.js'

export const digestNotFound: Rule = {
  id: 'digest-not-found',
  defaultSeverity: 'error',
  summary: 'No manifest with that digest exists in the repository.',
  description:
    'The image is pinned by digest (`@sha256:…`) and the repository has no manifest with it: the digest ' +
    'was copied from another repository or registry, mistyped, or garbage-collected. With `name:tag@digest` ' +
    'the kubelet pulls the digest and ignores the tag entirely, so an existing tag does not help. The ' +
    'kubelet reports `not found`.',
  fix: 'Pin a digest that exists in this repository (`crane digest` / `docker buildx imagetools inspect` show the current one), or push the image again.',
  requires: 'registry',
  checkImage({ use, registry }) {
    if (registry === null || registry.existence.kind !== 'absent') return []
    if (registry.existence.failure.status !== 'digest-not-found') return []
    const reference = registry.reference
    let sentence = `${reference.registry}/${reference.repository} has no manifest with this digest`
    let fix: string | undefined
    if (reference.tag !== null) {
      sentence += `; the kubelet pulls the digest and ignores the tag "${reference.tag}"`
      if (registry.tagNow?.status === 'found') {
        sentence += ` (which now points to ${shortDigest(registry.tagNow.digest)})`
        fix = `Pin the digest the tag points to now: ${reference.registry}/${reference.repository}:${reference.tag}@${registry.tagNow.digest}`
      }
    }
    return [{ message: failedToPull(use, `${reference.canonical}: not found`) + ` — ${sentence}`, fix }]
  }
}
