// Content digests: computed over the exact bytes received (never re-serialised JSON), and checked
// against the digest a manifest or blob was fetched by.
import { createHash } from 'node:crypto'

const HASHES: Record<string, { hash: string; length: number }> = {
  sha256: { hash: 'sha256', length: 64 },
  sha384: { hash: 'sha384', length: 96 },
  sha512: { hash: 'sha512', length: 128 }
}

/** `sha256:<hex>` of the bytes. */
export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

/** True for a registered digest (`sha256:` + 64 lowercase hex, likewise sha384/sha512). */
export function isSupportedDigest(text: string): boolean {
  const [algorithm, encoded] = text.split(':', 2)
  const spec = HASHES[algorithm ?? '']
  return spec !== undefined && encoded !== undefined && encoded.length === spec.length && /^[a-f0-9]+$/.test(encoded)
}

/** True when `bytes` hash to `digest`; false for a mismatch or an algorithm that cannot be checked. */
export function matchesDigest(bytes: Buffer, digest: string): boolean {
  if (!isSupportedDigest(digest)) return false
  const [algorithm, encoded] = digest.split(':', 2) as [string, string]
  return createHash(HASHES[algorithm]!.hash).update(bytes).digest('hex') === encoded
}
