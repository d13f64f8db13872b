// platform-mismatch: the image has no runnable entry for a platform the pod can land on, matched the
// way containerd matches (arm64 variant defaults, arm v7 default, amd64 accepting only plain amd64).
import { formatPlatform, selectPlatform } from '../kube/platform.js'
import type { PlatformImage } from '../model.js'
import type { Rule } from './types.js'
import { failedToPull, listInWords, shownImage } from './wording.js'

export const platformMismatch: Rule = {
  id: 'platform-mismatch',
  defaultSeverity: 'error',
  summary: 'The image has no build for a platform the pod can be scheduled on.',
  description:
    "The platforms a pod can land on come from its `nodeSelector` and required node affinity on " +
    '`kubernetes.io/arch` and `kubernetes.io/os`, else from the configured `platforms` (default ' +
    '`linux/amd64`). Each is matched against the image the way containerd does: `arm64` equals `arm64/v8`, ' +
    '`arm` defaults to `v7`, an arm64 node falls back to 32-bit arm images, and an amd64 node accepts plain ' +
    '`amd64` (or `386`) but not an index that only has `amd64/v2` or `v3`. For a multi-platform index with ' +
    'no match the kubelet reports "no match for platform in manifest". A single-platform image is never ' +
    'checked by the runtime: it is pulled, and the container fails with "exec format error".',
  fix: 'Build and push the image for every platform the pod can land on (`docker buildx build --platform linux/amd64,linux/arm64 …`), or constrain the pod with a `nodeSelector` on `kubernetes.io/arch`.',
  requires: 'registry',
  checkImage({ use, registry }) {
    if (registry === null || registry.existence.kind !== 'found') return []
    const facts = registry.existence.facts
    const missing = registry.platforms.filter((platform) => selectPlatform(facts.platforms, platform) === null)
    if (missing.length === 0) return []
    const wanted = listInWords(missing.map(formatPlatform))
    const has = facts.platforms.length === 0 ? 'no runnable image at all' : listInWords(facts.platforms.map(describe))
    const whence = registry.platformsFromPod ? "the pod's node selector and affinity allow" : 'the configured platforms are'
    const message = facts.isIndex
      ? failedToPull(use, 'no match for platform in manifest: not found') + ` — the image has ${has}; ${whence} ${wanted}`
      : facts.platforms.length === 0
        ? `"${shownImage(use)}" has no runnable image (its manifest is not a container image for any platform); ${whence} ${wanted}`
        : `"${shownImage(use)}" is a single-platform ${has} image; ${whence} ${wanted}, where the pull succeeds and the container fails with "exec format error"`
    return [
      {
        message,
        fix: `Push a multi-platform image that includes ${wanted} (docker buildx build --platform …), or pin the pod to ${has === 'no runnable image at all' ? 'a platform the image has' : has} with a nodeSelector on kubernetes.io/arch.`
      }
    ]
  }
}

function describe(image: PlatformImage): string {
  return formatPlatform({ os: image.os, architecture: image.architecture, variant: image.variant ?? undefined })
}
