// image-too-large: the compressed size of the platform image that would be pulled is over
// `maxImageSize`.
import type { ScanConfig } from '../config/types.js'
import { formatPlatform, selectPlatform } from '../kube/platform.js'
import type { Rule } from './types.js'
import { formatBytes } from '../reports/format.js'
import { shownImage } from './wording.js'

export const imageTooLarge: Rule = {
  id: 'image-too-large',
  defaultSeverity: 'warning',
  summary: 'The image that would be pulled is larger than `maxImageSize` (default 1 GiB) compressed.',
  description:
    'The size is the sum of the compressed layers of the platform image the node would pull (the one ' +
    'containerd picks from a multi-platform index), as the registry declares them. Large images make every ' +
    'cold start slow, can exceed the time a rollout or autoscaler waits for a new node, and fill node ' +
    'disks until the kubelet starts evicting images. When the manifest of that platform image could not be ' +
    'read (the registry failed or rate-limited pullcheck), nothing is claimed about the size: the ' +
    'could-not-verify rule of the cause (`registry-unreachable`, `registry-timeout`, `rate-limited`, …) says so.',
  fix: 'Slim the image (multi-stage build, a smaller base, no build tools or caches in the final stage), or raise `maxImageSize` if the size is expected.',
  requires: 'registry',
  checkImage({ use, registry }, { config }) {
    if (registry === null || registry.existence.kind !== 'found') return []
    const facts = registry.existence.facts
    let largest: { platform: string; size: number } | null = null
    for (const platform of registry.platforms) {
      const selected = selectPlatform(facts.platforms, platform)
      const size = selected?.image.size ?? null
      // An unknown size is no verdict: the could-not-verify rules report it (see couldNotAsk).
      if (size === null || size <= config.maxImageSize) continue
      if (largest === null || size > largest.size) largest = { platform: formatPlatform(platform), size }
    }
    if (largest === null) return []
    return [
      {
        message: `The ${largest.platform} image of "${shownImage(use)}" is ${formatBytes(largest.size)} compressed, over the limit of ${formatBytes(config.maxImageSize)}: slow cold starts and full node disks`
      }
    ]
  }
}

/** True unless the configuration turned image-too-large off: only then does an unknown size matter. */
export function isSizeChecked(config: Pick<ScanConfig, 'rules'>): boolean {
  return config.rules[imageTooLarge.id] !== 'off'
}
