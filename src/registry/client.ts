// The registry client: for one image reference as seen by one identity, the facts (digest, media
// type, runnable platforms with their compressed sizes) or a classified failure — never a bare
// exception, never "not found" for something that could not be asked. HEAD first, GET only for
// bodies; manifests and configs are cached by digest (immutable), answers per (reference,
// identity), and identical questions share one request chain. Mirrors are tried before upstream.
import type { Dispatcher } from 'undici'
import { selectPlatform, type Platform } from '../kube/platform.js'
import { silentLogger, type Logger } from '../logger.js'
import type { Identity, ImageFacts, ImageReference, LookupFailure, LookupResult, PlatformImage, RateLimitInfo } from '../model.js'
import { Authenticator, credentialKey, type AccessScope, type Authorization } from './auth.js'
import { parseChallenges, selectChallenge, type Challenge } from './challenge.js'
import { SingleFlight } from './concurrency.js'
import type { CredentialStore, RegistryCredential } from './credentials.js'
import { isSupportedDigest, matchesDigest, sha256Digest } from './digest.js'
import { apiHostFor, probeEndpoint, type RegistryEndpoint } from './endpoint.js'
import { describeRegistryErrors, LookupFailureError, lookupFailure, parseRegistryErrors, statusLine, unreachableError } from './failures.js'
import { isRunnableEntry, layersSize, ManifestFormatError, parseManifest, platformFromConfig, type Descriptor, type ParsedManifest } from './manifest.js'
import { isImageConfigMediaType, isIndexMediaType, MANIFEST_ACCEPT } from './media-types.js'
import { OutboundGuard, type LookupFunction } from './outbound-guard.js'
import { parseRateLimit } from './rate-limit.js'
import { Redactor } from './redaction.js'
import { TokenCache } from './token-cache.js'
import { DEFAULT_RETRY_POLICY, Transport, type HttpResponse, type RetryPolicy, type TransportStats } from './transport.js'

export interface RegistryClientOptions {
  /** The tool's own credentials, already loaded (see loadToolCredentials). */
  credentials: CredentialStore
  /** HOST[:PORT] allowed plain HTTP / unverified TLS. */
  insecureRegistries?: string[]
  /** Extra CA certificates (PEM contents) trusted in addition to the default store (bundled roots, NODE_EXTRA_CA_CERTS). */
  caCertificates?: string[]
  /** containerd-style mirrors: registry host → mirror endpoints (`host[:port]` or `scheme://host[:port]`), tried first, upstream second. */
  mirrors?: Record<string, string[]>
  /** Per-request timeout in ms (default 10 000). */
  timeoutMs?: number
  /** Absolute time (Date.now() ms) after which no new request starts and pending answers become 'unreachable: timeout'. */
  deadline?: number
  /** Concurrent requests per registry host (default 8). */
  concurrencyPerHost?: number
  /** Hosts that may be contacted at all (globs over host[:port] of registries and mirrors); undefined = any. */
  allowedRegistries?: string[]
  logger?: Logger
  /** Overrides of the retry policy (attempts, backoff, longest Retry-After waited for). */
  retry?: Partial<RetryPolicy>
  /**
   * Platforms whose image sizes are wanted from an index: only the images nodes of these platforms
   * would pull get their manifests fetched (others keep size null). Default: every platform.
   */
  sizePlatforms?: Platform[]
  /** Tags per tags/list page (default 1000); pages are followed through their Link headers. */
  tagsPageSize?: number
  /** The resolver behind the outbound guard's connect-time check (default dns.lookup). */
  lookupHostname?: LookupFunction
  /** Sends requests through this dispatcher instead of the client's own Agent (tests: undici MockAgent). */
  dispatcher?: Dispatcher
}

/** Counters of the work done, for tests, logs and the benchmark. */
export interface RegistryClientStats extends TransportStats {
  /** Token requests started (each token is fetched once per realm, service, scope and identity). */
  tokenRequests: number
}

/** The answer of listTags. */
export type TagListResult = { status: 'found'; tags: string[] } | LookupFailure

interface FetchedManifest {
  digest: string
  manifest: ParsedManifest
}

/** Where one lookup goes: a registry (or mirror), a repository, and who asks. */
interface Target extends AccessScope {
  /** host[:port] of the API. */
  apiHost: string
  /** For a mirror given with a scheme. */
  forcedScheme?: 'http' | 'https'
  /** For mirrors: the upstream registry, sent as `?ns=` the way containerd does. */
  namespace?: string
}

const MANIFEST_LIMIT = 4 * 1048 * 1048 // containerd's MaxManifestSize: larger manifests do not pull.
const CONFIG_LIMIT = 16 * 1024 * 1024
const ERROR_BODY_LIMIT = 256 * 1024
const TAG_LIST_LIMIT = 32 * 1024 * 1024
const MAX_TAG_PAGES = 200
const MAX_INDEX_DEPTH = 2

const ACCESS_DENIED = 'pull access denied, repository does not exist or may require authorization'

// The reference grammar (distribution/reference), checked again here because these parts become URL
// paths: a reference built by hand must not be able to reach another path or host.
const REGISTRY_GRAMMAR = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/
const REPOSITORY_GRAMMAR = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/
const TAG_GRAMMAR = /^\w[\w.-]{0,127}$/
const DIGEST_GRAMMAR = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/

/** Why a reference cannot be asked about, or null. */
function malformedReason(reference: ImageReference): string | null {
  if (!REGISTRY_GRAMMAR.test(reference.registry)) return `"${reference.registry}" is not a registry host`
  if (!REPOSITORY_GRAMMAR.test(reference.repository)) return `"${reference.repository}" is not a repository name`
  if (reference.tag !== null && !TAG_GRAMMAR.test(reference.tag)) return `"${reference.tag}" is not a tag`
  if (reference.digest !== null && !DIGEST_GRAMMAR.test(reference.digest)) return `"${reference.digest}" is not a digest`
  return null
}

/** One repository on one registry, as one identity: sends authenticated requests and explains refusals. */
class RepositoryAccess {
  private challenge: Challenge | null | undefined
  private lastAuthorization: Authorization | null = null

  constructor(
    private readonly client: RegistryClient,
    readonly target: Target
  ) {}

  path(suffix: string, query: Record<string, string> = {}): string {
    const search = new URLSearchParams(query)
    if (this.target.namespace !== undefined) search.set('ns', this.target.namespace)
    const text = search.toString()
    return `/v2/${this.target.repository}/${suffix}${text === '' ? '' : `?${text}`}`
  }

  /**
   * Sends a request with the right Authorization; retries once with a fresh challenge or token when
   * a 401 says the first one was not the right kind. Returns every status except 5xx/429.
   */
  async request(method: 'GET' | 'HEAD', path: string, accept: string, purpose: string, maxBodyBytes: number): Promise<HttpResponse> {
    const endpoint = await this.client.endpoint(this.target.apiHost, this.target.forcedScheme)
    if (this.challenge === undefined) this.challenge = endpoint.challenge
    for (let attempt = 0; ; attempt += 1) {
      const authorization = await this.client.authenticator.authorize(this.challenge, this.target)
      this.lastAuthorization = authorization
      const response = await this.client.transport.send({
        method,
        url: `${endpoint.origin}${path}`,
        headers: { accept, ...(authorization.header === null ? {} : { authorization: authorization.header }) },
        // Refusals are read for their error codes even where a success has no body (HEAD).
        maxBodyBytes: Math.max(maxBodyBytes, ERROR_BODY_LIMIT),
        purpose
      })
      if (response.status !== 401 || attempt > 0) return response
      const fresh = selectChallenge(parseChallenges(response.headers['www-authenticate']))
      if (fresh === null) return response
      const changed = this.challenge === null || fresh.scheme !== this.challenge.scheme || fresh.params.realm !== this.challenge.params.realm
      if (changed) {
        this.challenge = fresh
        continue
      }
      if (authorization.tokenKey !== null && fresh.params.error === 'invalid_token') {
        this.client.authenticator.invalidate(authorization)
        continue
      }
      return response
    }
  }

  /** The failure for a 401 or 403 answer, worded for who asked. */
  denied(response: HttpResponse): LookupFailure {
    const registryErrors = describeRegistryErrors(parseRegistryErrors(response.body))
    const serverMessage = registryErrors === '' ? '' : `: server message: ${registryErrors}`
    const authorization = this.lastAuthorization
    const credential = this.target.credential
    const { registry, repository } = this.target
    if (response.status === 403) {
      if (credential === null) {
        return lookupFailure('auth-required', `${statusLine(403)} without credentials from ${registry}${serverMessage}; the repository may be private`)
      }
      return lookupFailure('forbidden', `${statusLine(403)} from ${registry}: the credentials do not allow pulling ${repository}${serverMessage}`)
    }
    if (credential === null) {
      const why = this.challenge?.scheme === 'basic' ? 'authorization failed: no basic auth credentials' : `insufficient_scope: authorization failed`
      return lookupFailure('auth-required', `${ACCESS_DENIED}: ${why} (the repository does not exist or needs credentials)`)
    }
    if (authorization === null || authorization.scheme === 'none' || !authorization.withCredential) {
      return lookupFailure('auth-required', `${ACCESS_DENIED}: the ${credential.kind} credential for ${registry} cannot answer its ${this.challenge?.scheme ?? 'authentication'} challenge`)
    }
    if (authorization.scheme === 'basic' || credential.kind === 'registry-token') {
      return lookupFailure('auth-rejected', `${statusLine(401)}: ${registry} refused the credentials${serverMessage}`)
    }
    return lookupFailure(
      'forbidden',
      `${ACCESS_DENIED}: insufficient_scope: the token server accepted the credentials for ${registry} but they do not grant pull access to ${repository}${serverMessage}`
    )
  }
}

function isFailure(result: { status: string }): result is LookupFailure {
  return result.status !== 'found'
}

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** What a failure message is about: the reference as asked, or a manifest of an index by digest. */
type Subject = Pick<ImageReference, 'canonical' | 'tag' | 'digest'>

/** Asks registries about images; see the file header. */
export class RegistryClient {
  /** @internal */ readonly transport: Transport
  /** @internal */ readonly authenticator: Authenticator
  private readonly options: RegistryClientOptions
  private readonly logger: Logger
  private readonly redactor = new Redactor()
  private readonly guard: OutboundGuard
  private readonly tokens = new TokenCache()
  private readonly endpoints = new SingleFlight<RegistryEndpoint>()
  private readonly manifests = new SingleFlight<FetchedManifest>({ forgetFailures: true })
  private readonly configs = new SingleFlight<ReturnType<typeof platformFromConfig>>({ forgetFailures: true })
  private readonly childSizes = new SingleFlight<Pick<PlatformImage, 'size' | 'sizeFailure'>>()
  private readonly lookups = new SingleFlight<LookupResult>()
  private readonly tagLists = new SingleFlight<TagListResult>()

  constructor(options: RegistryClientOptions) {
    this.options = options
    this.logger = this.redactor.wrap(options.logger ?? silentLogger)
    this.guard = new OutboundGuard({
      ...(options.allowedRegistries === undefined ? {} : { allowedRegistries: options.allowedRegistries }),
      ...(options.lookupHostname === undefined ? {} : { lookup: options.lookupHostname })
    })
    this.transport = new Transport({
      guard: this.guard,
      logger: this.logger,
      timeoutMs: options.timeoutMs ?? 10_000,
      ...(options.deadline === undefined ? {} : { deadline: options.deadline }),
      concurrencyPerHost: options.concurrencyPerHost ?? 8,
      insecureRegistries: options.insecureRegistries ?? [],
      caCertificates: options.caCertificates ?? [],
      retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
      ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher })
    })
    this.authenticator = new Authenticator(this.transport, this.guard, this.tokens)
  }

  /** Facts or a classified failure for one reference as seen by one identity. Deduplicated and cached per (reference, identity). */
  async lookup(reference: ImageReference, identity: Identity): Promise<LookupResult> {
    const resolved = await this.credentialFor(reference, identity)
    if ('status' in resolved) return resolved
    const credential = resolved.value
    const key = `${reference.registry}/${reference.repository}${reference.digest === null ? `:${reference.tag ?? 'latest'}` : `@${reference.digest}`}\n${credentialKey(credential)}`
    return this.lookups.run(key, async () => {
      const result = await this.lookupUncached(reference, identity, credential)
      if (result.status !== 'found') this.logger.debug(`${reference.canonical}: ${result.status}: ${result.detail}`)
      return this.redacted(result)
    })
  }

  /** The repository's tags (all pages), or the failure. */
  async listTags(reference: ImageReference, identity: Identity): Promise<TagListResult> {
    const resolved = await this.credentialFor(reference, identity)
    if ('status' in resolved) return resolved
    const credential = resolved.value
    const key = `${reference.registry}/${reference.repository}\n${credentialKey(credential)}`
    return this.tagLists.run(key, async () => this.redacted(await this.guarded(() => this.listTagsAt(this.upstreamTarget(reference, credential)), reference.registry)))
  }

  /** What the client has sent so far. */
  stats(): RegistryClientStats {
    return { ...this.transport.stats, byMethod: { ...this.transport.stats.byMethod }, byPurpose: { ...this.transport.stats.byPurpose }, tokenRequests: this.tokens.fetches }
  }

  /** Closes connections and timers. */
  async close(): Promise<void> {
    await this.transport.close()
  }

  /** @internal The probed endpoint of an API host (one probe per host and run; failures are remembered). */
  endpoint(host: string, forcedScheme?: 'http' | 'https'): Promise<RegistryEndpoint> {
    return this.endpoints.run(`${forcedScheme ?? ''}${host}`, () => probeEndpoint(this.transport, host, forcedScheme))
  }

  /** A failure's detail with every credential seen so far masked; an answer that is not a failure as it is. */
  private redacted<T extends { status: string }>(result: T | LookupFailure): T | LookupFailure {
    return isFailure(result) ? { ...result, detail: this.redactor.redact(result.detail) } : result
  }

  /**
   * The credential an identity stands for on the reference's registry; a failure, before any
   * request, when the reference has malformed parts (they become URL paths) or the store cannot say.
   */
  private async credentialFor(reference: ImageReference, identity: Identity): Promise<{ value: RegistryCredential | null } | LookupFailure> {
    const malformed = malformedReason(reference)
    if (malformed !== null) return lookupFailure('unreachable', `not asking the registry about ${JSON.stringify(reference.input)}: ${malformed}`, { cause: 'protocol' })
    const registry = reference.registry
    let credential: RegistryCredential | null
    switch (identity.kind) {
      case 'anonymous':
        credential = null
        break
      case 'tool':
        try {
          credential = await this.options.credentials.get(registry)
        } catch (error) {
          const message = this.redactor.redact(error instanceof Error ? error.message : String(error))
          return lookupFailure('unreachable', `could not read pullcheck's credentials for ${registry}: ${message}`, { cause: 'protocol' })
        }
        break
      case 'basic':
        credential = { kind: 'basic', username: identity.username, password: identity.password }
        break
      case 'token':
        credential = { kind: 'registry-token', token: identity.token }
        break
    }
    this.redactor.addCredential(credential)
    return { value: credential }
  }

  private upstreamTarget(reference: ImageReference, credential: RegistryCredential | null): Target {
    return {
      registry: reference.registry,
      repository: reference.repository,
      credential,
      credentialKey: credentialKey(credential),
      apiHost: apiHostFor(reference.registry)
    }
  }

  /** Runs `work`, turning a blocked registry and any thrown failure into a LookupFailure. */
  private async guarded<T>(work: () => Promise<T>, registry: string): Promise<T | LookupFailure> {
    const blocked = this.guard.registryBlockedReason(registry)
    if (blocked !== null) return lookupFailure('unreachable', blocked, { cause: 'blocked' })
    try {
      return await work()
    } catch (error) {
      if (error instanceof LookupFailureError) return error.failure
      // A bug must not turn into a verdict about the image: report it as "could not verify".
      this.logger.warning(`internal error while asking ${registry}: ${error instanceof Error ? error.message : String(error)}`)
      return lookupFailure('unreachable', `internal error while asking ${registry}: ${error instanceof Error ? error.message : String(error)}`, { cause: 'protocol' })
    }
  }

  private async lookupUncached(reference: ImageReference, identity: Identity, credential: RegistryCredential | null): Promise<LookupResult> {
    for (const mirror of this.options.mirrors?.[reference.registry] ?? []) {
      const parsed = /^(?:(https?):\/\/)?([^/]+)/i.exec(mirror.trim())
      if (parsed === null) continue
      const host = parsed[2]!.toLowerCase()
      // A mirror is another host: it gets only the tool's own credentials for it, never the registry's.
      const mirrorCredential = identity.kind === 'tool' ? await this.options.credentials.get(host) : null
      this.redactor.addCredential(mirrorCredential)
      const target: Target = {
        registry: host,
        repository: reference.repository,
        credential: mirrorCredential,
        credentialKey: credentialKey(mirrorCredential),
        apiHost: host,
        namespace: reference.registry,
        ...(parsed[1] === undefined ? {} : { forcedScheme: parsed[1].toLowerCase() as 'http' | 'https' })
      }
      const result = await this.guarded(() => this.factsAt(target, reference), host)
      if (result.status === 'found') return { ...result, mirror: host }
      this.logger.debug(`mirror ${host} could not serve ${reference.canonical} (${result.status}: ${result.detail}); asking ${reference.registry}`)
    }
    return this.guarded(() => this.factsAt(this.upstreamTarget(reference, credential), reference), reference.registry)
  }

  /** HEAD the manifest; GET it (or reuse it by digest) only when its body is needed. */
  private async factsAt(target: Target, reference: ImageReference): Promise<ImageFacts> {
    const access = new RepositoryAccess(this, target)
    const ref = reference.digest ?? reference.tag ?? 'latest'
    const head = await access.request('HEAD', access.path(`manifests/${ref}`), MANIFEST_ACCEPT, 'manifest', 0)
    const rateLimit = parseRateLimit(head.headers)
    let fetched: FetchedManifest
    if (head.status === 200) {
      const headerDigest = headerValue(head.headers, 'docker-content-digest')
      const hasLength = headerValue(head.headers, 'content-length') !== undefined
      // By digest, our own digest is the one to trust; by tag, the header names the manifest.
      const digest = reference.digest ?? (headerDigest !== undefined && isSupportedDigest(headerDigest) && hasLength ? headerDigest : null)
      fetched = digest === null ? await this.manifestByReference(access, reference, ref) : await this.manifestByDigest(access, digest, reference)
    } else if (head.status === 405 || head.status === 501) {
      fetched = await this.manifestByReference(access, reference, ref)
    } else {
      throw await this.failureFor(head, access, reference, 'HEAD')
    }
    return this.facts(access, fetched, rateLimit)
  }

  private async failureFor(response: HttpResponse, access: RepositoryAccess, reference: Subject, method: string): Promise<LookupFailureError> {
    if (response.status === 404) return new LookupFailureError(await this.notFound(access, reference))
    if (response.status === 401 || response.status === 403) return new LookupFailureError(access.denied(response))
    const registryErrors = describeRegistryErrors(parseRegistryErrors(response.body))
    return unreachableError(
      'protocol',
      `unexpected status from ${method} request for ${reference.canonical}: ${statusLine(response.status)}${registryErrors === '' ? '' : ` (${registryErrors})`}`
    )
  }

  /** A manifest 404 cannot tell a missing repository from a missing tag: tags/list?n=1 can. */
  private async notFound(access: RepositoryAccess, reference: Subject): Promise<LookupFailure> {
    let repositoryExists: boolean | null = null
    try {
      const tags = await access.request('GET', access.path('tags/list', { n: '1' }), 'application/json', 'tags', ERROR_BODY_LIMIT)
      if (tags.status === 200) repositoryExists = true
      else if (tags.status === 404 && parseRegistryErrors(tags.body).some((error) => error.code === 'NAME_UNKNOWN')) repositoryExists = false
    } catch (error) {
      if (!(error instanceof LookupFailureError)) throw error
      this.logger.debug(`tags/list for ${access.target.repository} failed: ${error.failure.detail}`)
    }
    const { registry, repository } = access.target
    if (repositoryExists === false) {
      return lookupFailure('repository-not-found', `${reference.canonical}: not found: repository ${repository} does not exist on ${registry} (name unknown)`)
    }
    const hedge = repositoryExists === true ? 'the repository exists' : `${registry} did not say whether the repository exists`
    if (reference.digest !== null) {
      return lookupFailure('digest-not-found', `${reference.canonical}: not found: manifest unknown (no manifest with this digest in ${repository}; ${hedge})`)
    }
    return lookupFailure('tag-not-found', `${reference.canonical}: not found: manifest unknown (no tag ${reference.tag ?? 'latest'} in ${repository}; ${hedge})`)
  }

  /** GET by tag (when HEAD gave no usable digest): the digest is computed from the bytes. */
  private async manifestByReference(access: RepositoryAccess, reference: ImageReference, ref: string): Promise<FetchedManifest> {
    if (reference.digest !== null) return this.manifestByDigest(access, reference.digest, reference)
    const response = await access.request('GET', access.path(`manifests/${ref}`), MANIFEST_ACCEPT, 'manifest', MANIFEST_LIMIT)
    if (response.status !== 200) throw await this.failureFor(response, access, reference, 'GET')
    const headerDigest = headerValue(response.headers, 'docker-content-digest')
    const computed = sha256Digest(response.body)
    const manifest = this.parse(response, reference)
    const digest = manifest.kind === 'schema1' && headerDigest !== undefined ? headerDigest : computed
    if (manifest.kind !== 'schema1' && headerDigest !== undefined && headerDigest.startsWith('sha256:') && headerDigest !== computed) {
      throw unreachableError('protocol', `the manifest of ${reference.canonical} does not match its Docker-Content-Digest (corrupted in transit?)`)
    }
    return { digest, manifest }
  }

  /** GET by digest, verified against the digest; cached for the run (manifests are immutable). */
  private manifestByDigest(access: RepositoryAccess, digest: string, reference: Subject): Promise<FetchedManifest> {
    return this.manifests.run(digest, async () => {
      for (let attempt = 1; ; attempt += 1) {
        const response = await access.request('GET', access.path(`manifests/${digest}`), MANIFEST_ACCEPT, 'manifest', MANIFEST_LIMIT)
        if (response.status !== 200) throw await this.failureFor(response, access, reference, 'GET')
        const manifest = this.tryParse(response)
        const verified = manifest !== null && (manifest.kind === 'schema1' || matchesDigest(response.body, digest))
        if (verified) return { digest, manifest }
        if (attempt >= 2) {
          throw unreachableError('protocol', `the manifest ${digest} of ${reference.canonical} did not match its digest${manifest === null ? ' (unreadable body)' : ''} in ${attempt} attempts`)
        }
        this.logger.debug(`manifest ${digest} did not match its digest; fetching it again`)
      }
    })
  }

  private tryParse(response: HttpResponse): ParsedManifest | null {
    try {
      return parseManifest(response.body, headerValue(response.headers, 'content-type'))
    } catch (error) {
      if (error instanceof ManifestFormatError) return null
      throw error
    }
  }

  private parse(response: HttpResponse, reference: ImageReference): ParsedManifest {
    try {
      return parseManifest(response.body, headerValue(response.headers, 'content-type'))
    } catch (error) {
      if (error instanceof ManifestFormatError) throw unreachableError('protocol', `cannot read the manifest of ${reference.canonical}: ${error.message}`)
      throw error
    }
  }

  /** os/architecture/variant from a config blob (cached by digest, verified). */
  private configPlatform(access: RepositoryAccess, config: Descriptor): Promise<ReturnType<typeof platformFromConfig>> {
    return this.configs.run(config.digest, async () => {
      for (let attempt = 1; ; attempt += 1) {
        const response = await access.request('GET', access.path(`blobs/${config.digest}`), '*/*', 'config', CONFIG_LIMIT)
        if (response.status === 401 || response.status === 403) throw new LookupFailureError(access.denied(response))
        if (response.status !== 200) {
          throw unreachableError('protocol', `the config blob ${config.digest} of ${access.target.repository} could not be read: ${statusLine(response.status)}`)
        }
        if (matchesDigest(response.body, config.digest)) return platformFromConfig(response.body)
        if (attempt >= 2) throw unreachableError('protocol', `the config blob ${config.digest} of ${access.target.repository} did not match its digest in ${attempt} attempts`)
      }
    })
  }

  private async facts(access: RepositoryAccess, fetched: FetchedManifest, rateLimit: RateLimitInfo | null): Promise<ImageFacts> {
    const { manifest, digest } = fetched
    let platforms: PlatformImage[]
    if (manifest.kind === 'index') {
      platforms = await this.indexPlatforms(access, manifest, 1)
    } else if (manifest.kind === 'image') {
      // An artifact (a Helm chart, a signature) has a manifest but nothing a node could run.
      const runnable = manifest.artifactType === null && isImageConfigMediaType(manifest.config.mediaType)
      const platform = runnable ? await this.configPlatform(access, manifest.config) : null
      platforms = platform === null ? [] : [{ ...platform, digest, size: layersSize(manifest) }]
    } else {
      platforms = manifest.architecture === null ? [] : [{ os: 'linux', architecture: manifest.architecture, variant: null, digest, size: null }]
    }
    return { status: 'found', digest, mediaType: manifest.mediaType, isIndex: manifest.kind === 'index', platforms, mirror: null, rateLimit }
  }

  /** The runnable platforms of an index (nested indexes flattened), with the sizes asked for. */
  private async indexPlatforms(access: RepositoryAccess, index: Extract<ParsedManifest, { kind: 'index' }>, depth: number): Promise<PlatformImage[]> {
    const entries = index.manifests.filter(isRunnableEntry)
    const perEntry = await Promise.all(
      entries.map(async (entry): Promise<PlatformImage[]> => {
        if (isIndexMediaType(entry.mediaType)) {
          if (depth >= MAX_INDEX_DEPTH) return []
          const nested = await this.manifestByDigestFor(access, entry.digest)
          return nested.manifest.kind === 'index' ? this.indexPlatforms(access, nested.manifest, depth + 1) : []
        }
        if (entry.platform === undefined) {
          // No platform in the index: containerd would read it from the image itself.
          const child = await this.manifestByDigestFor(access, entry.digest)
          if (child.manifest.kind !== 'image') return []
          const platform = await this.configPlatform(access, child.manifest.config)
          return platform === null ? [] : [{ ...platform, digest: entry.digest, size: layersSize(child.manifest) }]
        }
        const { os, architecture, variant } = entry.platform
        return [{ os, architecture, variant: variant ?? null, digest: entry.digest, size: null }]
      })
    )
    const platforms = perEntry.flat()
    return depth === 1 ? this.withSizes(access, platforms) : platforms
  }

  /**
   * Fills in the sizes of index platforms from their manifests: all of them, or — with
   * `sizePlatforms` — only the images nodes of those platforms would pull (each GET of a platform
   * manifest counts against Docker Hub's pull limit).
   */
  private withSizes(access: RepositoryAccess, platforms: PlatformImage[]): Promise<PlatformImage[]> {
    const wanted = this.options.sizePlatforms
    const chosen = wanted === undefined ? null : new Set(wanted.map((platform) => selectPlatform(platforms, platform)?.image.digest))
    return Promise.all(
      platforms.map(async (platform) => {
        if (platform.size !== null || (chosen !== null && !chosen.has(platform.digest))) return platform
        return { ...platform, ...(await this.childSize(access, platform.digest)) }
      })
    )
  }

  private manifestByDigestFor(access: RepositoryAccess, digest: string): Promise<FetchedManifest> {
    return this.manifestByDigest(access, digest, { canonical: `${access.target.registry}/${access.target.repository}@${digest}`, tag: null, digest })
  }

  /** The compressed size of a platform image of an index, or why its manifest could not be read. */
  private childSize(access: RepositoryAccess, digest: string): Promise<Pick<PlatformImage, 'size' | 'sizeFailure'>> {
    return this.childSizes.run(digest, async () => {
      try {
        const child = await this.manifestByDigestFor(access, digest)
        return { size: child.manifest.kind === 'image' ? layersSize(child.manifest) : null }
      } catch (error) {
        if (!(error instanceof LookupFailureError)) throw error
        // The platform list stands without this size; a size check then says "could not verify".
        this.logger.debug(`size of ${digest} unknown: ${error.failure.detail}`)
        this.childSizes.delete(digest)
        return { size: null, sizeFailure: error.failure }
      }
    })
  }

  private async listTagsAt(target: Target): Promise<TagListResult> {
    const access = new RepositoryAccess(this, target)
    const endpoint = await this.endpoint(target.apiHost, target.forcedScheme)
    const tags: string[] = []
    let path = access.path('tags/list', { n: String(this.options.tagsPageSize ?? 1000) })
    for (let page = 1; page <= MAX_TAG_PAGES; page += 1) {
      const response = await access.request('GET', path, 'application/json', 'tags', TAG_LIST_LIMIT)
      if (response.status === 404) {
        const errors = parseRegistryErrors(response.body)
        if (errors.some((error) => error.code === 'NAME_UNKNOWN')) {
          return lookupFailure('repository-not-found', `repository ${target.repository} does not exist on ${target.registry} (name unknown)`)
        }
        return lookupFailure('unreachable', `${target.registry} does not list the tags of ${target.repository} (${statusLine(404)})`, { cause: 'protocol' })
      }
      if (response.status === 401 || response.status === 403) return access.denied(response)
      if (response.status !== 200) {
        return lookupFailure('unreachable', `unexpected status from tags/list of ${target.repository}: ${statusLine(response.status)}`, { cause: 'protocol' })
      }
      let body: { tags?: unknown }
      try {
        body = JSON.parse(response.body.toString('utf8')) as { tags?: unknown }
      } catch {
        return lookupFailure('unreachable', `the tag list of ${target.repository} is not valid JSON`, { cause: 'protocol' })
      }
      if (Array.isArray(body.tags)) tags.push(...body.tags.filter((tag): tag is string => typeof tag === 'string'))
      const next = nextPagePath(headerValue(response.headers, 'link'), `${endpoint.origin}${path}`)
      if (next === null) return { status: 'found', tags }
      path = next
    }
    this.logger.warning(`stopped listing the tags of ${target.repository} after ${MAX_TAG_PAGES} pages`)
    return { status: 'found', tags }
  }
}

/**
 * The path of the next tags/list page from a `Link: <…>; rel="next"` header, resolved against the
 * current URL (the reference registry sends a relative one). A link to another origin is not followed.
 */
export function nextPagePath(link: string | undefined, currentUrl: string): string | null {
  if (link === undefined) return null
  for (const part of link.split(/,(?=\s*<)/)) {
    const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim())
    if (match === null || !/rel\s*=\s*"?next"?/i.test(match[2]!)) continue
    let next: URL
    try {
      next = new URL(match[1]!, currentUrl)
    } catch {
      return null
    }
    const current = new URL(currentUrl)
    if (next.origin !== current.origin) return null
    return `${next.pathname}${next.search}`
  }
  return null
}
