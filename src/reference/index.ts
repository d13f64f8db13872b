// Image reference resolution, the kubelet's way: the public face of src/reference/. Everything
// here is pure (no I/O); the grammar, the normalisation and the wording live in their own files.
export { parseReference, familiarName, familiarString, isDockerHub, referenceName, describeImplied, DOCKER_HUB_DOMAIN } from './parse.js'
export type { ParseResult } from './parse.js'
export { parseRawReference, MAX_PATH_LENGTH, MAX_TAG_LENGTH } from './grammar.js'
export type { RawReference, RawParseResult, RawParseFailure } from './grammar.js'
export { checkDigest, DIGEST_HEX_LENGTH } from './digest.js'
export type { DigestProblem } from './digest.js'
export { findEmbeddedCredential, redactImage, type EmbeddedCredential } from './embedded-credentials.js'
