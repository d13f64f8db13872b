// Plain-words reasons for a reference the grammar rejected. The verdict is always the grammar's
// (grammar.ts, parse.ts); this module only finds which part of the string is wrong, so that the
// message can say more than the kubelet's bare "invalid reference format". It never repeats a
// credential written into the string.
import { findEmbeddedCredential, type EmbeddedCredential } from './embedded-credentials.js'
import { GRAMMAR, MAX_TAG_LENGTH } from './grammar.js'

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//
const LONGEST_QUOTE = 60

/** A part of the input, quoted, and shortened so that a pathological string does not flood a report. */
function quote(text: string): string {
  return JSON.stringify(text.length > LONGEST_QUOTE ? `${text.slice(0, LONGEST_QUOTE - 1)}…` : text)
}

const EMBEDDED_CREDENTIAL_REASONS: Record<EmbeddedCredential, string> = {
  userinfo: 'a user name and password ("user:password@") are not allowed in an image reference; give credentials through an imagePullSecret',
  query: 'query strings such as "?token=…" are not allowed in an image reference'
}

/**
 * Names a credential or query string written into an image string, without repeating it. Whether
 * it is a credential is decided by findEmbeddedCredential; any other query string is refused in
 * the same words, since the grammar allows none.
 */
export function describeEmbeddedSecret(input: string): string | null {
  const credential = findEmbeddedCredential(input) ?? (input.includes('?') ? 'query' : null)
  return credential === null ? null : EMBEDDED_CREDENTIAL_REASONS[credential]
}

/**
 * Why `input` does not match the reference grammar, in plain words, or null when no single
 * part can be blamed. Called only for inputs that the grammar rejected.
 */
export function explainInvalidFormat(input: string): string | null {
  if (input === '') return 'the image name is empty'
  if (input.trim() === '') return 'the image name is only whitespace'
  if (/^\s|\s$/.test(input)) return 'the image name has leading or trailing whitespace'
  if (/\s/.test(input)) return 'the image name contains whitespace'
  const scheme = SCHEME.exec(input)
  if (scheme !== null) return `registry prefix such as ${quote(`${scheme[1]}://`)} is not allowed`
  const secret = describeEmbeddedSecret(input)
  if (secret !== null) return secret
  if (input.includes('#')) return 'a "#" fragment is not allowed in an image reference'

  const at = input.indexOf('@')
  const nameAndTag = at === -1 ? input : input.slice(0, at)
  const digest = at === -1 ? null : input.slice(at + 1)
  const lastSlash = nameAndTag.lastIndexOf('/')
  if (lastSlash === -1 && nameAndTag.startsWith('[')) {
    return `${quote(nameAndTag)} is a registry host, not an image: add the repository after a "/"`
  }
  const tagColon = nameAndTag.indexOf(':', lastSlash + 1)
  // Only a colon after the last slash starts a tag; one before it belongs to a registry port.
  const name = tagColon === -1 ? nameAndTag : nameAndTag.slice(0, tagColon)
  const tag = tagColon === -1 ? null : nameAndTag.slice(tagColon + 1)

  if (name === '') {
    if (at === 0) return 'the repository name is missing before "@"'
    if (tagColon === 0) return 'the repository name is missing before ":"'
  }
  if (digest !== null) {
    const problem = explainDigestSyntax(digest)
    if (problem !== null) return problem
  }
  if (tag !== null) {
    const problem = explainTag(tag)
    if (problem !== null) return problem
  }
  return explainName(name)
}

function explainDigestSyntax(digest: string): string | null {
  if (GRAMMAR.digest.test(digest)) return null
  if (digest === '') return 'the digest after "@" is empty'
  if (digest.includes('@')) return 'more than one "@" in the image name'
  const colon = digest.indexOf(':')
  if (colon === -1) return `the digest ${quote(digest)} must be algorithm:hex, such as sha256:<64 hex characters>`
  const hex = digest.slice(colon + 1)
  if (!/^[0-9a-fA-F]*$/.test(hex)) return `the digest ${quote(digest)} has characters that are not hexadecimal after the algorithm`
  if (hex.length < 32) return `the digest ${quote(digest)} is too short: a sha256 digest has 64 hex characters`
  return `the digest algorithm ${quote(digest.slice(0, colon))} is not well-formed`
}

function explainTag(tag: string): string | null {
  if (tag === '') return 'the tag after ":" is empty'
  if (tag.length > MAX_TAG_LENGTH) return `the tag is ${tag.length} characters long; at most ${MAX_TAG_LENGTH} are allowed`
  if (GRAMMAR.tag.test(tag)) return null
  return `the tag ${quote(tag)} may contain only letters, digits, "_", "." and "-", and must not start with "." or "-"`
}

function explainName(name: string): string | null {
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) {
    return `${quote(name)} has an empty path component (a leading, trailing or doubled "/")`
  }
  const components = name.split('/')
  const first = components[0] ?? ''
  const hasDomain = components.length > 1 && (first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first)
  if (hasDomain) {
    const problem = explainDomain(first)
    if (problem !== null) return problem
  }
  for (const component of hasDomain ? components.slice(1) : components) {
    if (!GRAMMAR.pathComponent.test(component)) {
      return `the path component ${quote(component)} is not valid: use lowercase letters and digits, separated by ".", "_", "__" or "-" (never at the start or end)`
    }
  }
  return null
}

function explainDomain(domain: string): string | null {
  if (GRAMMAR.domainAndPort.test(domain)) return null
  if (domain.startsWith('[') && !domain.includes(']')) return `the IPv6 registry address ${quote(domain)} has no closing "]"`
  if (domain.startsWith('[') && domain.includes('%')) return `IPv6 zone identifiers ("%…") are not allowed in the registry host ${quote(domain)}`
  if (!domain.startsWith('[') && (domain.match(/:/g)?.length ?? 0) > 1) {
    return `the IPv6 registry address ${quote(domain)} must be written in brackets, e.g. [::1]:5000`
  }
  const port = /^(?:\[[^\]]*\]|[^:]*):(.*)$/.exec(domain)?.[1]
  if (port !== undefined && !/^[0-9]+$/.test(port)) return `the port ${quote(port)} of the registry ${quote(domain)} must be a number`
  return `${quote(domain)} is not a valid registry host: use letters, digits, "-" and "." (with an optional :port)`
}
