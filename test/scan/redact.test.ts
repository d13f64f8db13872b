// Credentials written into image strings: found (userinfo, query tokens) without mistaking a
// `name:tag@digest` for one, and masked so that no report repeats them.
import { describe, expect, it } from 'vitest'
import { findEmbeddedCredential, redactImage } from '../../src/scan/redact.js'

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
