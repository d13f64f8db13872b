// Credentials written into an image string (`user:password@host/app`, `…?token=…`): the one place
// that decides whether an image string carries one — for the parser's wording, the
// credentials-in-reference rule and every report — and the masking that keeps reports, messages and
// logs from repeating what the manifest leaked. Pure string work; no I/O.

/** What kind of credential an image string carries, or null when it carries none. */
export type EmbeddedCredential = 'userinfo' | 'query'

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i
// What follows `@` in `name:tag@sha256:…` is a digest (algorithm ":" encoded), even a malformed one,
// not a host: that reference is invalid, but it holds no password.
const DIGEST_AFTER_AT = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-z0-9=_-]*$/i
const SECRET_QUERY = /[?&;](?:token|access_token|auth|password|passwd|pwd|secret|key|sig|signature)=([^&;#\s]*)/i
const SECRET_QUERY_ALL = new RegExp(SECRET_QUERY.source, 'gi')

/** Where `user[:password]@` sits before the registry host (`start`…`end`, the `@` excluded), or null. */
interface Userinfo {
  start: number
  end: number
  text: string
  /** True when a `/` follows the host, so the `@` cannot belong to a `name:tag@digest`. */
  beforePath: boolean
}

function userinfoOf(image: string): Userinfo | null {
  const start = SCHEME.exec(image)?.[0].length ?? 0
  const rest = image.slice(start)
  const slash = rest.indexOf('/')
  const host = slash === -1 ? rest : rest.slice(0, slash)
  const at = host.lastIndexOf('@')
  if (at <= 0) return null
  // Without a slash, `app:1@sha256:…` is a tag and a digest; with one, `user:pass@host/app` is userinfo.
  if (slash === -1 && DIGEST_AFTER_AT.test(host.slice(at + 1))) return null
  return { start, end: start + at, text: host.slice(0, at), beforePath: slash !== -1 }
}

/** Finds credentials embedded in an image string: user information before the host, or a secret query parameter. */
export function findEmbeddedCredential(image: string): EmbeddedCredential | null {
  if (SECRET_QUERY.test(image)) return 'query'
  const userinfo = userinfoOf(image)
  return userinfo !== null && (userinfo.beforePath || userinfo.text.includes(':')) ? 'userinfo' : null
}

/** The image string with any embedded credential replaced by `***`; unchanged when it has none. */
export function redactImage(image: string): string {
  if (findEmbeddedCredential(image) === null) return image
  const masked = image.replace(SECRET_QUERY_ALL, (match, value: string) => (value === '' ? match : match.slice(0, match.length - value.length) + '***'))
  // Once a credential is found, any user information goes too, even a lone token without a colon.
  const userinfo = userinfoOf(masked)
  return userinfo === null ? masked : `${masked.slice(0, userinfo.start)}***${masked.slice(userinfo.end)}`
}
