// The phrases the kubelet and containerd print in `kubectl describe pod`, shared by the rules so
// that a finding reads like the event a user would otherwise meet after the deploy.
import type { ImageUse } from '../model.js'
import { redactImage } from '../scan/redact.js'

/** The image as it may be shown: credentials written into it are masked. */
export function shownImage(use: ImageUse): string {
  return redactImage(use.image)
}

/** `Failed to pull image "X": <cause>` — the kubelet's event for a failed pull. */
export function failedToPull(use: ImageUse, cause: string): string {
  return `Failed to pull image "${shownImage(use)}": ${cause}`
}

/** `a, b and c` */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}
