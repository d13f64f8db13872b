// Every case of the distribution/reference vectors in fixtures/reference-vectors.json, table-driven.
// What is asserted depends on the upstream function a case exercises (`api`):
// - Parse (the raw grammar, no Docker Hub defaults): parseRawReference must split exactly as upstream
//   (domain, path, tag, digest) or fail with the same error; parseReference, the kubelet's
//   normalised parse, must reach the same verdict. Normalisation changes the split of some of these
//   (`test.com:tag` → docker.io/library/test.com:tag); parse.test.ts states those results.
// - ParseNormalizedNamed: the verdict, the normalised domain/path (our registry/repository), the name,
//   and the full normalised string with tag and digest kept.
// - ParseDockerRef: our `canonical` (what the kubelet pulls).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { familiarString, parseRawReference, parseReference, referenceName, type RawParseFailure } from '../../src/reference/index.js'
import type { ImageReference } from '../../src/model.js'
import { repoRoot } from '../support/node-binaries.js'

interface VectorCase {
  api: 'Parse' | 'ParseNormalizedNamed' | 'ParseDockerRef'
  input: string
  valid: boolean
  domain?: string
  path?: string
  tag?: string
  digest?: string
  normalized?: string
  name?: string
  err?: string
  note?: string
}

const vectors = JSON.parse(readFileSync(path.join(repoRoot, 'fixtures', 'reference-vectors.json'), 'utf8')) as {
  about: string
  cases: VectorCase[]
}

/**
 * Where the kubelet and the upstream test binary disagree, the kubelet wins. The upstream test
 * binary does not link crypto/sha512, so go-digest reports sha512 as unsupported there; the kubelet
 * links it (TLS needs it), so a well-formed sha512 digest is accepted by every kubelet.
 */
const SHA512_DIGEST = `sha512:${'f'.repeat(128)}`
const KUBELET_DIFFERENCES = new Map<string, { reason: string; domain: string; path: string; tag?: string; digest?: string }>([
  [`validname@${SHA512_DIGEST}`, { reason: 'sha512 is registered in the kubelet', domain: '', path: 'validname', digest: SHA512_DIGEST }]
])

/** Upstream error names → the failure kinds of parseRawReference. */
function expectedFailure(err: string | undefined): RawParseFailure['kind'] | `digest:${string}` {
  switch (err) {
    case 'ErrNameEmpty':
      return 'name-empty'
    case 'ErrReferenceInvalidFormat':
      return 'invalid-format'
    case 'ErrNameContainsUppercase':
      return 'name-contains-uppercase'
    case 'ErrNameTooLong':
      return 'name-too-long'
    case 'digest.ErrDigestInvalidLength':
      return 'digest:invalid-length'
    case 'digest.ErrDigestUnsupported':
      return 'digest:unsupported'
    case 'digest.ErrDigestInvalidFormat':
      return 'digest:invalid-format'
    default:
      throw new Error(`vector error ${String(err)} has no mapping`)
  }
}

/** The normalised reference as upstream's String() prints it: tag and digest both kept. */
function normalizedString(reference: ImageReference): string {
  return `${referenceName(reference)}${reference.tag === null ? '' : `:${reference.tag}`}${reference.digest === null ? '' : `@${reference.digest}`}`
}

function label(vector: VectorCase): string {
  const input = vector.input.length > 60 ? `${vector.input.slice(0, 57)}…(${vector.input.length})` : vector.input
  return `${vector.api} ${JSON.stringify(input)} → ${vector.valid ? 'valid' : 'invalid'}`
}

describe('distribution/reference vectors', () => {
  it('holds the shared file, with all three APIs', () => {
    expect(vectors.cases.length).toBe(115)
    expect(new Set(vectors.cases.map((c) => c.api))).toEqual(new Set(['Parse', 'ParseNormalizedNamed', 'ParseDockerRef']))
    for (const input of KUBELET_DIFFERENCES.keys()) expect(vectors.cases.some((c) => c.input === input)).toBe(true)
  })

  describe.each(vectors.cases.filter((c) => c.api === 'Parse').map((c) => [label(c), c] as const))('%s', (_, upstream) => {
    const difference = KUBELET_DIFFERENCES.get(upstream.input)
    const vector: VectorCase =
      difference === undefined
        ? upstream
        : { ...upstream, ...difference, valid: !upstream.valid, name: difference.path, normalized: upstream.input }
    const valid = vector.valid

    it('splits like the raw grammar', () => {
      const raw = parseRawReference(vector.input)
      if (!valid) {
        expect(raw.ok).toBe(false)
        if (raw.ok) return
        const kind = raw.failure.kind === 'digest' ? `digest:${raw.failure.problem.kind}` : raw.failure.kind
        expect(kind).toBe(expectedFailure(vector.err))
        return
      }
      expect(raw).toEqual({
        ok: true,
        reference: { domain: vector.domain, path: vector.path, tag: vector.tag ?? null, digest: vector.digest ?? null }
      })
      const written = `${vector.domain === '' ? '' : `${vector.domain}/`}${vector.path}`
      expect(written).toBe(vector.name)
      expect(`${written}${vector.tag === undefined ? '' : `:${vector.tag}`}${vector.digest === undefined ? '' : `@${vector.digest}`}`).toBe(
        vector.normalized
      )
    })

    it('reaches the same verdict when normalised for the kubelet', () => {
      const result = parseReference(vector.input)
      expect(result.ok).toBe(valid)
      if (result.ok) {
        expect(result.reference.tag).toBe(vector.tag ?? null)
        expect(result.reference.digest).toBe(vector.digest ?? null)
      } else {
        expect(result.error).toMatch(/^(invalid reference format|invalid digest|repository name must not exceed 255 characters)/)
      }
    })
  })

  describe.each(vectors.cases.filter((c) => c.api === 'ParseNormalizedNamed').map((c) => [label(c), c] as const))('%s', (_, vector) => {
    it('normalises like the kubelet', () => {
      const result = parseReference(vector.input)
      expect(result.ok).toBe(vector.valid)
      if (!result.ok) {
        expect(result.error).toMatch(/^(invalid reference format|invalid repository name|invalid digest)/)
        return
      }
      const reference = result.reference
      if (vector.domain !== undefined) expect(reference.registry).toBe(vector.domain)
      if (vector.path !== undefined) expect(reference.repository).toBe(vector.path)
      if (vector.name !== undefined) expect(referenceName(reference)).toBe(vector.name)
      if (vector.normalized !== undefined) expect(normalizedString(reference)).toBe(vector.normalized)
      if (vector.note?.includes('FamiliarString')) expect(familiarString(reference)).toBe(vector.input)
      // The familiar form parses back to the same reference.
      const again = parseReference(familiarString(reference))
      expect(again.ok && again.reference.canonical).toBe(reference.canonical)
    })
  })

  describe.each(vectors.cases.filter((c) => c.api === 'ParseDockerRef').map((c) => [label(c), c] as const))('%s', (_, vector) => {
    it('gives the reference the kubelet pulls', () => {
      const result = parseReference(vector.input)
      expect(result.ok).toBe(vector.valid)
      if (result.ok) expect(result.reference.canonical).toBe(vector.normalized)
    })
  })
})
