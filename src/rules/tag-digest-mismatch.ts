// tag-digest-mismatch: `name:tag@digest` where the tag now points to another manifest (or no longer
// exists). The kubelet pulls the digest; the tag only misleads the reader.
import type { ImageFacts } from '../model.js'
import { shortDigest } from '../reports/format.js'
import type { Rule } from './types.js'
import { shownImage } from './wording.js'

export const tagDigestMismatch: Rule = {
  id: 'tag-digest-mismatch',
  defaultSeverity: 'warning',
  summary: 'The image is pinned as `name:tag@digest` but the tag now points to a different manifest.',
  description:
    'With both a tag and a digest the kubelet pulls the digest and ignores the tag, so the pod runs what ' +
    'the digest names — but a reader (and tools that update tags) believe it runs the tag. When the tag has ' +
    'moved, the two disagree: either the digest is stale or the tag was re-pushed. A digest of one platform ' +
    'image inside a multi-platform tag is a common cause: nodes of other platforms then get the wrong image.',
  fix: 'Update the digest to the one the tag points to now, or change the tag to the release the digest belongs to.',
  requires: 'registry',
  checkImage({ use, registry }) {
    if (registry === null || registry.existence.kind !== 'found') return []
    const reference = registry.reference
    if (reference.tag === null || reference.digest === null || registry.tagNow === null) return []
    const tagNow = registry.tagNow
    const repository = `${reference.registry}/${reference.repository}`
    if (tagNow.status === 'tag-not-found') {
      return [
        {
          message: `"${shownImage(use)}" pins a digest, but the tag "${reference.tag}" no longer exists in ${repository}; the kubelet pulls the digest and ignores the tag`,
          fix: `Write the image as ${repository}@${reference.digest}, or with the tag the digest was released as.`
        }
      ]
    }
    if (tagNow.status !== 'found' || tagNow.digest === reference.digest) return []
    return [
      {
        message:
          `"${shownImage(use)}" pins a digest, but the tag "${reference.tag}" now points to ${shortDigest(tagNow.digest)}; the kubelet pulls the digest and ignores the tag` +
          platformChildNote(tagNow, reference.digest),
        fix: `Pin the current digest (${repository}:${reference.tag}@${tagNow.digest}) if the tag is what you mean, or correct the tag.`
      }
    ]
  }
}

// A digest copied from `docker pull` output on one machine is often the platform image, not the index.
function platformChildNote(tagNow: ImageFacts, digest: string): string {
  const child = tagNow.platforms.find((platform) => platform.digest === digest)
  if (child === undefined || !tagNow.isIndex) return ''
  const name = [child.os, child.architecture, child.variant].filter((part) => part !== null && part !== '').join('/')
  return ` — the pinned digest is the ${name} image inside the tag's multi-platform index, so nodes of every other platform get a ${name} image`
}
