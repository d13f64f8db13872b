// Answers registry challenges: Basic credentials sent as they are, Bearer tokens fetched from the
// challenge's realm (GET with Basic credentials or anonymously; the OAuth2 POST refresh flow for
// identity tokens, falling back to GET as containerd does), registry tokens sent directly. Enforces
// the credential scope rules: a registry's credentials go only to that registry and its realm, and
// to the realm only over HTTPS unless it is loopback or explicitly allowed as insecure.
import { createHash } from 'node:crypto'
import type { Challenge } from './challenge.js'
import type { RegistryCredential } from './credentials.js'
import { LookupFailureError, lookupFailure, statusLine, unreachableError } from './failures.js'
import type { OutboundGuard } from './outbound-guard.js'
import type { TokenCache, IssuedToken } from './token-cache.js'
import { isLoopbackHost, type Transport } from './transport.js'

/** What a request is authorised as. */
export interface Authorization {
  /** The Authorization header value, or null for none. */
  header: string | null
  scheme: 'none' | 'basic' | 'bearer'
  /** Whether a credential (not an anonymous token) stands behind the header. */
  withCredential: boolean
  /** The token cache key, for a bearer token from a realm. */
  tokenKey: string | null
}

/** Who is asking, for which repository, on which registry. */
export interface AccessScope {
  /** The registry as named in references and credential keys (`docker.io`, `127.0.0.1:5000`). */
  registry: string
  repository: string
  credential: RegistryCredential | null
  /** Stable key of the credential (a hash, never the secret), for token caching. */
  credentialKey: string
}

/** A stable, non-reversible key for a credential: equal credentials share tokens and answers. */
export function credentialKey(credential: RegistryCredential | null): string {
  if (credential === null) return 'anonymous'
  const material =
    credential.kind === 'basic'
      ? `basic\0${credential.username}\0${credential.password}`
      : credential.kind === 'identity-token'
        ? `identity\0${credential.username ?? ''}\0${credential.token}`
        : `registry-token\0${credential.token}`
  return `${credential.kind}:${createHash('sha256').update(material).digest('hex').slice(0, 24)}`
}

function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
}

const NO_AUTHORIZATION: Authorization = { header: null, scheme: 'none', withCredential: false, tokenKey: null }
const TOKEN_BODY_LIMIT = 1024 * 1024

/** Produces Authorization headers for registry requests. */
export class Authenticator {
  constructor(
    private readonly transport: Transport,
    private readonly guard: OutboundGuard,
    private readonly tokens: TokenCache
  ) {}

  /** The Authorization for a request to `scope` under `challenge` (null: the registry asked for none). */
  async authorize(challenge: Challenge | null, scope: AccessScope): Promise<Authorization> {
    const { credential } = scope
    if (challenge === null) return NO_AUTHORIZATION
    if (challenge.scheme === 'basic') {
      if (credential?.kind !== 'basic') return NO_AUTHORIZATION
      return { header: basicHeader(credential.username, credential.password), scheme: 'basic', withCredential: true, tokenKey: null }
    }
    if (credential?.kind === 'registry-token') {
      return { header: `Bearer ${credential.token}`, scheme: 'bearer', withCredential: true, tokenKey: null }
    }
    const realm = challenge.params.realm
    if (realm === undefined || realm === '') {
      throw unreachableError('protocol', `${scope.registry} asked for a bearer token but named no realm`)
    }
    const service = challenge.params.service ?? ''
    const requestedScope = `repository:${scope.repository}:pull`
    const tokenKey = `${realm}\n${service}\n${requestedScope}\n${scope.credentialKey}`
    const token = await this.tokens.get(tokenKey, () => this.fetchToken(realm, service, requestedScope, scope))
    return { header: `Bearer ${token}`, scheme: 'bearer', withCredential: credential !== null, tokenKey }
  }

  /** Forgets a token the registry refused as invalid or expired. */
  invalidate(authorization: Authorization): void {
    if (authorization.tokenKey !== null) this.tokens.invalidate(authorization.tokenKey)
  }

  private checkRealm(realm: string, scope: AccessScope): URL {
    let url: URL
    try {
      url = new URL(realm)
    } catch {
      throw unreachableError('protocol', `${scope.registry} named an invalid token realm`)
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw unreachableError('protocol', `${scope.registry} named a token realm that is not HTTP(S): ${url.protocol}`)
    }
    const blocked = this.guard.hostBlockedReason(url.host)
    if (blocked !== null) throw unreachableError('blocked', `token realm ${url.origin} of ${scope.registry}: ${blocked}`)
    if (scope.credential !== null && url.protocol === 'http:' && !isLoopbackHost(url.host) && !this.transport.isInsecure(url.host)) {
      throw unreachableError(
        'blocked',
        `not sending the credentials for ${scope.registry} to its token realm ${url.origin} over plain HTTP; allow it with --insecure-registry ${url.host}`
      )
    }
    return url
  }

  private async fetchToken(realm: string, service: string, requestedScope: string, scope: AccessScope): Promise<IssuedToken> {
    const realmUrl = this.checkRealm(realm, scope)
    const { credential } = scope
    if (credential?.kind === 'identity-token') {
      const posted = await this.postRefreshToken(realmUrl, service, requestedScope, credential.token, scope)
      if (posted !== null) return posted
      // The realm has no OAuth2 endpoint: send the refresh token as a Basic password instead.
      return this.getToken(realmUrl, service, requestedScope, basicHeader(credential.username ?? '<token>', credential.token), scope)
    }
    const header = credential?.kind === 'basic' ? basicHeader(credential.username, credential.password) : null
    return this.getToken(realmUrl, service, requestedScope, header, scope)
  }

  private tokenUrl(realmUrl: URL, service: string, requestedScope: string): URL {
    // Query parameters already in the realm are kept; ours are appended.
    const url = new URL(realmUrl)
    if (service !== '') url.searchParams.set('service', service)
    url.searchParams.append('scope', requestedScope)
    return url
  }

  private async getToken(realmUrl: URL, service: string, requestedScope: string, authorization: string | null, scope: AccessScope): Promise<IssuedToken> {
    const url = this.tokenUrl(realmUrl, service, requestedScope)
    const response = await this.send({
      method: 'GET',
      url: url.toString(),
      headers: authorization === null ? {} : { authorization },
      maxBodyBytes: TOKEN_BODY_LIMIT,
      purpose: 'token'
    }, realmUrl, scope)
    if (response.status !== 200) throw this.tokenRefused('GET', url, response.status, scope)
    return this.readToken(response.body, realmUrl, scope)
  }

  /** The OAuth2 refresh-token grant; null when the realm does not implement it (GET fallback). */
  private async postRefreshToken(realmUrl: URL, service: string, requestedScope: string, refreshToken: string, scope: AccessScope): Promise<IssuedToken | null> {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, service, scope: requestedScope, client_id: 'pullcheck' })
    const response = await this.send({
      method: 'POST',
      url: realmUrl.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      maxBodyBytes: TOKEN_BODY_LIMIT,
      purpose: 'token'
    }, realmUrl, scope)
    // containerd's fallbacks: GCR answers 404, Artifactory 401, ACR 400, others 405.
    if ([400, 401, 404, 405].includes(response.status)) return null
    if (response.status !== 200) throw this.tokenRefused('POST', realmUrl, response.status, scope)
    return this.readToken(response.body, realmUrl, scope)
  }

  private async send(request: Parameters<Transport['send']>[0], realmUrl: URL, scope: AccessScope): ReturnType<Transport['send']> {
    try {
      return await this.transport.send(request)
    } catch (error) {
      if (error instanceof LookupFailureError && error.failure.status === 'unreachable') {
        throw new LookupFailureError({ ...error.failure, detail: `token server ${realmUrl.origin} for ${scope.registry}: ${error.failure.detail}` })
      }
      throw error
    }
  }

  private tokenRefused(method: string, url: URL, status: number, scope: AccessScope): LookupFailureError {
    const where = `unexpected status from ${method} request to ${url.toString()}: ${statusLine(status)}`
    if (status !== 401 && status !== 403) {
      return unreachableError('protocol', `failed to fetch token: ${where}`)
    }
    if (scope.credential === null) {
      return new LookupFailureError(
        lookupFailure('auth-required', `pull access denied, repository does not exist or may require authorization: failed to fetch anonymous token: ${where}`)
      )
    }
    return new LookupFailureError(
      lookupFailure('auth-rejected', `failed to fetch oauth token: ${where}: the token server refused the credentials for ${scope.registry}`)
    )
  }

  private readToken(body: Buffer, realmUrl: URL, scope: AccessScope): IssuedToken {
    let parsed: unknown
    try {
      parsed = JSON.parse(body.toString('utf8'))
    } catch {
      parsed = null
    }
    const fields = (parsed ?? {}) as { token?: unknown; access_token?: unknown; expires_in?: unknown }
    const token = typeof fields.token === 'string' && fields.token !== '' ? fields.token : fields.access_token
    if (typeof token !== 'string' || token === '') {
      // The body is not quoted: a token server's answer may hold secrets.
      throw unreachableError('protocol', `token server ${realmUrl.origin} for ${scope.registry} answered without a token`)
    }
    return { token, expiresInSeconds: typeof fields.expires_in === 'number' ? fields.expires_in : null }
  }
}
