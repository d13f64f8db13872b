// Image references resolved exactly as the kubelet resolves them: distribution/reference's
// ParseNormalizedNamed (Docker Hub domain and `library/` defaults, the lowercase check) followed by
// ParseDockerRef (implied `:latest`; with a digest the tag is dropped). Records what was implied,
// and words every rejection the way the kubelet starts it. Pure; no I/O.
import type { ImageReference, ImpliedPart } from '../model.js'
import { describeEmbeddedSecret, explainInvalidFormat } from './explain.js'
import { GRAMMAR, MAX_PATH_LENGTH, parseRawReference, type RawParseFailure } from './grammar.js'

/** The domain references without one resolve to. */
export const DOCKER_HUB_DOMAIN = 'docker.io'
/** The legacy Docker Hub domain, rewritten to docker.io. */
const LEGACY_DOCKER_HUB_DOMAIN = 'index.docker.io'
const OFFICIAL_REPOSITORY_PREFIX = 'library/'
const DEFAULT_TAG = 'latest'

export type ParseResult = { ok: true; reference: ImageReference } | { ok: false; error: string }

interface DomainSplit {
  domain: string
  remainder: string
  impliedDomain: boolean
  impliedLibrary: boolean
}

/**
 * distribution/reference `splitDockerDomain`: the first `/`-separated component is a registry only
 * when it is `localhost`, contains `.` or `:`, or has an uppercase letter (repository paths never do).
 */
function splitDockerDomain(name: string): DomainSplit {
  const slash = name.indexOf('/')
  if (slash === -1) {
    // A single element is always a Docker Hub official image, even `localhost` or `example.com`.
    return { domain: DOCKER_HUB_DOMAIN, remainder: OFFICIAL_REPOSITORY_PREFIX + name, impliedDomain: true, impliedLibrary: true }
  }
  const first = name.slice(0, slash)
  let domain: string
  let remainder: string
  let impliedDomain = false
  if (first === LEGACY_DOCKER_HUB_DOMAIN) {
    domain = DOCKER_HUB_DOMAIN
    remainder = name.slice(slash + 1)
  } else if (first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first) {
    domain = first
    remainder = name.slice(slash + 1)
  } else {
    domain = DOCKER_HUB_DOMAIN
    remainder = name
    impliedDomain = true
  }
  const impliedLibrary = domain === DOCKER_HUB_DOMAIN && !remainder.includes('/')
  if (impliedLibrary) remainder = OFFICIAL_REPOSITORY_PREFIX + remainder
  return { domain, remainder, impliedDomain, impliedLibrary }
}

/**
 * Parses and normalises an image reference as the kubelet does (ParseNormalizedNamed, then
 * ParseDockerRef for `canonical`). Never throws: an invalid reference is `{ ok: false, error }`
 * with an error that starts like the kubelet's and then says what is wrong in plain words.
 */
export function parseReference(input: string): ParseResult {
  if (GRAMMAR.identifier.test(input)) {
    return fail(`invalid repository name (${input}), cannot specify 64-byte hexadecimal strings`)
  }
  const split = splitDockerDomain(input)
  const tagColon = split.remainder.indexOf(':')
  const remote = tagColon === -1 ? split.remainder : split.remainder.slice(0, tagColon)
  if (remote.toLowerCase() !== remote) {
    const secret = describeEmbeddedSecret(input)
    if (secret !== null) return fail(`invalid reference format: ${secret}`)
    const at = remote.indexOf('@')
    if (at !== -1 && remote.slice(0, at).toLowerCase() === remote.slice(0, at)) {
      return fail(`invalid reference format: the digest algorithm "${remote.slice(at + 1)}" must be lowercase`)
    }
    // distribution cuts the remote at the first ':', so a digest's algorithm can trail it; not shown.
    const repository = at === -1 ? remote : remote.slice(0, at)
    return fail(`invalid reference format: repository name (${repository}) must be lowercase`)
  }

  const combined = `${split.domain}/${split.remainder}`
  const raw = parseRawReference(combined)
  if (!raw.ok) return fail(describeFailure(raw.failure, input))

  const { path, tag, digest } = raw.reference
  // When the grammar cannot read the domain as a host (`foo_bar.com/app`), distribution keeps the
  // whole string as the path; the runtime still contacts the first component, so that is the registry.
  const repository = raw.reference.domain === '' ? path.slice(split.domain.length + 1) : path
  const implied: ImpliedPart[] = []
  if (split.impliedDomain) implied.push('registry')
  if (split.impliedLibrary) implied.push('library')
  if (tag === null && digest === null) implied.push('tag')
  const name = `${split.domain}/${repository}`
  const canonical = digest !== null ? `${name}@${digest}` : `${name}:${tag ?? DEFAULT_TAG}`
  return { ok: true, reference: { input, registry: split.domain, repository, tag, digest, canonical, implied } }
}

function describeFailure(failure: RawParseFailure, input: string): string {
  switch (failure.kind) {
    case 'digest':
      return `invalid digest: ${failure.problem.message}`
    case 'name-too-long':
      return `repository name must not exceed ${MAX_PATH_LENGTH} characters (this one has ${failure.length})`
    case 'name-contains-uppercase': {
      // Only a first component that is not a valid host gets here: it is then read as a path.
      const reason = explainInvalidFormat(input)
      return `invalid reference format: repository name must be lowercase${reason === null ? '' : `; ${reason}`}`
    }
    case 'name-empty':
    case 'invalid-format': {
      const reason = explainInvalidFormat(input)
      return reason === null ? 'invalid reference format' : `invalid reference format: ${reason}`
    }
  }
}

function fail(error: string): ParseResult {
  return { ok: false, error }
}

/** `registry/repository`: the name the kubelet's keyring looks credentials up by. */
export function referenceName(reference: ImageReference): string {
  return `${reference.registry}/${reference.repository}`
}

/** True when the image is pulled from Docker Hub. */
export function isDockerHub(reference: ImageReference): boolean {
  return reference.registry === DOCKER_HUB_DOMAIN
}

/**
 * The short name people write (distribution's familiar form): `nginx`, `myorg/web`, `ghcr.io/o/a`.
 * `docker.io/` is dropped, and `library/` too for single-segment official images.
 */
export function familiarName(reference: ImageReference): string {
  if (!isDockerHub(reference)) return referenceName(reference)
  const official = reference.repository.startsWith(OFFICIAL_REPOSITORY_PREFIX)
    ? reference.repository.slice(OFFICIAL_REPOSITORY_PREFIX.length)
    : null
  return official !== null && !official.includes('/') ? official : reference.repository
}

/** The familiar name with the tag and digest as written: `nginx:1.27`, `myorg/web@sha256:…`. */
export function familiarString(reference: ImageReference): string {
  const tag = reference.tag === null ? '' : `:${reference.tag}`
  const digest = reference.digest === null ? '' : `@${reference.digest}`
  return `${familiarName(reference)}${tag}${digest}`
}

/** What the user did not write, in words: `registry docker.io`, `library/`, `:latest`. */
export function describeImplied(reference: ImageReference): string[] {
  return reference.implied.map((part) => {
    switch (part) {
      case 'registry':
        return `registry ${reference.registry}`
      case 'library':
        return OFFICIAL_REPOSITORY_PREFIX
      case 'tag':
        return `:${DEFAULT_TAG}`
    }
  })
}
