// Credentials written into image strings: found (userinfo, query tokens) without mistaking a
// `name:tag@digest` for one, masked so that no report repeats them, and worded by the parser only
// where the detector finds one.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { findEmbeddedCredential, redactImage } from '../../src/reference/embedded-credentials.js'
import { parseReference } from '../../src/reference/parse.js'

const DIGEST = 'sha256:' + 'a'.repeat(64)

describe('findEmbeddedCredential', () => {
  it.each([
    ['user:hunter2@registry.example.com/team/app:1.0', 'userinfo'],
    ['https://user:hunter2@registry.example.com/team/app', 'userinfo'],
    ['ghp_abcdef@ghcr.io/acme/app:1', 'userinfo'],
    ['user:hunter2@registry.example.com', 'userinfo'],
    ['registry.example.com/team/app:1.0?token=abc123', 'query'],
    ['registry.example.com/team/app?x=1&access_token=abc', 'query']
  ])('finds the credential in %s', (image, kind) => {
    expect(findEmbeddedCredential(image)).toBe(kind)
  })

  it.each([
    'nginx',
    'nginx:1.27',
    `nginx:1.27@${DIGEST}`,
    `nginx@${DIGEST}`,
    `registry.example.com:5000/team/app:1.0@${DIGEST}`,
    'localhost:5000/app',
    '[::1]:5000/app:1'
  ])('finds none in %s', (image) => {
    expect(findEmbeddedCredential(image)).toBeNull()
  })
})

describe('redactImage', () => {
  it('masks the user information and keeps the rest', () => {
    expect(redactImage('user:hunter2@registry.example.com/team/app:1.0')).toBe('***@registry.example.com/team/app:1.0')
    expect(redactImage('https://user:hunter2@registry.example.com/app')).toBe('https://***@registry.example.com/app')
  })

  it('masks token values in a query string', () => {
    expect(redactImage('registry.example.com/app:1?token=abc123&x=1')).toBe('registry.example.com/app:1?token=***&x=1')
  })

  it('leaves images without credentials untouched', () => {
    expect(redactImage(`nginx:1.27@${DIGEST}`)).toBe(`nginx:1.27@${DIGEST}`)
  })
})

describe('what is not a credential', () => {
  it.each([`app:1.0@sha256:abc`, 'nginx@sha256:…', 'app:v1@sha512:' + 'b'.repeat(128)])('%s', (image) => {
    expect(findEmbeddedCredential(image)).toBeNull()
    expect(redactImage(image)).toBe(image)
  })
})

describe("the parser's wording and the detector agree", () => {
  const USERINFO_WORDS = 'a user name and password ("user:password@") are not allowed'
  const errorOf = (input: string): string => {
    const result = parseReference(input)
    if (result.ok) throw new Error(`${input} parsed`)
    return result.error
  }

  it('names the user name and password for user information without a path, and never repeats the password', () => {
    const error = errorOf('user:hunter2@registry.example.com')
    expect(error).toBe(`invalid reference format: ${USERINFO_WORDS} in an image reference; give credentials through an imagePullSecret`)
    expect(error).not.toContain('hunter2')
  })

  it('does not claim a password where there is none', () => {
    expect(findEmbeddedCredential('@ghcr.io/org/app')).toBeNull()
    expect(errorOf('@ghcr.io/org/app')).toBe('invalid reference format: the repository name is missing before "@"')
  })

  it('refuses any query string in the same words, a credential or not', () => {
    expect(findEmbeddedCredential('ghcr.io/org/app?x=1')).toBeNull()
    expect(errorOf('ghcr.io/org/app?x=1')).toBe('invalid reference format: query strings such as "?token=…" are not allowed in an image reference')
  })

  it('holds for any string: the wording claims a credential only when the detector finds one, and a string with one never parses', () => {
    const piece = fc.constantFrom('app', 'u', 'pw', 'ghcr.io', 'Org', ':', '@', '/', '?', '&', 'token=', 'x=', '1', 'https://', 'sha256:', 'a'.repeat(64))
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 9 }).map((parts) => parts.join('')), (input) => {
        const found = findEmbeddedCredential(input)
        const result = parseReference(input)
        if (found !== null) expect(result.ok).toBe(false)
        if (!result.ok && result.error.includes(USERINFO_WORDS)) expect(found).toBe('userinfo')
      }),
      { numRuns: 3000 }
    )
  })
})
