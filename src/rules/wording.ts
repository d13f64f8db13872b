// The phrases the kubelet and containerd print in `kubectl describe pod`, shared by the rules so
// that a finding reads like the event a user would otherwise meet after the deploy.
import type { ImageUse } from '../model.js'
import { redactImage } from '../reference/embedded-credentials.js'
import { isNeverPulled } from '../scan/verdict.js'

/** Longest image string quoted whole in a message; a longer one is cut and its length given. */
const SHOWN_IMAGE_LIMIT = 256

/** Control characters, Unicode line breaks and bidirectional overrides: shown as escapes, never raw. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g
const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/**
 * The image as it may be shown: credentials written into it are masked, characters that would break
 * a report line or mislead a reader are escaped, and an absurdly long value is cut.
 */
export function shownImage(use: ImageUse): string {
  const escaped = redactImage(use.image).replace(
    UNPRINTABLE,
    (char) => NAMED_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
  return escaped.length > SHOWN_IMAGE_LIMIT ? `${escaped.slice(0, SHOWN_IMAGE_LIMIT)}… (${use.image.length} characters)` : escaped
}

/**
 * `Failed to pull image "X": <cause>` — the kubelet's event for a failed pull. For an image the
 * kubelet never pulls (`imagePullPolicy: Never`), its event for a missing one, and why the registry
 * cannot be where the node's copy comes from.
 */
export function failedToPull(use: ImageUse, cause: string): string {
  if (isNeverPulled(use)) {
    return `Container image "${shownImage(use)}" is not present with pull policy of Never (ErrImageNeverPull) unless it is preloaded on the node, and its registry cannot provide it: ${cause}`
  }
  return `Failed to pull image "${shownImage(use)}": ${cause}`
}

/** `a, b and c` */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}
