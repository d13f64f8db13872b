// Digest validation as go-digest does it for the kubelet: a registered algorithm (sha256, sha384,
// sha512, all linked into the kubelet) with exactly the right number of lowercase hex characters.
// Anything else is rejected, and this module says why in plain words. Pure; no I/O.

/** Hex length of each digest algorithm the kubelet accepts. */
export const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = {
  sha256: 64,
  sha384: 96,
  sha512: 128
}

/** Why go-digest rejects a digest that the reference grammar let through. */
export type DigestProblem =
  | { kind: 'invalid-format'; message: string }
  | { kind: 'invalid-length'; message: string }
  | { kind: 'unsupported'; message: string }

// go-digest's DigestRegexp: what any digest must look like before its algorithm is known.
const ANY_DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/
const LOWER_HEX = /^[a-f0-9]+$/

/** Checks `algorithm:hex` the way go-digest's `Digest.Validate` does; null when the kubelet accepts it. */
export function checkDigest(digest: string): DigestProblem | null {
  const colon = digest.indexOf(':')
  if (colon <= 0 || colon === digest.length - 1) {
    return { kind: 'invalid-format', message: `"${digest}" is not algorithm:hex, such as sha256:<64 hex characters>` }
  }
  const algorithm = digest.slice(0, colon)
  const encoded = digest.slice(colon + 1)
  const expectedLength = Object.hasOwn(DIGEST_HEX_LENGTH, algorithm) ? DIGEST_HEX_LENGTH[algorithm] : undefined
  if (expectedLength === undefined) {
    if (!ANY_DIGEST.test(digest)) {
      const lower = algorithm.toLowerCase()
      if (lower !== algorithm && Object.hasOwn(DIGEST_HEX_LENGTH, lower)) {
        return { kind: 'invalid-format', message: `the algorithm "${algorithm}" must be written in lowercase ("${lower}")` }
      }
      return { kind: 'invalid-format', message: `"${algorithm}:…" is not a well-formed digest` }
    }
    return {
      kind: 'unsupported',
      message: `unsupported digest algorithm "${algorithm}" (the kubelet accepts sha256, sha384 and sha512)`
    }
  }
  if (encoded.length !== expectedLength) {
    return {
      kind: 'invalid-length',
      message: `a ${algorithm} digest has exactly ${expectedLength} hex characters, this one has ${encoded.length}`
    }
  }
  if (!LOWER_HEX.test(encoded)) {
    return { kind: 'invalid-format', message: `the hex part of a ${algorithm} digest must be lowercase` }
  }
  return null
}
