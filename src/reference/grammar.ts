// The image reference grammar of distribution/reference (regexp.go) and its raw `Parse`: a string
// split into domain, path, tag and digest, with no Docker Hub defaults. The kubelet's normalisation
// (ParseNormalizedNamed / ParseDockerRef) is built on this in parse.ts. Pure; no I/O.
import { checkDigest, type DigestProblem } from './digest.js'

const ALPHANUMERIC = '[a-z0-9]+'
const SEPARATOR = '(?:[._]|__|[-]+)'
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`
const REMOTE_NAME = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`
const DOMAIN_NAME_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const DOMAIN_NAME = `${DOMAIN_NAME_COMPONENT}(?:\\.${DOMAIN_NAME_COMPONENT})*`
// IPv6 literals in brackets; zone identifiers (`%eth0`) are deliberately not allowed.
const IPV6_ADDRESS = '\\[(?:[a-fA-F0-9:]+)\\]'
const HOST = `(?:${DOMAIN_NAME}|${IPV6_ADDRESS})`
const DOMAIN_AND_PORT = `${HOST}(?::[0-9]+)?`
const NAME = `(?:${DOMAIN_AND_PORT}/)?${REMOTE_NAME}`
// Go's \w is ASCII-only, as is JavaScript's without the u flag.
const TAG = '[\\w][\\w.-]{0,127}'
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}'

const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`)
const ANCHORED_NAME = new RegExp(`^(?:(${DOMAIN_AND_PORT})/)?(${REMOTE_NAME})$`)

/** Anchored pieces of the grammar, for explaining which part of a rejected reference is wrong. */
export const GRAMMAR = {
  pathComponent: new RegExp(`^${PATH_COMPONENT}$`),
  domainAndPort: new RegExp(`^${DOMAIN_AND_PORT}$`),
  tag: new RegExp(`^${TAG}$`),
  digest: new RegExp(`^${DIGEST}$`),
  /** A bare 64-hex content identifier, which is never accepted as a repository name. */
  identifier: /^[a-f0-9]{64}$/
} as const

/** Longest repository path (without the domain), as in distribution/reference v0.6.0. */
export const MAX_PATH_LENGTH = 255
/** Longest tag. */
export const MAX_TAG_LENGTH = 128

/** A reference split by the raw grammar: `domain` is '' when the grammar found none. */
export interface RawReference {
  domain: string
  path: string
  tag: string | null
  digest: string | null
}

/** Why the raw grammar rejects a string; the names follow distribution/reference's errors. */
export type RawParseFailure =
  | { kind: 'name-empty' }
  | { kind: 'name-contains-uppercase' }
  | { kind: 'invalid-format' }
  | { kind: 'name-too-long'; length: number }
  | { kind: 'digest'; problem: DigestProblem }

export type RawParseResult = { ok: true; reference: RawReference } | { ok: false; failure: RawParseFailure }

/**
 * distribution/reference `Parse`: the grammar alone, without Docker Hub normalisation
 * (`nginx` stays domain '' and path `nginx`). Digests are validated like go-digest.
 */
export function parseRawReference(input: string): RawParseResult {
  const match = REFERENCE.exec(input)
  if (match === null) {
    if (input === '') return { ok: false, failure: { kind: 'name-empty' } }
    if (REFERENCE.test(input.toLowerCase())) return { ok: false, failure: { kind: 'name-contains-uppercase' } }
    return { ok: false, failure: { kind: 'invalid-format' } }
  }
  const name = match[1] ?? ''
  const nameParts = ANCHORED_NAME.exec(name)
  const domain = nameParts?.[1] ?? ''
  const path = nameParts?.[2] ?? name
  if (path.length > MAX_PATH_LENGTH) return { ok: false, failure: { kind: 'name-too-long', length: path.length } }
  const digest = match[3] ?? null
  if (digest !== null) {
    const problem = checkDigest(digest)
    if (problem !== null) return { ok: false, failure: { kind: 'digest', problem } }
  }
  return { ok: true, reference: { domain, path, tag: match[2] ?? null, digest } }
}
