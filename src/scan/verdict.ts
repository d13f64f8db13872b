// The verdict logic shared by the registry and pull-secret rules: from the answers each identity got
// (pullcheck's own credentials, the pod's pull secrets, anonymous), decide "does the image exist,
// and what is it?" and "would the kubelet, with this pod's secrets, get in?". A verdict of absence
// needs an answer; a registry that could not be asked is never taken for a missing image.
import type { ImageFacts, ImageReference, ImageUse, LookupFailure, LookupResult } from '../model.js'
import { VERIFIED_ABSENT } from '../model.js'
import { formatPlatform, selectPlatform, type Platform } from '../kube/platform.js'
import type { OfferedCredential, PullSecretView } from './secrets.js'

/**
 * True when the kubelet never pulls the image (`imagePullPolicy: Never`): it must already be on the
 * node, or the container fails with ErrImageNeverPull. The API server accepts only the exact value.
 */
export function isNeverPulled(use: Pick<ImageUse, 'imagePullPolicy'>): boolean {
  return use.imagePullPolicy === 'Never'
}

/** Failure statuses that mean "the question could not be asked", as opposed to "the answer is no". */
export const COULD_NOT_ASK: ReadonlySet<LookupFailure['status']> = new Set(['unreachable', 'rate-limited'])

/** Failure statuses that mean "this identity was not let in". */
export const NOT_LET_IN: ReadonlySet<LookupFailure['status']> = new Set(['auth-required', 'auth-rejected', 'forbidden'])

/** The registry's answer to one of the pod's credentials. */
export interface CredentialAnswer extends OfferedCredential {
  result: LookupResult
}

/** "Does it exist, and what is it?" */
export type Existence =
  /** Some identity got the manifest. */
  | { kind: 'found'; facts: ImageFacts; by: AnsweringIdentity }
  /** Some identity got in and the registry said there is no such repository, tag or digest. */
  | { kind: 'absent'; failure: LookupFailure; by: AnsweringIdentity }
  /** Nobody got an answer: the registry was not reachable, rate-limited us, or let nobody in. */
  | { kind: 'unknown'; failure: LookupFailure }

/** Who got the answer that decided existence. */
export type AnsweringIdentity = 'pullcheck' | 'anonymous' | 'pull-secret'

/** "Would the kubelet, with this pod's secrets, get in?" */
export type Access =
  /** The pull would be let in: anonymously, or with one of the credentials the pod offers. */
  | { kind: 'granted'; via: 'anonymous' | 'pull-secret'; refused: CredentialAnswer[] }
  /** The pod offers no credential for this registry and anonymous pulls are refused. */
  | { kind: 'denied'; failure: LookupFailure }
  /** Every credential the pod offers was refused. */
  | { kind: 'rejected'; refused: CredentialAnswer[] }
  /**
   * A pull secret of the pod is not in the scanned files (or cannot be read there), so the kubelet's
   * view cannot be reproduced; pullcheck's own view stands in for it.
   */
  | { kind: 'unverifiable'; ci: LookupResult }
  /** The check could not be made (unreachable, rate-limited). */
  | { kind: 'unknown'; failure: LookupFailure }
  /** The image does not exist; access was not assessed. */
  | { kind: 'moot' }
  /** The kubelet never pulls this image (`imagePullPolicy: Never`): it never authenticates, so access does not matter. */
  | { kind: 'not-pulled' }

/** Everything the registries said about one image use. */
export interface RegistryView {
  reference: ImageReference
  /** The answer to pullcheck's own credentials (anonymous when it has none for this registry). */
  tool: LookupResult
  /**
   * The anonymous answer (the same as `tool` when pullcheck has no credentials for this registry);
   * null when anonymous access was not the kubelet's way in and so was not asked.
   */
  anonymous: LookupResult | null
  /** The answers to the credentials the pod's pull secrets offer for this image, in kubelet order. */
  credentials: CredentialAnswer[]
  existence: Existence
  access: Access
  /** For `tag-not-found`: the repository's tags, when they could be listed. */
  tags: string[] | null
  /** For `name:tag@digest`: what the tag points to now, when asked. */
  tagNow: LookupResult | null
  /** The platforms the pod can land on: its node constraints, else the configured platforms. */
  platforms: Platform[]
  /** True when the pod's placement (nodeSelector / required affinity) chose `platforms`. */
  platformsFromPod: boolean
  /** True when the registry matches `nodeCredentials`: nodes may pull with credentials pullcheck cannot see. */
  nodeCredentials: boolean
}

/** Decides existence from every answer that was obtained. */
export function decideExistence(tool: LookupResult, credentials: CredentialAnswer[], anonymous: LookupResult | null): Existence {
  const answers: Array<{ result: LookupResult; by: AnsweringIdentity }> = [
    { result: tool, by: 'pullcheck' },
    ...credentials.map((answer) => ({ result: answer.result, by: 'pull-secret' as const })),
    ...(anonymous === null || anonymous === tool ? [] : [{ result: anonymous, by: 'anonymous' as const }])
  ]
  for (const { result, by } of answers) {
    if (result.status === 'found') return { kind: 'found', facts: result, by }
  }
  for (const { result, by } of answers) {
    if (result.status !== 'found' && VERIFIED_ABSENT.has(result.status)) return { kind: 'absent', failure: result, by }
  }
  // Nobody got an answer. Say why in the most useful terms: a registry that could not be asked
  // matters more than a refusal, because it means nothing at all was verified.
  const failures = answers.map(({ result }) => result).filter((result): result is LookupFailure => result.status !== 'found')
  const couldNotAsk = failures.find((failure) => COULD_NOT_ASK.has(failure.status))
  return { kind: 'unknown', failure: couldNotAsk ?? (tool as LookupFailure) }
}

/** Decides whether the kubelet would get in, from the answers to the identities it would use. */
export function decideAccess(
  existence: Existence,
  secrets: PullSecretView,
  tool: LookupResult,
  credentials: CredentialAnswer[],
  anonymous: LookupResult | null
): Access {
  if (existence.kind === 'absent') return { kind: 'moot' }
  if (credentials.length > 0) {
    // The kubelet tries each matching credential in order and stops at the first that works; it
    // does not fall back to an anonymous pull.
    const granted = credentials.find((answer) => isLetIn(answer.result))
    const refused = credentials.filter((answer) => answer.result.status !== 'found' && NOT_LET_IN.has(answer.result.status))
    if (granted !== undefined) return { kind: 'granted', via: 'pull-secret', refused }
    const notAsked = credentials.find((answer) => answer.result.status !== 'found' && COULD_NOT_ASK.has(answer.result.status))
    if (notAsked !== undefined) return { kind: 'unknown', failure: notAsked.result as LookupFailure }
    if (secrets.unverifiable) return { kind: 'unverifiable', ci: tool }
    return { kind: 'rejected', refused }
  }
  if (secrets.unverifiable || anonymous === null) return { kind: 'unverifiable', ci: tool }
  if (isLetIn(anonymous)) return { kind: 'granted', via: 'anonymous', refused: [] }
  const failure = anonymous as LookupFailure
  if (COULD_NOT_ASK.has(failure.status)) return { kind: 'unknown', failure }
  return { kind: 'denied', failure }
}

/** True when the identity got in: the manifest, or a verified "no such manifest" behind the door. */
function isLetIn(result: LookupResult): boolean {
  return result.status === 'found' || VERIFIED_ABSENT.has(result.status)
}

/** The pull-secret mistakes that explain why the kubelet would offer no working credential. */
export type DenialExplanation = 'wrong-type' | 'malformed' | 'wrong-namespace' | 'wrong-host' | 'not-attached'

/**
 * Why the kubelet would offer no credential for an image it needs credentials for. Each cause has
 * its own rule; `auth-required` is left for the case where nothing in the files explains it.
 */
export function denialExplanations(secrets: PullSecretView): Set<DenialExplanation> {
  const causes = new Set<DenialExplanation>()
  for (const secret of secrets.effective) {
    const state = secret.state
    if (state.kind === 'malformed') causes.add(state.reason === 'wrong-type' ? 'wrong-type' : 'malformed')
    if (state.kind === 'wrong-namespace') causes.add('wrong-namespace')
  }
  if (secrets.effective.some((secret) => secret.state.kind === 'usable') && secrets.offered.length === 0) causes.add('wrong-host')
  if (secrets.unattached.length > 0) causes.add('not-attached')
  return causes
}

/** A question about an image use that pullcheck could not ask the registry, and why. */
export type UnaskedQuestion =
  | { failure: LookupFailure; question: 'existence' | 'access' | 'tag' }
  /** The image exists, but the manifest of the platform image a node would pull could not be read. */
  | { failure: LookupFailure; question: 'size'; platform: string }

/**
 * The failure that kept pullcheck from asking, for the rules that report "could not verify".
 * `sizeMatters: false` (image-too-large is off) leaves an unknown size unreported.
 */
export function couldNotAsk(view: RegistryView, sizeMatters = true): UnaskedQuestion | null {
  if (view.existence.kind === 'unknown' && COULD_NOT_ASK.has(view.existence.failure.status)) {
    return { failure: view.existence.failure, question: 'existence' }
  }
  if (view.access.kind === 'unknown') return { failure: view.access.failure, question: 'access' }
  // `name:tag@digest`: the digest was found, but where the tag points now could not be asked. Said
  // so, rather than letting a flaky registry pass the tag-digest check in silence.
  const tagNow = view.tagNow
  if (view.existence.kind === 'found' && tagNow !== null && tagNow.status !== 'found' && COULD_NOT_ASK.has(tagNow.status)) {
    return { failure: tagNow, question: 'tag' }
  }
  // Only the images the pod's nodes would pull count: the sizes of other platforms of an index are
  // not fetched on purpose (each GET is a pull on Docker Hub), and their absence says nothing.
  if (sizeMatters && view.existence.kind === 'found') {
    for (const platform of view.platforms) {
      const failure = selectPlatform(view.existence.facts.platforms, platform)?.image.sizeFailure
      if (failure !== undefined && COULD_NOT_ASK.has(failure.status)) return { failure, question: 'size', platform: formatPlatform(platform) }
    }
  }
  return null
}
