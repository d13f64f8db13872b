// The kubelet's pull-secret reading and keyring matching, as tables mirroring
// pkg/credentialprovider (secrets.go, config.go, keyring.go and their tests): which Secrets count,
// how entries decode, how keys normalise, and which keys match which images in which order.
import { describe, expect, it } from 'vitest'
import {
  lookupCredentials,
  matchCredentials,
  normalizeRegistryKey,
  parsePullSecret,
  type ParsedPullSecret,
  type PullCredential
} from '../../src/kube/keyring.js'
import type { ImageReference, SecretManifest } from '../../src/model.js'
import { parseReference } from '../../src/reference/index.js'

const CANARY_USER = 'canary-user-7f3a'
const CANARY_PASSWORD = 'canary-pass-9b1c'

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64')
}

function secret(data: Record<string, string | undefined>, overrides: Partial<SecretManifest> = {}): SecretManifest {
  return {
    file: 'deploy/secret.yaml',
    line: 1,
    column: 1,
    document: 0,
    kind: 'Secret',
    name: 'regcred',
    namespace: 'apps',
    type: 'kubernetes.io/dockerconfigjson',
    data,
    opaqueContents: false,
    ...overrides
  }
}

function dockerConfigJson(auths: unknown): SecretManifest {
  return secret({ '.dockerconfigjson': JSON.stringify({ auths }) })
}

function reference(image: string): ImageReference {
  const parsed = parseReference(image)
  if (!parsed.ok) throw new Error(`test image ${image} is invalid: ${parsed.error}`)
  return parsed.reference
}

function ok(parsed: ParsedPullSecret): Extract<ParsedPullSecret, { ok: true }> {
  if (!parsed.ok) throw new Error(`expected the secret to parse, got ${parsed.reason}: ${parsed.message}`)
  return parsed
}

/** Credentials for the given keys, in order, as parsePullSecret yields them (one secret per key, so order is kept). */
function credentialsFor(keys: string[]): PullCredential[] {
  return keys.flatMap((key, index) => {
    const parsed = ok(parsePullSecret(secret({ '.dockerconfigjson': JSON.stringify({ auths: { [key]: { auth: b64(`user${index}:pw${index}`) } } }) }, { name: `s${index}` })))
    return parsed.credentials
  })
}

function everyText(parsed: ParsedPullSecret): string {
  return parsed.ok ? [...parsed.hints, ...parsed.ignoredEntries.map((entry) => entry.reason)].join('\n') : [parsed.message, ...parsed.hints].join('\n')
}

describe('parsePullSecret: entries', () => {
  it('decodes a padded auth into user and password', () => {
    const parsed = ok(parsePullSecret(dockerConfigJson({ 'ghcr.io': { auth: b64('user:pw') } })))
    expect(b64('user:pw')).toBe('dXNlcjpwdw==')
    expect(parsed.credentials).toEqual([{ key: 'ghcr.io', normalizedKey: 'ghcr.io', username: 'user', password: 'pw', secret: 'regcred' }])
    expect(parsed.ignoredEntries).toEqual([])
    expect(parsed.hints).toEqual([])
  })

  it('decodes an unpadded auth (RawStdEncoding) the same way', () => {
    const parsed = ok(parsePullSecret(dockerConfigJson({ 'ghcr.io': { auth: 'dXNlcjpwdw' } })))
    expect(parsed.credentials.map((c) => [c.username, c.password])).toEqual([['user', 'pw']])
  })

  it('splits on the first colon only', () => {
    const parsed = ok(parsePullSecret(dockerConfigJson({ 'ghcr.io': { auth: b64('robot$ci:pa:ss:word') } })))
    expect(parsed.credentials.map((c) => [c.username, c.password])).toEqual([['robot$ci', 'pa:ss:word']])
  })

  it('lets auth win over username and password, and says they differ', () => {
    const parsed = ok(parsePullSecret(dockerConfigJson({ 'ghcr.io': { username: 'other', password: 'other-pw', auth: b64('user:pw') } })))
    expect(parsed.credentials.map((c) => [c.username, c.password])).toEqual([['user', 'pw']])
    expect(parsed.hints).toEqual(['the entry "ghcr.io" has both "auth" and "username"/"password", and they differ: the kubelet uses "auth"'])
  })

  it('uses username and password when there is no auth', () => {
    const parsed = ok(parsePullSecret(dockerConfigJson({ 'quay.io': { username: 'org+robot', password: 'tok', email: 'x@example.com' } })))
    expect(parsed.credentials.map((c) => [c.key, c.username, c.password])).toEqual([['quay.io', 'org+robot', 'tok']])
  })

  it('skips CR and LF inside base64, as Go does', () => {
    const parsed = ok(parsePullSecret(dockerConfigJson({ 'ghcr.io': { auth: 'dXNlcjpw\r\ndw==\n' } })))
    expect(parsed.credentials.map((c) => [c.username, c.password])).toEqual([['user', 'pw']])
  })

  it('matches field names case-insensitively, as Go encoding/json does', () => {
    const parsed = ok(parsePullSecret(secret({ '.dockerconfigjson': JSON.stringify({ AUTHS: { 'ghcr.io': { Auth: b64('user:pw') } } }) })))
    expect(parsed.credentials.map((c) => [c.username, c.password])).toEqual([['user', 'pw']])
  })

  it('hints at the `echo user:pass | base64` newline without repeating the credential', () => {
    const parsed = ok(parsePullSecret(dockerConfigJson({ 'ghcr.io': { auth: b64(`${CANARY_USER}:${CANARY_PASSWORD}\n`) } })))
    expect(parsed.credentials[0]?.password).toBe(`${CANARY_PASSWORD}\n`)
    expect(parsed.hints).toEqual([
      'the password in the decoded "auth" of the entry "ghcr.io" ends with a newline, as when it was encoded with `echo … | base64`; encode it with `printf %s … | base64` (or `echo -n`)'
    ])
  })

  it('hints at a newline at the end of a plain password field', () => {
    const parsed = ok(parsePullSecret(dockerConfigJson({ 'ghcr.io': { username: 'user', password: 'pw\n' } })))
    expect(parsed.hints).toHaveLength(1)
    expect(parsed.hints[0]).toContain('the password in the "username"/"password" fields of the entry "ghcr.io" ends with a newline')
  })

  it('ignores identitytoken and registrytoken, and says that such an entry authenticates nothing', () => {
    const parsed = ok(
      parsePullSecret(
        dockerConfigJson({
          'myregistry.azurecr.io': { identitytoken: 'eyJ…' },
          'ghcr.io': { auth: b64('user:pw'), registrytoken: 'ignored' }
        })
      )
    )
    expect(parsed.credentials.map((c) => c.key)).toEqual(['ghcr.io'])
    expect(parsed.ignoredEntries).toEqual([
      { key: 'myregistry.azurecr.io', reason: 'it has only identitytoken/registrytoken, which the kubelet ignores: it authenticates nothing' }
    ])
  })

  it('reads the legacy dockercfg format: a bare map under .dockercfg', () => {
    const parsed = ok(
      parsePullSecret(secret({ '.dockercfg': JSON.stringify({ 'https://index.docker.io/v1/': { auth: b64('hub:pw') } }) }, { type: 'kubernetes.io/dockercfg' }))
    )
    expect(parsed.credentials).toEqual([{ key: 'https://index.docker.io/v1/', normalizedKey: 'index.docker.io', username: 'hub', password: 'pw', secret: 'regcred' }])
  })

  it('accepts a dockerconfigjson without auths, with no credentials and a hint', () => {
    const parsed = ok(parsePullSecret(secret({ '.dockerconfigjson': JSON.stringify({ 'ghcr.io': { auth: b64('user:pw') } }) })))
    expect(parsed.credentials).toEqual([])
    expect(parsed.hints).toEqual([
      '.dockerconfigjson has no "auths" object: its entries are at the top level, as in the legacy .dockercfg format; wrap them in {"auths": {…}}'
    ])
  })

  it('says that credHelpers are not for the kubelet', () => {
    const parsed = ok(parsePullSecret(secret({ '.dockerconfigjson': JSON.stringify({ credHelpers: { 'ghcr.io': 'gh' } }) })))
    expect(parsed.hints).toEqual([
      '.dockerconfigjson has no "auths" object, so it holds no credentials',
      'credHelpers and credsStore are ignored by the kubelet: pull secrets must hold the credentials themselves'
    ])
  })

  it('ignores an entry whose key the kubelet cannot parse', () => {
    const parsed = ok(parsePullSecret(dockerConfigJson({ 'ghcr.io:https': { auth: b64('user:pw') }, 'quay.io': { auth: b64('user:pw') } })))
    expect(parsed.credentials.map((c) => c.key)).toEqual(['quay.io'])
    expect(parsed.ignoredEntries).toEqual([{ key: 'ghcr.io:https', reason: 'the kubelet cannot parse this key as a URL and ignores the entry' }])
  })

  it('gives nothing for a JSON null, as Go decodes it', () => {
    const parsed = ok(parsePullSecret(secret({ '.dockerconfigjson': 'null' })))
    expect(parsed.credentials).toEqual([])
    expect(parsed.hints).toEqual(['.dockerconfigjson has no registry entries, so it holds no credentials'])
  })
})

describe('parsePullSecret: why a secret gives the kubelet nothing', () => {
  // prettier-ignore
  const cases: Array<[string, SecretManifest, string, string, string]> = [
    ['an Opaque secret with a .dockerconfigjson key', secret({ '.dockerconfigjson': '{"auths":{}}' }, { type: 'Opaque' }), 'wrong-type', 'ignored-by-kubelet',
      'the Secret\'s type is "Opaque"; the kubelet only reads pull secrets of type kubernetes.io/dockerconfigjson (key .dockerconfigjson) or kubernetes.io/dockercfg (key .dockercfg) and ignores this one'],
    ['a dockerconfigjson secret without its key', secret({ '.dockercfg': '{}' }), 'missing-key', 'rejected-by-api-server',
      'a Secret of type kubernetes.io/dockerconfigjson must have the key .dockerconfigjson; its keys are ".dockercfg"'],
    ['a dockerconfigjson secret without data', secret({}), 'missing-key', 'rejected-by-api-server',
      'a Secret of type kubernetes.io/dockerconfigjson must have the key .dockerconfigjson; it has no data'],
    ['an empty .dockerconfigjson', secret({ '.dockerconfigjson': '' }), 'missing-key', 'rejected-by-api-server', 'the key .dockerconfigjson is empty'],
    ['data that is not base64', secret({ '.dockerconfigjson': undefined }), 'bad-base64', 'rejected-by-api-server', 'data..dockerconfigjson is not valid base64'],
    ['JSON with a syntax error', secret({ '.dockerconfigjson': `{"auths":{"ghcr.io":{"auth":"${CANARY_PASSWORD}"}}\n,}` }), 'bad-json', 'rejected-by-api-server',
      '.dockerconfigjson is not valid JSON (syntax error at line 2, column 2)'],
    ['a top-level array', secret({ '.dockerconfigjson': '[]' }), 'bad-json', 'rejected-by-api-server', '.dockerconfigjson must be a JSON object, not an array'],
    ['auths that is an array', secret({ '.dockerconfigjson': '{"auths":[]}' }), 'bad-json', 'breaks-pull',
      '"auths" must be a JSON object mapping registries to credentials, not an array'],
    ['an entry that is a string', dockerConfigJson({ 'ghcr.io': 'user:pw' }), 'bad-json', 'breaks-pull', 'the entry "ghcr.io" must be a JSON object, not a string'],
    ['a password that is a number', dockerConfigJson({ 'ghcr.io': { username: 'u', password: 1234 } }), 'bad-json', 'breaks-pull',
      '"password" of the entry "ghcr.io" must be a string, not a number'],
    ['an auth that is not base64', dockerConfigJson({ 'ghcr.io': { auth: `${CANARY_USER}:${CANARY_PASSWORD}` } }), 'bad-auth', 'breaks-pull',
      'the "auth" of the entry "ghcr.io" is not valid base64; unable to parse auth field, must be formatted as base64(username:password)'],
    ['an auth with a broken padding', dockerConfigJson({ 'ghcr.io': { auth: 'dXNlcjpwdw=' } }), 'bad-auth', 'breaks-pull',
      'the "auth" of the entry "ghcr.io" is not valid base64; unable to parse auth field, must be formatted as base64(username:password)'],
    ['an auth with a space inside', dockerConfigJson({ 'ghcr.io': { auth: 'dXNlcjpw dw==' } }), 'bad-auth', 'breaks-pull',
      'the "auth" of the entry "ghcr.io" is not valid base64; unable to parse auth field, must be formatted as base64(username:password)'],
    ['an auth without a colon', dockerConfigJson({ 'ghcr.io': { auth: b64(CANARY_PASSWORD) } }), 'bad-auth', 'breaks-pull',
      'the "auth" of the entry "ghcr.io" decodes to text without a ":"; unable to parse auth field, must be formatted as base64(username:password)'],
    ['a SealedSecret', secret({}, { kind: 'SealedSecret', opaqueContents: true }), 'unreadable', 'unknown',
      'a SealedSecret stores its contents encrypted or elsewhere, so its credentials cannot be checked here']
  ]

  it.each(cases)('%s', (_, manifest, reason, effect, message) => {
    const parsed = parsePullSecret(manifest)
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect([parsed.reason, parsed.effect, parsed.message]).toEqual([reason, effect, message])
    expect(everyText(parsed)).not.toContain(CANARY_PASSWORD)
    expect(everyText(parsed)).not.toContain(CANARY_USER)
  })

  it('tells an Opaque secret with a dockerconfigjson key to change its type', () => {
    const parsed = parsePullSecret(secret({ '.dockerconfigjson': '{"auths":{}}' }, { type: 'Opaque' }))
    expect(parsed.ok ? [] : parsed.hints).toEqual(['it has the key .dockerconfigjson: set "type: kubernetes.io/dockerconfigjson" so that the kubelet reads it'])
  })

  it('tells a dockerconfigjson secret holding .dockercfg which to change', () => {
    const parsed = parsePullSecret(secret({ '.dockercfg': '{}' }))
    expect(parsed.ok ? [] : parsed.hints).toEqual(['.dockercfg belongs to type kubernetes.io/dockercfg: change the type or rename the key to .dockerconfigjson'])
  })
})

describe('normalizeRegistryKey', () => {
  // prettier-ignore
  const cases: Array<[string, string | null]> = [
    ['https://index.docker.io/v1/', 'index.docker.io'],
    ['index.docker.io', 'index.docker.io'],
    ['docker.io', 'docker.io'],
    ['https://ghcr.io/v2/org', 'ghcr.io/org'],
    ['https://ghcr.io/v2/', 'ghcr.io'],
    ['https://ghcr.io/v1/', 'ghcr.io'],
    ['https://ghcr.io/v2', 'ghcr.io/v2'],
    ['ghcr.io/org/', 'ghcr.io/org/'],
    ['http://registry.local:5000/', 'registry.local:5000'],
    ['ghcr.io:443', 'ghcr.io:443'],
    ['https://ghcr.io:443/', 'ghcr.io:443'],
    ['user:pw@ghcr.io', 'ghcr.io'],
    ['ghcr.io?x=1#frag', 'ghcr.io'],
    ['[::1]:5000', '[::1]:5000'],
    ['GHCR.IO', 'GHCR.IO'],
    ['*.example.com', '*.example.com'],
    ['ghcr.io:https', null],
    ['ghcr io', null],
    ['ghcr.io/%zz', null],
    ['registry-?.example.com', 'registry-'],
    ['[ab].example.com', null],
    ['r[0-9].example.com', null],
    ['[fe80::1%25eth0]:5000', '[fe80::1%eth0]:5000'],
    ['[registry.local]:5000', null]
  ]
  it.each(cases)('%s → %s', (key, expected) => {
    expect(normalizeRegistryKey(key)).toBe(expected)
  })
})

describe('matchCredentials', () => {
  // [keys in the secrets (in order), image, keys whose credentials are returned (in order)]
  // prettier-ignore
  const cases: Array<[string, string[], string, string[]]> = [
    ['exact host', ['ghcr.io'], 'ghcr.io/org/app:1', ['ghcr.io']],
    ['another host', ['quay.io'], 'ghcr.io/org/app', []],
    ['a port the image does not have', ['ghcr.io:443'], 'ghcr.io/org/app', []],
    ['the same port', ['registry.local:5000'], 'registry.local:5000/team/app', ['registry.local:5000']],
    ['no port for an image with one', ['registry.local'], 'registry.local:5000/team/app', []],
    ['a port for an image with another', ['registry.local:5001'], 'registry.local:5000/team/app', []],
    ['scheme and /v1/ stripped', ['https://ghcr.io/v1/'], 'ghcr.io/org/app', ['https://ghcr.io/v1/']],
    ['scheme and /v2/ stripped, path kept', ['https://ghcr.io/v2/org'], 'ghcr.io/org/app', ['https://ghcr.io/v2/org']],
    ['path prefix', ['ghcr.io/org'], 'ghcr.io/org/app', ['ghcr.io/org']],
    ['path prefix is a string prefix', ['ghcr.io/org'], 'ghcr.io/organization/app', ['ghcr.io/org']],
    ['another path', ['ghcr.io/other'], 'ghcr.io/org/app', []],
    ['more specific keys first', ['ghcr.io', 'ghcr.io/org'], 'ghcr.io/org/app', ['ghcr.io/org', 'ghcr.io']],
    ['reverse-lexicographic order', ['quay.io', 'quay.io/coreos', 'quay.io/coreos/etcd'], 'quay.io/coreos/etcd:v3', ['quay.io/coreos/etcd', 'quay.io/coreos', 'quay.io']],
    ['glob one label', ['*.example.com'], 'a.example.com/app', ['*.example.com']],
    ['glob needs a label', ['*.example.com'], 'example.com/app', []],
    ['glob does not cross dots', ['*.example.com'], 'a.b.example.com/app', []],
    ['two globbed labels', ['*.*.example.com'], 'a.b.example.com/app', ['*.*.example.com']],
    ['glob inside a label', ['registry-*.example.com'], 'registry-eu.example.com/app', ['registry-*.example.com']],
    // In a key, "?" starts the URL's query, so the key is cut short there; and Go's URL parser rejects
    // "[" outside an IPv6 literal, so character classes never reach the glob.
    ['"?" is a query, not a glob', ['registry-?.example.com'], 'registry-1.example.com/app', []],
    ['a character class is not a valid key', ['r[0-9].example.com'], 'r7.example.com/app', []],
    ['ECR-style pattern', ['*.dkr.ecr.*.amazonaws.com'], '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1', ['*.dkr.ecr.*.amazonaws.com']],
    ['host names are case-sensitive', ['GHCR.io'], 'ghcr.io/org/app', []],
    ['Docker Hub via index.docker.io (fallback)', ['https://index.docker.io/v1/'], 'nginx', ['https://index.docker.io/v1/']],
    ['Docker Hub via a bare index.docker.io key', ['index.docker.io'], 'myorg/web:1', ['index.docker.io']],
    ['Docker Hub via docker.io (direct)', ['docker.io'], 'docker.io/library/nginx', ['docker.io']],
    ['Docker Hub via https://docker.io', ['https://docker.io'], 'nginx', ['https://docker.io']],
    ['registry-1.docker.io never matches Hub images', ['registry-1.docker.io'], 'nginx', []],
    ['https://registry-1.docker.io/v2/ never matches either', ['https://registry-1.docker.io/v2/'], 'myorg/web', []],
    ['index.docker.io/v1 without the slash keeps a path', ['index.docker.io/v1'], 'nginx', []],
    ['the fallback only when nothing matched', ['index.docker.io', 'docker.io/other'], 'docker.io/other/app', ['docker.io/other']],
    ['the fallback is only for Hub images', ['index.docker.io'], 'ghcr.io/org/app', []],
    ['localhost images count as Hub for the fallback (kubelet quirk)', ['index.docker.io'], 'localhost/app', ['index.docker.io']],
    ['but not with a port', ['index.docker.io'], 'localhost:5000/app', []],
    ['localhost with its port', ['localhost:5000'], 'localhost:5000/app', ['localhost:5000']],
    ['localhost without the port', ['localhost'], 'localhost:5000/app', []],
    ['IPv6 with port', ['[::1]:5000'], '[::1]:5000/repo', ['[::1]:5000']],
    ['IPv6 without the port', ['[::1]'], '[::1]:5000/repo', []],
    ['IP address', ['10.0.0.5:5000'], '10.0.0.5:5000/repo', ['10.0.0.5:5000']],
    ['a digest reference', ['ghcr.io'], `ghcr.io/org/app@sha256:${'a'.repeat(64)}`, ['ghcr.io']]
  ]

  it.each(cases)('%s', (_, keys, image, expected) => {
    expect(matchCredentials(credentialsFor(keys), reference(image)).map((credential) => credential.key)).toEqual(expected)
  })

  // A key handed in directly (not from parsePullSecret) is still parsed as the kubelet parses it
  // in URLsMatchStr: one that is not a valid URL host matches nothing.
  it.each([['[ab].example.com'], ['ghcr io'], ['ghcr.io:abc']])('the unparsable key %s matches nothing', (key) => {
    const credential: PullCredential = { key, normalizedKey: key, username: 'u', password: 'p', secret: 's' }
    const lookup = lookupCredentials([credential], reference('a.example.com/app'))
    expect(lookup.matches).toEqual([])
    expect(lookup.misses.map((miss) => miss.reason)).toEqual(['unparsable-key'])
    expect(lookup.summary).toBe(`the key ${JSON.stringify(key)} cannot be parsed as a URL, so it matches nothing`)
  })

  it('lets "*" match any run of characters inside one label', () => {
    const star: PullCredential = { key: 'a*z.example.com', normalizedKey: 'a*z.example.com', username: 'u', password: 'p', secret: 's' }
    expect(matchCredentials([star], reference('abcz.example.com/app'))).toEqual([star])
    expect(matchCredentials([star], reference('az.example.com/app'))).toEqual([star])
    expect(matchCredentials([star], reference('abc.example.com/app'))).toEqual([])
  })

  it('returns every entry under a matching key, in the order the secrets give them', () => {
    const credentials = credentialsFor(['ghcr.io', 'https://ghcr.io/v2/', 'quay.io', 'ghcr.io'])
    const matched = matchCredentials(credentials, reference('ghcr.io/org/app'))
    expect(matched.map((credential) => [credential.key, credential.secret, credential.username])).toEqual([
      ['ghcr.io', 's0', 'user0'],
      ['https://ghcr.io/v2/', 's1', 'user1'],
      ['ghcr.io', 's3', 'user3']
    ])
  })
})

describe('lookupCredentials: why nothing matched', () => {
  // [keys, image, reason of the closest miss, summary]
  // prettier-ignore
  const cases: Array<[string[], string, string, string]> = [
    [['ghcr.io:443'], 'ghcr.io/org/app', 'port', 'the secret has ghcr.io:443 but the image is on ghcr.io: the kubelet compares ports exactly (:443 vs no port)'],
    [['registry.local'], 'registry.local:5000/app', 'port', 'the secret has registry.local but the image is on registry.local:5000: the kubelet compares ports exactly (no port vs :5000)'],
    [['ghcr.io/other'], 'ghcr.io/org/app', 'path', 'the key "ghcr.io/other" only covers images under ghcr.io/other, and the image is ghcr.io/org/app'],
    [['GHCR.IO'], 'ghcr.io/org/app', 'case', 'the key "GHCR.IO" differs from ghcr.io only in letter case, and the kubelet compares host names case-sensitively'],
    [['https://registry-1.docker.io/v2/'], 'nginx', 'docker-hub-host', 'the key "https://registry-1.docker.io/v2/" never matches Docker Hub images: the kubelet only uses keys docker.io or https://index.docker.io/v1/ for them'],
    [['*.example.com'], 'a.b.example.com/app', 'label-count', 'the key "*.example.com" has 3 host labels and a.b.example.com has 4: each "*" matches exactly one label'],
    [['ghrc.io'], 'ghcr.io/org/app', 'host', 'the pull secrets have keys for ghrc.io, none for ghcr.io (a typo for ghcr.io?)'],
    [['quay.io', 'gcr.io'], 'registry.example.com/app', 'host', 'the pull secrets have keys for gcr.io, quay.io, none for registry.example.com'],
    [['quay.io', 'https://ghcr.io:443/v1/'], 'ghcr.io/org/app', 'port', 'the secret has ghcr.io:443 but the image is on ghcr.io: the kubelet compares ports exactly (:443 vs no port)']
  ]

  it.each(cases)('%j for %s: %s', (keys, image, reason, summary) => {
    const lookup = lookupCredentials(credentialsFor(keys), reference(image))
    expect(lookup.matches).toEqual([])
    expect(lookup.misses[0]?.reason).toBe(reason)
    expect(lookup.summary).toBe(summary)
  })

  it('lists every miss, closest first, and names no credential', () => {
    const lookup = lookupCredentials(credentialsFor(['quay.io', 'ghcr.io/other', 'ghcr.io:443']), reference('ghcr.io/org/app'))
    expect(lookup.misses.map((miss) => [miss.key, miss.reason])).toEqual([
      ['ghcr.io:443', 'port'],
      ['ghcr.io/other', 'path'],
      ['quay.io', 'host']
    ])
    expect(JSON.stringify(lookup.misses)).not.toMatch(/user\d|pw\d/)
  })

  it('says when the Docker Hub fallback supplied the credentials', () => {
    const lookup = lookupCredentials(credentialsFor(['https://index.docker.io/v1/', 'quay.io']), reference('nginx:1.27'))
    expect(lookup.viaDockerHubFallback).toBe(true)
    expect(lookup.matches.map((credential) => credential.key)).toEqual(['https://index.docker.io/v1/'])
    expect(lookup.misses.map((miss) => miss.key)).toEqual(['quay.io'])
    expect(lookup.summary).toBeNull()
  })

  it('has a summary when the secrets have no entries at all', () => {
    expect(lookupCredentials([], reference('ghcr.io/org/app')).summary).toBe('the pull secrets have no usable entries')
  })
})
