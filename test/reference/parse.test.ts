// Reference cases beyond the shared vectors: IPv6, ports, localhost, Docker Hub aliases, tag and
// digest together, digest algorithms, length limits, whitespace, credentials, and the exact
// wording of every kind of rejection. Plus properties over generated references.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ImageReference } from '../../src/model.js'
import { describeImplied, familiarName, familiarString, isDockerHub, parseReference } from '../../src/reference/index.js'

const SHA256 = `sha256:${'0123456789abcdef'.repeat(4)}`
const SHA384 = `sha384:${'a'.repeat(96)}`
const SHA512 = `sha512:${'b'.repeat(128)}`

function parsed(input: string): ImageReference {
  const result = parseReference(input)
  if (!result.ok) throw new Error(`${input} should parse, got: ${result.error}`)
  return result.reference
}

function error(input: string): string {
  const result = parseReference(input)
  if (result.ok) throw new Error(`${input} should be rejected, got ${result.reference.canonical}`)
  return result.error
}

describe('parseReference: valid references', () => {
  // [input, registry, repository, tag, digest, canonical, implied]
  // prettier-ignore
  const cases: Array<[string, string, string, string | null, string | null, string, string[]]> = [
    ['nginx', 'docker.io', 'library/nginx', null, null, 'docker.io/library/nginx:latest', ['registry', 'library', 'tag']],
    ['nginx:1.27', 'docker.io', 'library/nginx', '1.27', null, 'docker.io/library/nginx:1.27', ['registry', 'library']],
    ['myorg/web', 'docker.io', 'myorg/web', null, null, 'docker.io/myorg/web:latest', ['registry', 'tag']],
    ['docker.io/nginx', 'docker.io', 'library/nginx', null, null, 'docker.io/library/nginx:latest', ['library', 'tag']],
    ['docker.io/library/nginx:latest', 'docker.io', 'library/nginx', 'latest', null, 'docker.io/library/nginx:latest', []],
    ['index.docker.io/x', 'docker.io', 'library/x', null, null, 'docker.io/library/x:latest', ['library', 'tag']],
    ['index.docker.io/org/x:2', 'docker.io', 'org/x', '2', null, 'docker.io/org/x:2', []],
    ['registry-1.docker.io/library/nginx', 'registry-1.docker.io', 'library/nginx', null, null, 'registry-1.docker.io/library/nginx:latest', ['tag']],
    ['ghcr.io/org/app:v1.2.3', 'ghcr.io', 'org/app', 'v1.2.3', null, 'ghcr.io/org/app:v1.2.3', []],
    ['GHCR.IO/org/app', 'GHCR.IO', 'org/app', null, null, 'GHCR.IO/org/app:latest', ['tag']],
    ['localhost/app', 'localhost', 'app', null, null, 'localhost/app:latest', ['tag']],
    ['localhost:5000/team/app:dev', 'localhost:5000', 'team/app', 'dev', null, 'localhost:5000/team/app:dev', []],
    ['localhost', 'docker.io', 'library/localhost', null, null, 'docker.io/library/localhost:latest', ['registry', 'library', 'tag']],
    ['localhost:5000', 'docker.io', 'library/localhost', '5000', null, 'docker.io/library/localhost:5000', ['registry', 'library']],
    ['example.com:8443/app', 'example.com:8443', 'app', null, null, 'example.com:8443/app:latest', ['tag']],
    ['10.0.0.5:5000/app', '10.0.0.5:5000', 'app', null, null, '10.0.0.5:5000/app:latest', ['tag']],
    ['[::1]:5000/repo', '[::1]:5000', 'repo', null, null, '[::1]:5000/repo:latest', ['tag']],
    ['[2001:db8::1]/repo:tag', '[2001:db8::1]', 'repo', 'tag', null, '[2001:db8::1]/repo:tag', []],
    [`[::1]:5000/repo@${SHA256}`, '[::1]:5000', 'repo', null, SHA256, `[::1]:5000/repo@${SHA256}`, []],
    ['registry:5000/app', 'registry:5000', 'app', null, null, 'registry:5000/app:latest', ['tag']],
    [`nginx@${SHA256}`, 'docker.io', 'library/nginx', null, SHA256, `docker.io/library/nginx@${SHA256}`, ['registry', 'library']],
    [`nginx:1.27@${SHA256}`, 'docker.io', 'library/nginx', '1.27', SHA256, `docker.io/library/nginx@${SHA256}`, ['registry', 'library']],
    [`ghcr.io/org/app:v1@${SHA384}`, 'ghcr.io', 'org/app', 'v1', SHA384, `ghcr.io/org/app@${SHA384}`, []],
    [`ghcr.io/org/app@${SHA512}`, 'ghcr.io', 'org/app', null, SHA512, `ghcr.io/org/app@${SHA512}`, []],
    ['a/b/c/d/e', 'docker.io', 'a/b/c/d/e', null, null, 'docker.io/a/b/c/d/e:latest', ['registry', 'tag']],
    ['my--app/x__y/a.b_c-d', 'docker.io', 'my--app/x__y/a.b_c-d', null, null, 'docker.io/my--app/x__y/a.b_c-d:latest', ['registry', 'tag']],
    ['app:V1_Final.2-rc', 'docker.io', 'library/app', 'V1_Final.2-rc', null, 'docker.io/library/app:V1_Final.2-rc', ['registry', 'library']],
    // The Parse vectors, normalised as the kubelet would.
    ['test.com:tag', 'docker.io', 'library/test.com', 'tag', null, 'docker.io/library/test.com:tag', ['registry', 'library']],
    ['192.168.1.1:5000', 'docker.io', 'library/192.168.1.1', '5000', null, 'docker.io/library/192.168.1.1:5000', ['registry', 'library']],
    ['Foo/bar', 'Foo', 'bar', null, null, 'Foo/bar:latest', ['tag']],
    // A 64-hex tag is fine; only a bare 64-hex name is refused.
    [`sha256:${'f'.repeat(64)}`, 'docker.io', 'library/sha256', 'f'.repeat(64), null, `docker.io/library/sha256:${'f'.repeat(64)}`, ['registry', 'library']],
    // distribution reads a first component that is not a valid host as part of the path; the runtime still contacts it.
    ['foo_bar.com/app', 'foo_bar.com', 'app', null, null, 'foo_bar.com/app:latest', ['tag']]
  ]

  it.each(cases)('%s', (input, registry, repository, tag, digest, canonical, implied) => {
    expect(parsed(input)).toEqual({ input, registry, repository, tag, digest, canonical, implied })
  })

  it('accepts a repository path of exactly 255 characters, with any domain length (distribution v0.6.0)', () => {
    const path = `${'a'.repeat(127)}/${'b'.repeat(127)}`
    expect(path.length).toBe(255)
    expect(parsed(`example.com/${path}`).repository).toBe(path)
    expect(parsed(`${'r'.repeat(60)}.example.com/${path}`).repository).toBe(path)
  })

  it('counts the implied docker.io/ prefix out of the 255, but an implied library/ in', () => {
    expect(parsed(`org/${'a'.repeat(251)}`).repository.length).toBe(255)
    expect(error(`org/${'a'.repeat(252)}`)).toBe('repository name must not exceed 255 characters (this one has 256)')
    expect(parsed('a'.repeat(247)).repository.length).toBe(255)
    expect(error('a'.repeat(248))).toBe('repository name must not exceed 255 characters (this one has 256)')
  })

  it('accepts a tag of exactly 128 characters', () => {
    expect(parsed(`app:${'t'.repeat(128)}`).tag).toHaveLength(128)
  })
})

describe('parseReference: rejections, in words', () => {
  // prettier-ignore
  const cases: Array<[string, string]> = [
    ['', 'invalid reference format: the image name is empty'],
    ['   ', 'invalid reference format: the image name is only whitespace'],
    [' nginx', 'invalid reference format: the image name has leading or trailing whitespace'],
    ['nginx\n', 'invalid reference format: the image name has leading or trailing whitespace'],
    ['ngi nx', 'invalid reference format: the image name contains whitespace'],
    [':tag', 'invalid reference format: the repository name is missing before ":"'],
    [`@${SHA256}`, 'invalid reference format: the repository name is missing before "@"'],
    ['https://ghcr.io/org/app', 'invalid reference format: registry prefix such as "https://" is not allowed'],
    ['http://registry.local/app', 'invalid reference format: registry prefix such as "http://" is not allowed'],
    ['docker://nginx', 'invalid reference format: registry prefix such as "docker://" is not allowed'],
    ['Foo', 'invalid reference format: repository name (library/Foo) must be lowercase'],
    ['docker/Docker', 'invalid reference format: repository name (docker/Docker) must be lowercase'],
    ['ghcr.io/Org/app:v1', 'invalid reference format: repository name (Org/app) must be lowercase'],
    [`App@${SHA256}`, 'invalid reference format: repository name (library/App) must be lowercase'],
    [`app@SHA256:${'f'.repeat(64)}`, 'invalid reference format: the digest algorithm "SHA256" must be lowercase'],
    ['Foo_Bar/app', 'invalid reference format: repository name must be lowercase; "Foo_Bar" is not a valid registry host: use letters, digits, "-" and "." (with an optional :port)'],
    ['1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
      'invalid repository name (1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a), cannot specify 64-byte hexadecimal strings'],
    ['nginx:', 'invalid reference format: the tag after ":" is empty'],
    ['nginx:-rc', 'invalid reference format: the tag "-rc" may contain only letters, digits, "_", "." and "-", and must not start with "." or "-"'],
    ['nginx:1.0+build', 'invalid reference format: the tag "1.0+build" may contain only letters, digits, "_", "." and "-", and must not start with "." or "-"'],
    [`app:${'t'.repeat(129)}`, 'invalid reference format: the tag is 129 characters long; at most 128 are allowed'],
    ['app@', 'invalid reference format: the digest after "@" is empty'],
    ['app@sha256', 'invalid reference format: the digest "sha256" must be algorithm:hex, such as sha256:<64 hex characters>'],
    ['app@sha256:abc', 'invalid reference format: the digest "sha256:abc" is too short: a sha256 digest has 64 hex characters'],
    [`app@sha256:${'g'.repeat(40)}`, `invalid reference format: the digest "sha256:${'g'.repeat(40)}" has characters that are not hexadecimal after the algorithm`],
    [`app@sha256:${'f'.repeat(100)}g`, `invalid reference format: the digest "sha256:${'f'.repeat(52)}…" has characters that are not hexadecimal after the algorithm`],
    [`app@sha256:${'f'.repeat(63)}`, 'invalid digest: a sha256 digest has exactly 64 hex characters, this one has 63'],
    [`app@sha256:${'f'.repeat(65)}`, 'invalid digest: a sha256 digest has exactly 64 hex characters, this one has 65'],
    [`app@sha512:${'f'.repeat(64)}`, 'invalid digest: a sha512 digest has exactly 128 hex characters, this one has 64'],
    [`app@sha256:${'F'.repeat(64)}`, 'invalid digest: the hex part of a sha256 digest must be lowercase'],
    [`app@md5:${'f'.repeat(32)}`, 'invalid digest: unsupported digest algorithm "md5" (the kubelet accepts sha256, sha384 and sha512)'],
    [`app@blake3:${'f'.repeat(64)}`, 'invalid digest: unsupported digest algorithm "blake3" (the kubelet accepts sha256, sha384 and sha512)'],
    [`app@sha3-256:${'f'.repeat(64)}`, 'invalid reference format: the digest algorithm "sha3-256" is not well-formed'],
    [`app:1@${SHA256}@${SHA256}`, 'invalid reference format: more than one "@" in the image name'],
    ['docker.io/docker///docker', 'invalid reference format: "docker.io/docker///docker" has an empty path component (a leading, trailing or doubled "/")'],
    ['ghcr.io/', 'invalid reference format: "ghcr.io/" has an empty path component (a leading, trailing or doubled "/")'],
    ['/app', 'invalid reference format: "/app" has an empty path component (a leading, trailing or doubled "/")'],
    ['dock..er/docker', 'invalid reference format: "dock..er" is not a valid registry host: use letters, digits, "-" and "." (with an optional :port)'],
    ['-docker/app', 'invalid reference format: the path component "-docker" is not valid: use lowercase letters and digits, separated by ".", "_", "__" or "-" (never at the start or end)'],
    ['org/app_', 'invalid reference format: the path component "app_" is not valid: use lowercase letters and digits, separated by ".", "_", "__" or "-" (never at the start or end)'],
    ['org/a___b', 'invalid reference format: the path component "a___b" is not valid: use lowercase letters and digits, separated by ".", "_", "__" or "-" (never at the start or end)'],
    ['ghcr.io:abc/app', 'invalid reference format: the port "abc" of the registry "ghcr.io:abc" must be a number'],
    ['::1/app', 'invalid reference format: the IPv6 registry address "::1" must be written in brackets, e.g. [::1]:5000'],
    ['[fe80::1%eth0]:5000/debian', 'invalid reference format: IPv6 zone identifiers ("%…") are not allowed in the registry host "[fe80::1%eth0]:5000"'],
    ['[::1/app', 'invalid reference format: the IPv6 registry address "[::1" has no closing "]"'],
    ['[fc00::1]', 'invalid reference format: "[fc00::1]" is a registry host, not an image: add the repository after a "/"'],
    ['[2001:db8::1]:tag', 'invalid reference format: "[2001:db8::1]:tag" is a registry host, not an image: add the repository after a "/"'],
    ['ghcr.io/org/app#main', 'invalid reference format: a "#" fragment is not allowed in an image reference'],
    [`org/${'a'.repeat(300)}`, 'repository name must not exceed 255 characters (this one has 304)']
  ]

  it.each(cases)('%j', (input, message) => {
    expect(error(input)).toBe(message)
  })

  it('never repeats a credential written into the image', () => {
    const secrets = ['s3cr3t-pw', 'tok-42x']
    // prettier-ignore
    const inputs: Array<[string, string]> = [
      ['deploy:s3cr3t-pw@ghcr.io/org/app:1', 'invalid reference format: a user name and password ("user:password@") are not allowed in an image reference; give credentials through an imagePullSecret'],
      ['deploy:S3CR3T-PW@ghcr.io/Org/app', 'invalid reference format: a user name and password ("user:password@") are not allowed in an image reference; give credentials through an imagePullSecret'],
      ['https://deploy:s3cr3t-pw@ghcr.io/org/app', 'invalid reference format: registry prefix such as "https://" is not allowed'],
      ['ghcr.io/org/app:1?token=tok-42x', 'invalid reference format: query strings such as "?token=…" are not allowed in an image reference'],
      ['ghcr.io/Org/app?token=tok-42x', 'invalid reference format: query strings such as "?token=…" are not allowed in an image reference']
    ]
    for (const [input, message] of inputs) {
      const text = error(input)
      expect(text).toBe(message)
      for (const secret of secrets) expect(text.toLowerCase()).not.toContain(secret.toLowerCase())
    }
  })
})

describe('familiar forms and helpers', () => {
  // prettier-ignore
  const cases: Array<[string, string, string, boolean]> = [
    ['nginx', 'nginx', 'nginx', true],
    ['docker.io/library/nginx:1.27', 'nginx', 'nginx:1.27', true],
    ['index.docker.io/myorg/web', 'myorg/web', 'myorg/web', true],
    ['docker.io/library/foo/bar', 'library/foo/bar', 'library/foo/bar', true],
    ['ghcr.io/o/a:1', 'ghcr.io/o/a', 'ghcr.io/o/a:1', false],
    ['localhost/app', 'localhost/app', 'localhost/app', false],
    [`busybox:latest@${SHA256}`, 'busybox', `busybox:latest@${SHA256}`, true]
  ]
  it.each(cases)('%s → %s', (input, name, string, hub) => {
    const reference = parsed(input)
    expect(familiarName(reference)).toBe(name)
    expect(familiarString(reference)).toBe(string)
    expect(isDockerHub(reference)).toBe(hub)
  })

  it('describes what was implied', () => {
    expect(describeImplied(parsed('nginx'))).toEqual(['registry docker.io', 'library/', ':latest'])
    expect(describeImplied(parsed('myorg/web'))).toEqual(['registry docker.io', ':latest'])
    expect(describeImplied(parsed(`ghcr.io/o/a@${SHA256}`))).toEqual([])
  })
})

describe('properties', () => {
  const component = fc.stringMatching(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/, { maxLength: 20 })
  const host = fc.oneof(
    fc.constantFrom('ghcr.io', 'localhost', 'registry.example.com', 'localhost:5000', '[::1]:5000', '10.1.2.3:443'),
    fc.stringMatching(/^[a-z0-9]{1,8}\.[a-z]{2,4}$/)
  )
  const tag = fc.stringMatching(/^\w[\w.-]{0,20}$/)
  const reference = fc.record({
    host: fc.option(host, { nil: undefined }),
    path: fc.array(component, { minLength: 1, maxLength: 4 }),
    tag: fc.option(tag, { nil: undefined }),
    digest: fc.option(fc.stringMatching(/^[a-f0-9]{64}$/), { nil: undefined })
  })

  it('parses every reference built from the grammar, and its canonical form parses to itself', () => {
    fc.assert(
      fc.property(reference, ({ host, path, tag, digest }) => {
        const input = `${host === undefined ? '' : `${host}/`}${path.join('/')}${tag === undefined ? '' : `:${tag}`}${digest === undefined ? '' : `@sha256:${digest}`}`
        const result = parseReference(input)
        if (!result.ok) throw new Error(`${input}: ${result.error}`)
        const again = parseReference(result.reference.canonical)
        expect(again.ok && again.reference.canonical).toBe(result.reference.canonical)
        expect(again.ok && again.reference.implied).toEqual([])
        const familiar = parseReference(familiarString(result.reference))
        expect(familiar.ok && familiar.reference.canonical).toBe(result.reference.canonical)
        if (digest !== undefined) expect(result.reference.canonical.endsWith(`@sha256:${digest}`)).toBe(true)
      }),
      { numRuns: 300 }
    )
  })

  it('never throws and always explains a rejection', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (input) => {
        const result = parseReference(input)
        if (!result.ok) expect(result.error).toMatch(/^(invalid reference format|invalid digest: |invalid repository name|repository name must not exceed)/)
      }),
      { numRuns: 500 }
    )
  })
})
