// Credentials written into an image string (`user:password@host/app`, `…?token=…`): finding them,
// and masking them so that no report, message or log repeats what the manifest leaked.

/** What kind of credential an image string carries, or null when it carries none. */
export type EmbeddedCredential = 'userinfo' | 'query'

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i
// What follows `@` in `name:tag@sha256:…` is a digest (algorithm ":" encoded), even a malformed one,
// not a host: that reference is invalid, but it holds no password.
const DIGEST_AFTER_AT = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-z0-9=_-]*$/i
const SECRET_QUERY = /[?&;](?:token|access_token|auth|password|passwd|pwd|secret|key|sig|signature)=([^&;#\s]*)/i

/** Finds credentials embedded in an image string. */
export function findEmbeddedCredential(image: string): EmbeddedCredential | null {
  if (SECRET_QUERY.test(image)) return 'query'
  const withoutScheme = image.replace(SCHEME, '')
  const slash = withoutScheme.indexOf('/')
  const host = slash === -1 ? withoutScheme : withoutScheme.slice(0, slash)
  const at = host.lastIndexOf('@')
  if (at <= 0) return null
  const afterAt = host.slice(at + 1)
  // Without a slash, `app:1@sha256:…` is a tag and a digest; with one, `user:pass@host/app` is userinfo.
  if (slash === -1 && DIGEST_AFTER_AT.test(afterAt)) return null
  return host.slice(0, at).includes(':') || slash !== -1 ? 'userinfo' : null
}

/** The image string with any embedded credential replaced by `***`; unchanged when it has none. */
export function redactImage(image: string): string {
  const kind = findEmbeddedCredential(image)
  if (kind === null) return image
  let redacted = image.replace(new RegExp(SECRET_QUERY.source, 'gi'), (match, value: string) =>
    value === '' ? match : match.slice(0, match.length - value.length) + '***'
  )
  const scheme = SCHEME.exec(redacted)?.[0] ?? ''
  const rest = redacted.slice(scheme.length)
  const slash = rest.indexOf('/')
  const host = slash === -1 ? rest : rest.slice(0, slash)
  const at = host.lastIndexOf('@')
  if (at > 0 && !(slash === -1 && DIGEST_AFTER_AT.test(host.slice(at + 1)))) {
    redacted = scheme + '***@' + host.slice(at + 1) + (slash === -1 ? '' : rest.slice(slash))
  }
  return redacted
}
