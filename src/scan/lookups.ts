// The registry stage of a scan: every question is asked once per unique (reference, identity) —
// the same image used twice costs one request chain — and the answers are assembled into one
// RegistryView per image use. A client that throws (a bug) becomes "could not verify", never a verdict.
import { createHash } from 'node:crypto'
import { getErrorMessage } from '../errors.js'
import type { Logger } from '../logger.js'
import type { Identity, ImageReference, LookupFailure, LookupResult, RateLimitInfo } from '../model.js'
import { VERIFIED_ABSENT } from '../model.js'
import type { OfferedCredential, PullSecretView } from './secrets.js'
import { decideAccess, decideExistence, type Access, type CredentialAnswer, type RegistryView } from './verdict.js'

/** What the scan needs from a registry client (src/registry's RegistryClient has this shape). */
export interface RegistryLookup {
  lookup(reference: ImageReference, identity: Identity): Promise<LookupResult>
  listTags(reference: ImageReference, identity: Identity): Promise<{ status: 'found'; tags: string[] } | LookupFailure>
  close(): Promise<void>
}

/** Tags of a repository, or why they could not be listed. */
export type TagsResult = { status: 'found'; tags: string[] } | LookupFailure

const TOOL: Identity = { kind: 'tool' }
const ANONYMOUS: Identity = { kind: 'anonymous' }

/** The registry's answers for one image use: its RegistryView before the reference and the pod's platform part are added. */
export type RegistryAnswers = Omit<RegistryView, 'reference' | 'platforms' | 'platformsFromPod' | 'nodeCredentials'>

/** The registry client to ask, and how to know whether pullcheck has credentials for a host. */
export interface LookupSchedulerOptions {
  registry: RegistryLookup
  /** True when pullcheck holds credentials for this registry host; otherwise its view is the anonymous one. */
  toolHasCredentials: (registry: string) => Promise<boolean>
  logger: Logger
  onProgress?: (done: number, total: number) => void
}

/** Asks each unique question once and remembers the answer for the rest of the scan. */
export class LookupScheduler {
  private readonly answers = new Map<string, Promise<LookupResult>>()
  private readonly tagLists = new Map<string, Promise<TagsResult>>()
  private readonly toolCredentials = new Map<string, Promise<boolean>>()
  private started = 0
  private settled = 0
  /** The lowest rate-limit budget any answer reported. */
  lowestRateLimit: RateLimitInfo | null = null

  constructor(private readonly options: LookupSchedulerOptions) {}

  /**
   * The registry's answers for one image use, given the pod's pull secrets. `pulled: false` (the
   * kubelet never pulls it, `imagePullPolicy: Never`) asks only whether the image exists: the
   * kubelet's own way in, anonymous or not, is not asked about.
   */
  async answersFor(reference: ImageReference, secrets: PullSecretView, pulled = true): Promise<RegistryAnswers> {
    const toolIsAnonymous = !(await this.hasToolCredentials(reference.registry))
    const offered = secrets.offered.map((offer) => ({ offer, identity: identityOf(offer) }))
    // Anonymous is the kubelet's identity only when the pod offers no credential and every secret could be checked.
    const needsAnonymous = pulled && offered.length === 0 && !secrets.unverifiable
    const [tool, credentials, anonymousOwn] = await Promise.all([
      this.lookup(reference, toolIsAnonymous ? ANONYMOUS : TOOL),
      Promise.all(offered.map(async ({ offer, identity }): Promise<CredentialAnswer> => ({ ...offer, result: await this.lookup(reference, identity) }))),
      needsAnonymous && !toolIsAnonymous ? this.lookup(reference, ANONYMOUS) : Promise.resolve(null)
    ])
    const anonymous = anonymousOwn ?? (toolIsAnonymous ? tool : null)
    let existence = decideExistence(tool, credentials, anonymous)
    const access: Access = pulled ? decideAccess(existence, secrets, tool, credentials, anonymous) : { kind: 'not-pulled' }

    // Follow-up questions go to the identity that got in.
    const answering = answeringIdentity(tool, toolIsAnonymous, offered, credentials, anonymous)
    let tags: string[] | null = null
    if (existence.kind === 'absent' && existence.failure.status === 'tag-not-found' && answering !== null) {
      const listed = await this.listTags(reference, answering)
      tags = listed.status === 'found' ? listed.tags : null
      // The manifest's 404 alone cannot tell a missing repository from a missing tag; when the probe
      // that tells them apart failed (a flaky registry), the full tag list may still settle it.
      if (listed.status === 'repository-not-found') existence = { ...existence, failure: listed }
    }
    let tagNow: LookupResult | null = null
    if (reference.tag !== null && reference.digest !== null && answering !== null && existence.kind !== 'unknown') {
      tagNow = await this.lookup(withoutDigest(reference), answering)
    }
    return { tool, anonymous, credentials, existence, access, tags, tagNow }
  }

  private hasToolCredentials(registry: string): Promise<boolean> {
    let has = this.toolCredentials.get(registry)
    if (has === undefined) {
      has = this.options.toolHasCredentials(registry).catch((error: unknown) => {
        this.options.logger.warning(`could not read pullcheck's credentials for ${registry}: ${getErrorMessage(error)}`)
        return false
      })
      this.toolCredentials.set(registry, has)
    }
    return has
  }

  /** One lookup, asked at most once per (reference, identity). */
  lookup(reference: ImageReference, identity: Identity): Promise<LookupResult> {
    return this.once(this.answers, `${reference.canonical}\u0000${identityKey(identity)}`, reference, () => this.options.registry.lookup(reference, identity))
  }

  /** The repository's tags, listed at most once per (repository, identity). */
  listTags(reference: ImageReference, identity: Identity): Promise<TagsResult> {
    const key = `${reference.registry}/${reference.repository}\u0000${identityKey(identity)}`
    return this.once(this.tagLists, key, reference, () => this.options.registry.listTags(reference, identity))
  }

  /** Asks `ask` the first time `key` is seen and remembers the (pending) answer for the rest of the scan. */
  private once<T extends { status: string }>(cache: Map<string, Promise<T | LookupFailure>>, key: string, reference: ImageReference, ask: () => Promise<T>): Promise<T | LookupFailure> {
    let answer = cache.get(key)
    if (answer === undefined) {
      answer = this.track(ask, (error) => couldNotAskBecauseOf(error, reference))
      cache.set(key, answer)
    }
    return answer
  }

  private async track<T extends { status: string }>(ask: () => Promise<T>, onError: (error: unknown) => LookupFailure): Promise<T | LookupFailure> {
    this.started++
    this.options.onProgress?.(this.settled, this.started)
    let result: T | LookupFailure
    try {
      result = await ask()
    } catch (error) {
      this.options.logger.warning(`registry client failed unexpectedly: ${getErrorMessage(error)}`)
      result = onError(error)
    }
    this.noteRateLimit(result)
    this.settled++
    this.options.onProgress?.(this.settled, this.started)
    return result
  }

  private noteRateLimit(result: { status: string; rateLimit?: RateLimitInfo | null }): void {
    const limit = result.rateLimit ?? null
    if (limit === null || limit.remaining === null) return
    if (this.lowestRateLimit === null || (this.lowestRateLimit.remaining ?? Infinity) > limit.remaining) this.lowestRateLimit = limit
  }
}

/** The identity that stands for one of the pod's pull-secret credentials. Its label never holds a secret. */
function identityOf(offer: OfferedCredential): Identity {
  const label = `pull secret ${offer.secret.namespace}/${offer.secret.ref.name} (${offer.credential.key})`
  return { kind: 'basic', label, username: offer.credential.username, password: offer.credential.password }
}

/** A cache key for an identity: credentials are hashed, never kept in keys or logs. */
function identityKey(identity: Identity): string {
  switch (identity.kind) {
    case 'anonymous':
    case 'tool':
      return identity.kind
    case 'basic':
      return `basic:${digest(`${identity.username}\u0000${identity.password}`)}`
    case 'token':
      return `token:${digest(identity.token)}`
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

function answeringIdentity(
  tool: LookupResult,
  toolIsAnonymous: boolean,
  offered: Array<{ identity: Identity }>,
  credentials: CredentialAnswer[],
  anonymous: LookupResult | null
): Identity | null {
  const gotIn = (result: LookupResult | null): boolean => result !== null && (result.status === 'found' || VERIFIED_ABSENT.has(result.status))
  if (gotIn(tool)) return toolIsAnonymous ? ANONYMOUS : TOOL
  const index = credentials.findIndex((answer) => gotIn(answer.result))
  if (index !== -1) return offered[index]!.identity
  if (gotIn(anonymous)) return ANONYMOUS
  return null
}

/** `name:tag@digest` → `name:tag`: what the tag points to now. */
function withoutDigest(reference: ImageReference): ImageReference {
  const name = `${reference.registry}/${reference.repository}:${reference.tag}`
  return { ...reference, input: name, digest: null, canonical: name, implied: reference.implied.filter((part) => part !== 'tag') }
}

function couldNotAskBecauseOf(error: unknown, reference: ImageReference): LookupFailure {
  return {
    status: 'unreachable',
    cause: 'protocol',
    detail: `pullcheck could not query ${reference.registry} (${getErrorMessage(error)})`
  }
}
