// Pull secrets as the kubelet reads and matches them (pkg/credentialprovider: secrets.go, config.go,
// keyring.go): which Secrets count, how `auths` entries decode (auth wins, padded or unpadded
// base64, user:password), how each key is normalised, and which keys match an image (same port,
// same number of host labels, per-label glob, path prefix, Docker Hub only via index.docker.io or
// docker.io). Pure functions; credentials are returned to the caller and never put in a message.
import { distance } from 'fastest-levenshtein'
import type { ImageReference, SecretManifest } from '../model.js'

export const SECRET_TYPE_DOCKER_CONFIG_JSON = 'kubernetes.io/dockerconfigjson'
export const SECRET_TYPE_DOCKERCFG = 'kubernetes.io/dockercfg'
const DATA_KEY_FOR_TYPE: Readonly<Record<string, string>> = {
  [SECRET_TYPE_DOCKER_CONFIG_JSON]: '.dockerconfigjson',
  [SECRET_TYPE_DOCKERCFG]: '.dockercfg'
}
/** The key the kubelet falls back to for Docker Hub images (from `https://index.docker.io/v1/`). */
const DOCKER_HUB_FALLBACK_KEY = 'index.docker.io'
const AUTH_FORMAT_ERROR = 'unable to parse auth field, must be formatted as base64(username:password)'

/** One usable `auths` entry of a pull secret. */
export interface PullCredential {
  /** The `auths` key as written in the secret, e.g. `https://index.docker.io/v1/`. */
  key: string
  /** The key as the kubelet indexes it: scheme and a leading `/v1/` or `/v2/` dropped, `host[:port][/path]`. */
  normalizedKey: string
  username: string
  password: string
  /** Name of the Secret the entry came from. */
  secret: string
}

/** An `auths` entry the kubelet reads but that gives it nothing to log in with. */
export interface IgnoredEntry {
  key: string
  reason: string
}

/** Why a Secret gives the kubelet no credentials at all. */
export type PullSecretProblem = 'wrong-type' | 'missing-key' | 'bad-base64' | 'bad-json' | 'bad-auth' | 'unreadable'

/**
 * What the problem does to the deployment: the kubelet skips the secret; `kubectl apply` refuses
 * it; it is applied and then every pull of a pod that lists it fails; or it cannot be told here.
 */
export type PullSecretEffect = 'ignored-by-kubelet' | 'rejected-by-api-server' | 'breaks-pull' | 'unknown'

export type ParsedPullSecret =
  | { ok: true; credentials: PullCredential[]; ignoredEntries: IgnoredEntry[]; hints: string[] }
  | { ok: false; reason: PullSecretProblem; effect: PullSecretEffect; message: string; hints: string[] }

type Failure = Extract<ParsedPullSecret, { ok: false }>

/**
 * Reads a Secret the way the kubelet reads an imagePullSecret. The result lists the credentials
 * in document order, or says precisely why the Secret gives none. Messages never contain
 * credentials, only keys and field names.
 */
export function parsePullSecret(secret: SecretManifest): ParsedPullSecret {
  if (secret.opaqueContents || secret.kind !== 'Secret') {
    return failure('unreadable', 'unknown', `a ${secret.kind} stores its contents encrypted or elsewhere, so its credentials cannot be checked here`)
  }
  const dataKey = DATA_KEY_FOR_TYPE[secret.type]
  if (dataKey === undefined) {
    const hints = Object.keys(DATA_KEY_FOR_TYPE)
      .filter((type) => Object.hasOwn(secret.data, DATA_KEY_FOR_TYPE[type] ?? ''))
      .map((type) => `it has the key ${DATA_KEY_FOR_TYPE[type]}: set "type: ${type}" so that the kubelet reads it`)
    return failure(
      'wrong-type',
      'ignored-by-kubelet',
      `the Secret's type is "${secret.type}"; the kubelet only reads pull secrets of type ${SECRET_TYPE_DOCKER_CONFIG_JSON} (key .dockerconfigjson) or ${SECRET_TYPE_DOCKERCFG} (key .dockercfg) and ignores this one`,
      hints
    )
  }
  if (!Object.hasOwn(secret.data, dataKey)) {
    const keys = Object.keys(secret.data)
    const present = keys.length === 0 ? 'it has no data' : `its keys are ${keys.map((key) => JSON.stringify(key)).join(', ')}`
    const hints = Object.entries(DATA_KEY_FOR_TYPE)
      .filter(([type, key]) => type !== secret.type && keys.includes(key))
      .map(([type, key]) => `${key} belongs to type ${type}: change the type or rename the key to ${dataKey}`)
    return failure('missing-key', 'rejected-by-api-server', `a Secret of type ${secret.type} must have the key ${dataKey}; ${present}`, hints)
  }
  const content = secret.data[dataKey]
  if (content === undefined) {
    return failure('bad-base64', 'rejected-by-api-server', `data.${dataKey} is not valid base64`)
  }
  if (content.trim() === '') {
    return failure('missing-key', 'rejected-by-api-server', `the key ${dataKey} is empty`)
  }
  return readDockerConfig(content, dataKey, secret.type === SECRET_TYPE_DOCKER_CONFIG_JSON, secret.name)
}

function failure(reason: PullSecretProblem, effect: PullSecretEffect, message: string, hints: string[] = []): Failure {
  return { ok: false, reason, effect, message, hints }
}

type JsonObject = Record<string, unknown>

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'an array'
  if (value === null) return 'null'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

/** Go's encoding/json matches struct fields case-insensitively; the last matching key wins. */
function goField(object: JsonObject, name: string): unknown {
  let value: unknown
  for (const [key, candidate] of Object.entries(object)) if (key.toLowerCase() === name) value = candidate
  return value
}

function readDockerConfig(content: string, dataKey: string, wrapped: boolean, secretName: string): ParsedPullSecret {
  let document: unknown
  try {
    document = JSON.parse(content)
  } catch (error) {
    return failure('bad-json', 'rejected-by-api-server', `${dataKey} is not valid JSON${jsonErrorPlace(error, content)}`)
  }
  // The API server only checks for a JSON object (or null); anything deeper breaks the kubelet's decoding.
  if (document !== null && !isObject(document)) {
    return failure('bad-json', 'rejected-by-api-server', `${dataKey} must be a JSON object, not ${jsonType(document)}`)
  }
  const hints: string[] = []
  let entries: unknown = document
  if (wrapped && document !== null) {
    entries = goField(document, 'auths')
    if (entries === undefined) {
      const looksLegacy = Object.values(document).some((value) => isObject(value) && ['auth', 'username', 'password'].some((field) => goField(value, field) !== undefined))
      hints.push(
        looksLegacy
          ? `${dataKey} has no "auths" object: its entries are at the top level, as in the legacy .dockercfg format; wrap them in {"auths": {…}}`
          : `${dataKey} has no "auths" object, so it holds no credentials`
      )
      if (goField(document, 'credhelpers') !== undefined || goField(document, 'credsstore') !== undefined) {
        hints.push('credHelpers and credsStore are ignored by the kubelet: pull secrets must hold the credentials themselves')
      }
    }
  }
  if (entries !== null && entries !== undefined && !isObject(entries)) {
    return failure('bad-json', 'breaks-pull', `${wrapped ? '"auths"' : dataKey} must be a JSON object mapping registries to credentials, not ${jsonType(entries)}`)
  }

  const credentials: PullCredential[] = []
  const ignoredEntries: IgnoredEntry[] = []
  for (const [key, entry] of Object.entries(entries ?? {})) {
    const decoded = decodeEntry(key, entry)
    if (!decoded.ok) return decoded
    hints.push(...decoded.hints)
    const normalizedKey = normalizeRegistryKey(key)
    if (normalizedKey === null) {
      ignoredEntries.push({ key, reason: 'the kubelet cannot parse this key as a URL and ignores the entry' })
      continue
    }
    if (decoded.username === '' && decoded.password === '') {
      ignoredEntries.push({
        key,
        reason: decoded.tokenOnly
          ? 'it has only identitytoken/registrytoken, which the kubelet ignores: it authenticates nothing'
          : 'it has no auth, username or password: it authenticates nothing'
      })
      continue
    }
    credentials.push({ key, normalizedKey, username: decoded.username, password: decoded.password, secret: secretName })
  }
  if (credentials.length === 0 && ignoredEntries.length === 0 && hints.length === 0) {
    hints.push(`${dataKey} has no registry entries, so it holds no credentials`)
  }
  return { ok: true, credentials, ignoredEntries, hints }
}

type DecodedEntry = { ok: true; username: string; password: string; tokenOnly: boolean; hints: string[] }

/** config.go `DockerConfigEntry.UnmarshalJSON`: username/password, overridden by a non-empty `auth`. */
function decodeEntry(key: string, entry: unknown): DecodedEntry | Failure {
  const where = `the entry ${JSON.stringify(key)}`
  if (entry !== null && !isObject(entry)) {
    return failure('bad-json', 'breaks-pull', `${where} must be a JSON object, not ${jsonType(entry)}`)
  }
  const fields: Record<'username' | 'password' | 'auth', string> = { username: '', password: '', auth: '' }
  for (const name of ['username', 'password', 'email', 'auth'] as const) {
    const value = entry === null ? undefined : goField(entry, name)
    if (value === undefined || value === null) continue
    if (typeof value !== 'string') return failure('bad-json', 'breaks-pull', `"${name}" of ${where} must be a string, not ${jsonType(value)}`)
    if (name !== 'email') fields[name] = value
  }
  const hints: string[] = []
  const tokenOnly = entry !== null && (goField(entry, 'identitytoken') !== undefined || goField(entry, 'registrytoken') !== undefined)
  if (fields.auth === '') {
    hints.push(...newlineHints(key, fields.username, fields.password, 'the "username"/"password" fields'))
    return { ok: true, username: fields.username, password: fields.password, tokenOnly, hints }
  }
  const bytes = decodeGoBase64(fields.auth)
  if (bytes === null) {
    return failure('bad-auth', 'breaks-pull', `the "auth" of ${where} is not valid base64; ${AUTH_FORMAT_ERROR}`)
  }
  const text = bytes.toString('utf8')
  const colon = text.indexOf(':')
  if (colon === -1) {
    return failure('bad-auth', 'breaks-pull', `the "auth" of ${where} decodes to text without a ":"; ${AUTH_FORMAT_ERROR}`)
  }
  const username = text.slice(0, colon)
  const password = text.slice(colon + 1)
  hints.push(...newlineHints(key, username, password, 'the decoded "auth"'))
  if ((fields.username !== '' || fields.password !== '') && (fields.username !== username || fields.password !== password)) {
    hints.push(`${where} has both "auth" and "username"/"password", and they differ: the kubelet uses "auth"`)
  }
  return { ok: true, username, password, tokenOnly, hints }
}

/** The `echo user:pass | base64` bug: a newline that ends up inside the credential. */
function newlineHints(key: string, username: string, password: string, source: string): string[] {
  const hints: string[] = []
  for (const [field, value] of [['user name', username], ['password', password]] as const) {
    if (/[\r\n]$/.test(value)) {
      hints.push(
        `the ${field} in ${source} of the entry ${JSON.stringify(key)} ends with a newline, as when it was encoded with \`echo … | base64\`; encode it with \`printf %s … | base64\` (or \`echo -n\`)`
      )
    }
  }
  return hints
}

/** A JSON.parse error's place as line and column, never with the text around it (it may hold credentials). */
function jsonErrorPlace(error: unknown, content: string): string {
  const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1]
  if (position === undefined) return ''
  const before = content.slice(0, Number(position))
  const line = before.split('\n').length
  const column = before.length - before.lastIndexOf('\n')
  return ` (syntax error at line ${line}, column ${column})`
}

/**
 * Go's base64 decoding as config.go uses it: StdEncoding (padded) when the trimmed field ends
 * with "=", else RawStdEncoding (unpadded). Both skip CR and LF and reject anything else outside
 * the alphabet. Returns null where Go returns an error.
 */
function decodeGoBase64(field: string): Buffer | null {
  const padded = field.trim().endsWith('=')
  const text = field.replace(/[\r\n]/g, '')
  if (padded) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null
  } else if (!/^[A-Za-z0-9+/]*$/.test(text) || text.length % 4 === 1) {
    return null
  }
  return Buffer.from(text, 'base64')
}

// ---------------------------------------------------------------------------------------------
// Key normalisation and matching (keyring.go)

/** The parts of Go's url.Parse that the keyring reads. */
interface GoUrl {
  host: string
  path: string
}

/**
 * Go's `url.Parse` for an absolute `scheme://authority/path` URL, reduced to host and path: the
 * query and fragment are cut off, userinfo dropped, a non-numeric port or a character Go does not
 * allow in a host is an error (null). Unlike WHATWG URL parsing, nothing is lower-cased and a
 * default port such as :443 is kept: the kubelet compares ports as written.
 */
function parseGoUrl(raw: string): GoUrl | null {
  // Control characters are rejected anywhere in a URL.
  if (/[\x00-\x1f\x7f]/.test(raw)) return null
  const withoutFragment = raw.split('#', 1)[0] ?? ''
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.exec(withoutFragment)
  if (scheme === null) return null
  let rest = withoutFragment.slice(scheme[0].length)
  const query = rest.indexOf('?')
  if (query !== -1) rest = rest.slice(0, query)
  if (!rest.startsWith('//')) return null
  rest = rest.slice(2)
  const slash = rest.indexOf('/')
  const authority = slash === -1 ? rest : rest.slice(0, slash)
  const path = slash === -1 ? '' : rest.slice(slash)
  const host = authority.slice(authority.lastIndexOf('@') + 1)
  if (!isGoHost(host)) return null
  const unescapedPath = unescapePath(path)
  // An IPv6 zone is written %25 in a URL; Go's Host holds it unescaped.
  return unescapedPath === null ? null : { host: host.replace('%25', '%'), path: unescapedPath }
}

// Characters Go's url package accepts in a host outside brackets: unreserved, sub-delims and a few
// more. Brackets are left out: current Go rejects them anywhere but around an IPv6 literal at the
// start of the host (CVE-2025-47912, CVE-2026-25679), so a `[…]` class never survives in a key.
const GO_HOST_CHARACTERS = /^[A-Za-z0-9\-._~!$&'()*+,;=:<>"\u0080-\uffff]*$/
const GO_IPV6_LITERAL = /^\[[0-9a-fA-F:.]+(?:%25[^\]]+)?\]/

function isGoHost(host: string): boolean {
  if (host.startsWith('[')) {
    const literal = GO_IPV6_LITERAL.exec(host)
    return literal !== null && isOptionalPort(host.slice(literal[0].length))
  }
  const colon = host.lastIndexOf(':')
  if (colon !== -1 && !isOptionalPort(host.slice(colon))) return false
  return GO_HOST_CHARACTERS.test(host)
}

function isOptionalPort(text: string): boolean {
  return text === '' || /^:[0-9]*$/.test(text)
}

function unescapePath(path: string): string | null {
  if (/%(?![0-9a-fA-F]{2})/.test(path)) return null
  return path.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
}

/**
 * Normalises an `auths` key as the kubelet's keyring does when it adds it: `https://` is
 * prepended when there is no http(s) scheme, a path starting `/v1/` or `/v2/` loses those three
 * characters, and the key is `host[:port]` plus the remaining path unless that is empty or `/`.
 * Returns null for a key the kubelet cannot parse (it logs an error and ignores the entry).
 */
export function normalizeRegistryKey(key: string): string | null {
  const withScheme = key.startsWith('https://') || key.startsWith('http://') ? key : `https://${key}`
  const parsed = parseGoUrl(withScheme)
  if (parsed === null) return null
  let path = parsed.path
  if (path.startsWith('/v2/') || path.startsWith('/v1/')) path = path.slice(3)
  return path.length > 0 && path !== '/' ? parsed.host + path : parsed.host
}

interface SplitLocation {
  labels: string[]
  port: string
  path: string
  host: string
}

/** keyring.go `ParseSchemelessURL` + `SplitURL`: host labels, port and path of a schemeless location. */
function splitLocation(location: string): SplitLocation | null {
  const parsed = parseGoUrl(`https://${location}`)
  if (parsed === null) return null
  const { host, port } = splitHostPort(parsed.host)
  return { labels: host.split('.'), port, path: parsed.path, host }
}

/** Go's net.SplitHostPort; on its errors the keyring keeps the whole host and an empty port. */
function splitHostPort(hostport: string): { host: string; port: string } {
  const whole = { host: hostport, port: '' }
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']')
    if (close === -1 || hostport[close + 1] !== ':') return whole
    const port = hostport.slice(close + 2)
    if (/[[\]:]/.test(port)) return whole
    return { host: hostport.slice(1, close), port }
  }
  const colon = hostport.lastIndexOf(':')
  if (colon === -1) return whole
  const host = hostport.slice(0, colon)
  const port = hostport.slice(colon + 1)
  if (host.includes(':') || /[[\]]/.test(hostport)) return whole
  return { host, port }
}

const labelPatterns = new Map<string, RegExp>()

/**
 * Go's `filepath.Match` for one host label, as the keyring calls it. Of its syntax only `*` can
 * reach it: a key is parsed as a URL first, where `?` starts the query, `\` is not allowed and `[`
 * only opens an IPv6 literal. `*` matches any run of characters within the label (labels are split
 * on `.`, so it never crosses one); everything else is literal and case-sensitive.
 */
function labelMatches(pattern: string, label: string): boolean {
  let regex = labelPatterns.get(pattern)
  if (regex === undefined) {
    regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 's')
    labelPatterns.set(pattern, regex)
  }
  return regex.test(label)
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')
}

/** keyring.go `URLsMatch`: same port, same number of labels, path prefix, every label globbed. */
function keyMatches(key: SplitLocation, target: SplitLocation): boolean {
  if (key.port !== target.port) return false
  if (key.labels.length !== target.labels.length) return false
  if (!target.path.startsWith(key.path)) return false
  return key.labels.every((pattern, index) => labelMatches(pattern, target.labels[index] ?? ''))
}

/** keyring.go `isDefaultRegistryMatch`, applied to the normalised name `registry/repository`. */
function isDefaultRegistryMatch(name: string): boolean {
  const slash = name.indexOf('/')
  const first = slash === -1 ? name : name.slice(0, slash)
  if (first === '') return false
  if (slash === -1) return true
  if (first === 'docker.io' || first === DOCKER_HUB_FALLBACK_KEY) return true
  return !/[.:]/.test(first)
}

/** Credentials grouped under their normalised key, keys in the keyring's order (reverse-lexicographic). */
function buildIndex(credentials: PullCredential[]): Array<[string, PullCredential[]]> {
  const byKey = new Map<string, PullCredential[]>()
  for (const credential of credentials) {
    const list = byKey.get(credential.normalizedKey)
    if (list === undefined) byKey.set(credential.normalizedKey, [credential])
    else list.push(credential)
  }
  // Reverse order puts longer, more specific keys (`quay.io/coreos`) before their prefixes (`quay.io`).
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))
}

/** Why a key did not match an image, closest kinds first. */
export type KeyMismatchReason = 'port' | 'path' | 'case' | 'docker-hub-host' | 'label-count' | 'host' | 'unparsable-key'

const MISMATCH_RANK: Readonly<Record<KeyMismatchReason, number>> = {
  port: 0,
  path: 1,
  case: 2,
  'docker-hub-host': 3,
  'label-count': 4,
  host: 5,
  'unparsable-key': 6
}

/** A key of the secrets that does not cover the image, and why, in words. */
export interface KeyMismatch {
  key: string
  normalizedKey: string
  reason: KeyMismatchReason
  /** One sentence, e.g. `the secret has ghcr.io:443 but the image is on ghcr.io: …`. */
  detail: string
}

/** The keyring's answer for one image, with what a message needs when nothing matched. */
export interface CredentialLookup {
  /** Matching credentials in the order the kubelet tries them; empty when none match. */
  matches: PullCredential[]
  /** True when the matches came from the Docker Hub fallback key `index.docker.io`. */
  viaDockerHubFallback: boolean
  /** Every key that does not cover the image, closest first. */
  misses: KeyMismatch[]
  /** When nothing matched: one sentence naming the closest key and why it does not match; else null. */
  summary: string | null
}

/**
 * The credentials the kubelet's keyring would offer for `reference`, in the order it tries them:
 * keys in reverse-lexicographic order, each key's entries in the order given; when no key
 * matches a Docker Hub image, the entries under `index.docker.io`.
 */
export function matchCredentials(credentials: PullCredential[], reference: ImageReference): PullCredential[] {
  return findMatches(credentials, reference).matches
}

/** matchCredentials, with the reasons each other key does not match (for findings). */
export function lookupCredentials(credentials: PullCredential[], reference: ImageReference): CredentialLookup {
  const { matches, viaDockerHubFallback, unmatched, target } = findMatches(credentials, reference)
  const misses = unmatched
    .map(([key, entries]) => explainMismatch(entries[0]?.key ?? key, key, reference, target))
    .sort((a, b) => MISMATCH_RANK[a.reason] - MISMATCH_RANK[b.reason] || closeness(a, reference) - closeness(b, reference))
  return { matches, viaDockerHubFallback, misses, summary: matches.length > 0 ? null : summarize(misses, reference) }
}

interface Matching {
  matches: PullCredential[]
  viaDockerHubFallback: boolean
  /** Keys (with their entries) that did not supply the matches. */
  unmatched: Array<[string, PullCredential[]]>
  target: SplitLocation | null
}

/** keyring.go `Lookup`. */
function findMatches(credentials: PullCredential[], reference: ImageReference): Matching {
  const name = `${reference.registry}/${reference.repository}`
  const target = splitLocation(name)
  const index = buildIndex(credentials)
  const matches: PullCredential[] = []
  const unmatched: Array<[string, PullCredential[]]> = []
  for (const [key, entries] of index) {
    const location = splitLocation(key)
    if (target !== null && location !== null && keyMatches(location, target)) matches.push(...entries)
    else unmatched.push([key, entries])
  }
  if (matches.length > 0 || !isDefaultRegistryMatch(name)) return { matches, viaDockerHubFallback: false, unmatched, target }
  const hub = unmatched.find(([key]) => key === DOCKER_HUB_FALLBACK_KEY)
  if (hub === undefined) return { matches, viaDockerHubFallback: false, unmatched, target }
  return { matches: hub[1], viaDockerHubFallback: true, unmatched: unmatched.filter((entry) => entry !== hub), target }
}

function closeness(miss: KeyMismatch, reference: ImageReference): number {
  return distance(miss.normalizedKey.split('/')[0] ?? '', reference.registry)
}

const DOCKER_HUB_HOSTS = /(^|\.)docker\.(io|com)$/

function explainMismatch(key: string, normalizedKey: string, reference: ImageReference, target: SplitLocation | null): KeyMismatch {
  const location = splitLocation(normalizedKey)
  const registry = reference.registry
  const miss = (reason: KeyMismatchReason, detail: string): KeyMismatch => ({ key, normalizedKey, reason, detail })
  const shown = JSON.stringify(key)
  // Keys from parsePullSecret always parse; one handed in directly may not, and then never matches.
  if (location === null || target === null) return miss('unparsable-key', `the key ${shown} cannot be parsed as a URL, so it matches nothing`)
  const sameHost =
    location.labels.length === target.labels.length && location.labels.every((pattern, index) => labelMatches(pattern, target.labels[index] ?? ''))
  const keyHost = normalizedKey.split('/')[0] ?? normalizedKey
  if (sameHost && location.port !== target.port) {
    return miss(
      'port',
      `the secret has ${keyHost} but the image is on ${registry}: the kubelet compares ports exactly (${location.port === '' ? 'no port' : `:${location.port}`} vs ${target.port === '' ? 'no port' : `:${target.port}`})`
    )
  }
  if (sameHost) {
    return miss('path', `the key ${shown} only covers images under ${normalizedKey}, and the image is ${registry}/${reference.repository}`)
  }
  if (location.host.toLowerCase() === target.host.toLowerCase() && location.port === target.port) {
    return miss('case', `the key ${shown} differs from ${registry} only in letter case, and the kubelet compares host names case-sensitively`)
  }
  if (registry === 'docker.io' && DOCKER_HUB_HOSTS.test(location.host)) {
    return miss(
      'docker-hub-host',
      `the key ${shown} never matches Docker Hub images: the kubelet only uses keys docker.io or https://index.docker.io/v1/ for them`
    )
  }
  if (location.labels.some((label) => label.includes('*')) && crossLabelGlob(location.host).test(target.host) && location.port === target.port) {
    return miss(
      'label-count',
      `the key ${shown} has ${location.labels.length} host labels and ${registry} has ${target.labels.length}: each "*" matches exactly one label`
    )
  }
  return miss('host', `the key ${shown} is for ${keyHost}, not ${registry}`)
}

/** A host pattern whose `*` may cross dots: to tell "right host, wrong depth" from "wrong host". */
function crossLabelGlob(host: string): RegExp {
  return new RegExp(`^${host.split('*').map(escapeRegExp).join('.*')}$`)
}

function summarize(misses: KeyMismatch[], reference: ImageReference): string {
  const closest = misses[0]
  if (closest === undefined) return 'the pull secrets have no usable entries'
  if (closest.reason !== 'host') return closest.detail
  const hosts = [...new Set(misses.map((miss) => miss.normalizedKey.split('/')[0] ?? miss.normalizedKey))]
  const typo = closeness(closest, reference) <= 2 ? ` (a typo for ${reference.registry}?)` : ''
  return `the pull secrets have keys for ${hosts.join(', ')}, none for ${reference.registry}${typo}`
}
