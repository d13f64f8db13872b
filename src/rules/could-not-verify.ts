// The shared check behind registry-unreachable, registry-timeout, registry-tls-error,
// registry-blocked and rate-limited: the question could not be asked, and the finding says so
// without ever claiming that the image is missing.
import type { LookupFailure } from '../model.js'
import { couldNotAsk } from '../scan/verdict.js'
import type { FindingDraft, ImageCheck } from './types.js'

/** Builds the check of a "could not verify" rule for the failures `matches` accepts. */
export function couldNotVerifyCheck(
  matches: (failure: LookupFailure) => boolean,
  fixFor: (failure: LookupFailure, registry: string) => string
): (image: ImageCheck) => FindingDraft[] {
  return ({ registry }) => {
    if (registry === null) return []
    const unasked = couldNotAsk(registry)
    if (unasked === null || !matches(unasked.failure)) return []
    const reference = registry.reference
    const what =
      unasked.question === 'existence'
        ? `whether ${reference.canonical} exists`
        : `whether the kubelet would be let in with the pod's credentials (the image itself exists)`
    return [
      {
        message: `Could not verify ${what}: ${unasked.failure.detail}. This is not a verdict on the image`,
        fix: fixFor(unasked.failure, reference.registry)
      }
    ]
  }
}
