// A small Docker token server (the `auth.token` realm of a test registry) that the tests own. It
// implements the two flows of the distribution token spec — GET with Basic credentials, and the
// OAuth2 POST (password and refresh_token grants) — and signs ES256 JWTs that distribution 2.8
// accepts: the header's `kid` is the libtrust key ID of the key whose certificate is the
// registry's rootcertbundle. It records every request, so tests can assert where credentials went.
import { createHash, createPrivateKey, createPublicKey, randomUUID, sign, type KeyObject } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createTokenSigningKey } from './certificates.js'
import { makeTempDir, removeTempDir } from './temp-dir.js'

/** A user of the token server. */
export interface TokenUser {
  password: string
  /** Repository prefixes this user may pull; undefined = every repository. */
  pullPrefixes?: string[]
  /** May push (the harness's own user, for seeding images). */
  push?: boolean
}

export interface TokenServerOptions {
  users?: Record<string, TokenUser>
  /** OAuth2 refresh tokens (Docker's `identitytoken`) → the user they stand for. */
  refreshTokens?: Record<string, string>
  /** Repository prefixes anyone may pull without credentials. Default: `public/`. */
  anonymousPullPrefixes?: string[]
  /**
   * `not-found` answers every OAuth2 POST with 404, as token servers without OAuth2 support do
   * (GCR; distribution's docs/spec/auth/oauth.md tells clients to fall back to GET then).
   */
  oauthPost?: 'supported' | 'not-found'
  /** Lifetime of issued tokens. Default 300 s. */
  expiresInSeconds?: number
}

/** One request the token server received. `authorization` is the raw header, kept for scope tests. */
export interface RecordedTokenRequest {
  method: string
  path: string
  service: string | null
  scopes: string[]
  grantType: string | null
  authorization: string | null
  /** The user the request authenticated as (Basic header or form fields), or null. */
  username: string | null
  /** Every credential-like value the request carried: passwords, refresh tokens. */
  secretsSeen: string[]
  status: number
}

export interface TokenServer {
  /** The realm URL to put in the registry's config: http://127.0.0.1:PORT/token */
  realm: string
  /** 127.0.0.1:PORT */
  host: string
  service: string
  issuer: string
  /** PEM file of the signing certificate (the registry's rootcertbundle). */
  signingCertificateFile: string
  requests: RecordedTokenRequest[]
  /** The next `count` token requests answer with `status` (e.g. 503) instead of a token. */
  failNext(count: number, status: number): void
  stop(): Promise<void>
}

/** The harness's own push user on every token-auth registry. */
export const TOKEN_ADMIN = { username: 'pullcheck-admin', password: 'admin-password-0f3a' }

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

function base32(bytes: Buffer): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += BASE32_ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(value << (5 - bits)) & 31]
  return out
}

/**
 * The libtrust key ID of a public key, which distribution 2.8 matches against the JWT's `kid`:
 * SHA-256 of the DER SubjectPublicKeyInfo, first 240 bits, base32, in 12 groups of 4 joined by ':'.
 */
export function libtrustKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' })
  const encoded = base32(createHash('sha256').update(der).digest().subarray(0, 30))
  return encoded.match(/.{4}/g)!.join(':')
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url')
}

function parseScope(scope: string): { type: string; name: string; actions: string[] } | null {
  // repository:name:actions — the name itself may contain one ':' (host:port), so split at the ends.
  const first = scope.indexOf(':')
  const last = scope.lastIndexOf(':')
  if (first === -1 || last === first) return null
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',') }
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => (body += chunk))
    request.on('end', () => resolve(body))
    request.on('error', reject)
  })
}

/** Starts a token server on 127.0.0.1 with a free port. */
export async function startTokenServer(options: TokenServerOptions = {}): Promise<TokenServer> {
  const dir = await makeTempDir('token')
  const signer = await createTokenSigningKey(dir)
  const privateKey = createPrivateKey(signer.keyPem)
  const keyId = libtrustKeyId(createPublicKey(signer.certificatePem))
  const users: Record<string, TokenUser> = { [TOKEN_ADMIN.username]: { password: TOKEN_ADMIN.password, push: true }, ...options.users }
  const refreshTokens = options.refreshTokens ?? {}
  const anonymousPrefixes = options.anonymousPullPrefixes ?? ['public/']
  const expiresIn = options.expiresInSeconds ?? 300
  const service = 'pullcheck-test-registry'
  const issuer = 'pullcheck-test-token-server'
  const requests: RecordedTokenRequest[] = []
  let scriptedFailures: { count: number; status: number } = { count: 0, status: 503 }

  function grantedActions(username: string | null, scope: { name: string; actions: string[] }): string[] {
    const user = username === null ? undefined : users[username]
    return scope.actions.filter((action) => {
      if (action === 'pull') {
        if (user === undefined) return anonymousPrefixes.some((prefix) => scope.name.startsWith(prefix))
        return user.pullPrefixes === undefined || user.pullPrefixes.some((prefix) => scope.name.startsWith(prefix))
      }
      return user?.push === true
    })
  }

  function issueToken(username: string | null, scopes: string[]): string {
    const now = Math.floor(Date.now() / 1000)
    const access = scopes
      .map(parseScope)
      .filter((scope): scope is NonNullable<typeof scope> => scope !== null)
      .map((scope) => ({ type: scope.type, name: scope.name, actions: grantedActions(username, scope) }))
    const header = { typ: 'JWT', alg: 'ES256', kid: keyId }
    const claims = { iss: issuer, sub: username ?? '', aud: service, exp: now + expiresIn, nbf: now - 1, iat: now, jti: randomUUID(), access }
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`
    const signature = sign('sha256', Buffer.from(signingInput), { key: privateKey, dsaEncoding: 'ieee-p1363' })
    return `${signingInput}.${base64url(signature)}`
  }

  const server = http.createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://token.invalid')
      const body = request.method === 'POST' ? await readBody(request) : ''
      const form = new URLSearchParams(body)
      const authorization = request.headers.authorization ?? null
      const record: RecordedTokenRequest = {
        method: request.method ?? '',
        path: url.pathname,
        service: url.searchParams.get('service') ?? form.get('service'),
        scopes: request.method === 'POST' ? (form.get('scope') ?? '').split(' ').filter(Boolean) : url.searchParams.getAll('scope'),
        grantType: form.get('grant_type'),
        authorization,
        username: null,
        secretsSeen: [],
        status: 0
      }
      requests.push(record)
      const reply = (status: number, payload: unknown): void => {
        record.status = status
        response.writeHead(status, { 'content-type': 'application/json' })
        response.end(JSON.stringify(payload))
      }
      if (url.pathname !== '/token') return reply(404, { errors: [{ code: 'NOT_FOUND', message: 'no such endpoint' }] })
      if (scriptedFailures.count > 0) {
        scriptedFailures.count -= 1
        return reply(scriptedFailures.status, { errors: [{ code: 'UNAVAILABLE', message: 'scripted failure' }] })
      }

      let username: string | null = null
      let password: string | null = null
      if (request.method === 'POST') {
        if (options.oauthPost === 'not-found') return reply(404, { errors: [{ code: 'NOT_FOUND', message: 'oauth not supported' }] })
        const grantType = form.get('grant_type')
        if (grantType === 'password') {
          username = form.get('username')
          password = form.get('password')
          if (password !== null) record.secretsSeen.push(password)
        } else if (grantType === 'refresh_token') {
          const refreshToken = form.get('refresh_token') ?? ''
          record.secretsSeen.push(refreshToken)
          const owner = refreshTokens[refreshToken]
          if (owner === undefined) return reply(401, { error: 'invalid_grant' })
          username = owner
          password = users[owner]?.password ?? null
        } else {
          return reply(400, { error: 'unsupported_grant_type' })
        }
      } else if (authorization !== null) {
        const match = /^Basic\s+(.+)$/i.exec(authorization)
        if (match === null) return reply(401, { errors: [{ code: 'UNAUTHORIZED', message: 'unsupported authorization' }] })
        const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
        const colon = decoded.indexOf(':')
        username = decoded.slice(0, colon)
        password = decoded.slice(colon + 1)
        record.secretsSeen.push(password)
        // A refresh token sent as the Basic password (the GET fallback of the OAuth2 flow).
        if (refreshTokens[password] !== undefined) {
          username = refreshTokens[password]!
          password = users[username]?.password ?? null
        }
      }
      if (username !== null) {
        record.username = username
        if (users[username] === undefined || users[username]!.password !== password) {
          return reply(401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] })
        }
      }
      const token = issueToken(username, record.scopes)
      const issuedAt = new Date().toISOString()
      if (request.method === 'POST') return reply(200, { access_token: token, expires_in: expiresIn, issued_at: issuedAt, scope: record.scopes.join(' ') })
      return reply(200, { token, access_token: token, expires_in: expiresIn, issued_at: issuedAt })
    })().catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : new Error(String(error)))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const host = `127.0.0.1:${port}`
  return {
    realm: `http://${host}/token`,
    host,
    service,
    issuer,
    signingCertificateFile: signer.certificateFile,
    requests,
    failNext(count, status) {
      scriptedFailures = { count, status }
    },
    async stop() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await removeTempDir(dir)
    }
  }
}
