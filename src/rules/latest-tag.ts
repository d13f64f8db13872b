// latest-tag: an image without a tag or digest, or tagged `:latest`, pulls whatever the tag points
// to at pull time.
import type { Rule } from './types.js'
import { shownImage } from './wording.js'

export const latestTag: Rule = {
  id: 'latest-tag',
  defaultSeverity: 'warning',
  summary: 'The image has no tag, or `:latest`, and no digest: what runs changes without a change to the manifest.',
  description:
    'Without a tag the kubelet pulls `:latest`, and `:latest` (like any moving tag) points wherever the ' +
    'last push left it. Two nodes can run different code from the same manifest, a rollback does not roll ' +
    'back, and because `imagePullPolicy` defaults to `Always` for `:latest`, every pod start depends on the ' +
    'registry being reachable. A digest (`@sha256:…`) pins the image whatever the tag says.',
  fix: 'Pin a version tag (`nginx:1.27.3`), or better a digest (`nginx@sha256:…`, which the kubelet pulls whatever the tags say).',
  requires: 'offline',
  checkImage({ use }) {
    const reference = use.reference
    if (reference === null || reference.digest !== null) return []
    if (reference.tag !== null && reference.tag !== 'latest') return []
    const how = reference.tag === null ? 'has no tag, so the kubelet pulls' : 'is tagged'
    return [
      {
        message: `"${shownImage(use)}" ${how} ${reference.canonical}: whatever :latest points to when the pod starts`
      }
    ]
  }
}
