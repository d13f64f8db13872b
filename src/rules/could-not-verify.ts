// The shared check behind registry-unreachable, registry-timeout, registry-tls-error,
// registry-blocked and rate-limited: the question could not be asked, and the finding says so
// without ever claiming that the image is missing.
import type { LookupFailure } from '../model.js'
import { couldNotAsk, type UnaskedQuestion } from '../scan/verdict.js'
import { isSizeChecked } from './image-too-large.js'
import { dockerHubHint, repositoryHint } from './repository-not-found.js'
import type { FindingDraft, ImageCheck, RuleContext } from './types.js'

/**
 * Builds the check of a "could not verify" rule for the failures `matches` accepts. When the image
 * itself could not be looked up, a registry host that is a typo of one used elsewhere, or a short
 * name that silently resolved to Docker Hub, is pointed out.
 */
export function couldNotVerifyCheck(
  matches: (failure: LookupFailure) => boolean,
  fixFor: (failure: LookupFailure, registry: string) => string
): (image: ImageCheck, context: RuleContext) => FindingDraft[] {
  return ({ registry }, { picture, config }) => {
    if (registry === null) return []
    const unasked = couldNotAsk(registry, isSizeChecked(config))
    if (unasked === null || !matches(unasked.failure)) return []
    const reference = registry.reference
    const what = unaskedQuestionWords(unasked, reference.canonical, reference.tag)
    // A host that does not resolve is often a typo of one used elsewhere; any failure on a short name
    // that fell back to Docker Hub is worth pointing out. Other causes say nothing about the name.
    const hint =
      unasked.question !== 'existence'
        ? { sentence: '', fix: null }
        : unasked.failure.cause === 'dns'
          ? repositoryHint(reference, picture, true)
          : dockerHubHint(reference, picture)
    return [
      {
        message: `Could not verify ${what}: ${unasked.failure.detail}. This is not a verdict on the image` + (hint.sentence === '' ? '' : `. ${hint.sentence}`),
        fix: hint.fix ?? fixFor(unasked.failure, reference.registry)
      }
    ]
  }
}

/** What could not be verified, in the words of a finding. */
function unaskedQuestionWords(unasked: UnaskedQuestion, canonical: string, tag: string | null): string {
  switch (unasked.question) {
    case 'existence':
      return `whether ${canonical} exists`
    case 'access':
      return `whether the kubelet would be let in with the pod's credentials (the image itself exists)`
    case 'tag':
      return `whether the tag "${tag ?? ''}" still points to the pinned digest (the digest itself exists)`
    case 'size':
      return `the size of the ${unasked.platform} image a node would pull, so image-too-large was not checked (the image itself exists)`
  }
}
