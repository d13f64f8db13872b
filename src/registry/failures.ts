// Turns what went wrong into a LookupFailure in the words a user recognises: network errors get the
// Go/kubelet phrasing (`dial tcp …: connect: connection refused`, `x509: certificate signed by
// unknown authority`), registry error bodies are summarised like containerd does (`manifest unknown:
// …`). Inside the client a failure travels as a LookupFailureError; lookup() returns it as data.
import type { LookupFailure, RateLimitInfo, UnreachableCause } from '../model.js'

/** A classified failure, thrown inside the client and returned by lookup() as data. */
export class LookupFailureError extends Error {
  override readonly name = 'LookupFailureError'
  constructor(readonly failure: LookupFailure) {
    super(failure.detail)
  }
}

/** Builds a LookupFailure; `cause` only for `unreachable`. */
export function lookupFailure(
  status: LookupFailure['status'],
  detail: string,
  extra: { cause?: UnreachableCause; rateLimit?: RateLimitInfo | null } = {}
): LookupFailure {
  return {
    status,
    detail,
    ...(extra.cause === undefined ? {} : { cause: extra.cause }),
    ...(extra.rateLimit === undefined ? {} : { rateLimit: extra.rateLimit })
  }
}

/** Shorthand for an `unreachable` failure, thrown. */
export function unreachableError(cause: UnreachableCause, detail: string): LookupFailureError {
  return new LookupFailureError(lookupFailure('unreachable', detail, { cause }))
}

/** How a thrown network error is to be understood. */
export interface NetworkErrorClass {
  cause: UnreachableCause
  detail: string
  /** Worth trying again (resets, timeouts, temporary DNS failures). */
  retryable: boolean
  /** The server answered a TLS handshake with something that is not TLS (a plain-HTTP server). */
  notTls: boolean
}

interface ErrorLike {
  code?: unknown
  message?: unknown
  cause?: unknown
  name?: unknown
  cert?: { subjectaltname?: unknown }
}

function errorChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = []
  let current: unknown = error
  while (current !== null && typeof current === 'object' && chain.length < 5) {
    chain.push(current as ErrorLike)
    current = (current as ErrorLike).cause
  }
  return chain
}

const UNKNOWN_AUTHORITY_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE'
])

/** OpenSSL's complaints when the peer answers a ClientHello with plain text (an HTTP server). */
const NOT_TLS_PATTERN = /wrong version number|packet length too long|unknown protocol|http request/i

/** `IP Address:127.0.0.1, DNS:localhost` → `127.0.0.1, localhost` */
function certificateNames(error: ErrorLike): string | null {
  const names = error.cert?.subjectaltname
  if (typeof names !== 'string' || names === '') return null
  return names
    .split(',')
    .map((entry) => entry.trim().replace(/^(DNS|IP Address):/i, ''))
    .join(', ')
}

/** Classifies an error thrown by undici or the socket layer while talking to `host` (host[:port]). */
export function classifyNetworkError(error: unknown, host: string, timeoutMs: number): NetworkErrorClass {
  const chain = errorChain(error)
  const codes = chain.map((entry) => (typeof entry.code === 'string' ? entry.code : '')).filter(Boolean)
  const messages = chain.map((entry) => (typeof entry.message === 'string' ? entry.message : '')).join(' | ')
  const has = (...wanted: string[]): boolean => codes.some((code) => wanted.includes(code))
  const hostname = host.replace(/:\d+$/, '')
  const seconds = `${Math.round(timeoutMs / 100) / 10} s`
  const result = (cause: UnreachableCause, detail: string, retryable: boolean, notTls = false): NetworkErrorClass => ({
    cause,
    detail,
    retryable,
    notTls
  })

  const blocked = chain.find((entry) => entry.code === 'PULLCHECK_BLOCKED')
  if (blocked !== undefined) return result('blocked', String(blocked.message), false)
  if (has('ENOTFOUND')) return result('dns', `dial tcp: lookup ${hostname}: no such host`, false)
  if (has('EAI_AGAIN')) return result('dns', `dial tcp: lookup ${hostname}: temporary failure in name resolution`, true)
  if (has('ECONNREFUSED')) return result('connection-refused', `dial tcp ${host}: connect: connection refused`, false)
  if (has('EHOSTUNREACH', 'ENETUNREACH')) return result('connection-refused', `dial tcp ${host}: connect: no route to host`, true)
  if (has('UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT')) {
    return result('timeout', `dial tcp ${host}: i/o timeout (no connection within ${seconds})`, true)
  }
  if (has('UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT') || chain.some((entry) => entry.name === 'TimeoutError')) {
    return result('timeout', `${host}: i/o timeout (no answer within ${seconds})`, true)
  }
  if (has('CERT_HAS_EXPIRED')) {
    return result('tls', `tls: failed to verify certificate: x509: certificate has expired or is not yet valid (${host})`, false)
  }
  if (has('CERT_NOT_YET_VALID')) {
    return result('tls', `tls: failed to verify certificate: x509: certificate has expired or is not yet valid (${host}: not yet valid)`, false)
  }
  if (has('ERR_TLS_CERT_ALTNAME_INVALID')) {
    const names = chain.map(certificateNames).find((value) => value !== null)
    return result(
      'tls',
      `tls: failed to verify certificate: x509: certificate is valid for ${names ?? 'other names'}, not ${hostname}`,
      false
    )
  }
  if (codes.some((code) => UNKNOWN_AUTHORITY_CODES.has(code))) {
    return result('tls', `tls: failed to verify certificate: x509: certificate signed by unknown authority (${host})`, false)
  }
  if (codes.some((code) => code.startsWith('ERR_SSL_') || code === 'EPROTO') || /SSL routines|ssl3_|tls_/i.test(messages)) {
    if (NOT_TLS_PATTERN.test(messages) || has('ERR_SSL_WRONG_VERSION_NUMBER')) {
      return result('tls', `tls: first record does not look like a TLS handshake: ${host} does not speak TLS (it looks like plain HTTP)`, false, true)
    }
    return result('tls', `tls: handshake failure with ${host}: ${messages.split(' | ')[0]}`, false)
  }
  if (has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'ECONNABORTED')) {
    return result('connection-reset', `read tcp ${host}: connection reset by peer (the connection closed before the answer was complete)`, true)
  }
  if (codes.some((code) => code.startsWith('HPE_'))) {
    return result('protocol', `malformed HTTP response from ${host}`, true)
  }
  return result('protocol', `request to ${host} failed: ${messages || String(error)}`, false)
}

/** One entry of an OCI error body. */
export interface RegistryError {
  code: string
  message: string
}

/** Reads `{"errors":[{code,message,detail}]}` leniently: any other body gives an empty list. */
export function parseRegistryErrors(body: Buffer): RegistryError[] {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown
    const errors = (parsed as { errors?: unknown }).errors
    if (!Array.isArray(errors)) return []
    return errors
      .filter((entry): entry is Record<string, unknown> => entry !== null && typeof entry === 'object')
      .map((entry) => ({
        code: typeof entry.code === 'string' ? entry.code : 'UNKNOWN',
        message: typeof entry.message === 'string' ? entry.message : ''
      }))
  } catch {
    return []
  }
}

/**
 * A registry is named by the manifests of a pull request, so its error text is untrusted: quoted at
 * most this long, this many errors per answer, and on one line.
 */
const REGISTRY_MESSAGE_LIMIT = 200
const REGISTRY_ERRORS_SHOWN = 3

function registryText(text: string, limit: number): string {
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim()
  return line.length > limit ? `${line.slice(0, limit)}…` : line
}

/** `MANIFEST_UNKNOWN` + message → `manifest unknown: message`, as containerd prints registry errors. */
export function describeRegistryErrors(errors: RegistryError[]): string {
  const shown = errors.slice(0, REGISTRY_ERRORS_SHOWN).map((error) => {
    const code = registryText(error.code, 40).toLowerCase().replace(/_/g, ' ')
    const message = registryText(error.message, REGISTRY_MESSAGE_LIMIT)
    return message === '' || message.toLowerCase() === code ? code : `${code}: ${message}`
  })
  if (errors.length > REGISTRY_ERRORS_SHOWN) shown.push(`${errors.length - REGISTRY_ERRORS_SHOWN} more`)
  return shown.join('; ')
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout'
}

/** `401 Unauthorized` */
export function statusLine(status: number): string {
  return STATUS_TEXT[status] === undefined ? String(status) : `${status} ${STATUS_TEXT[status]}`
}
