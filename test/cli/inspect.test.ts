// `pullcheck inspect` end to end: the built CLI (dist/cli.js, run `npm run build` first) under every
// Node runtime, against real registries — open, token auth with a --registry-auth file, TLS with
// --ca-file — checking exact facts, failure classes, input order, exit codes, the JSON schema, and
// that no credential reaches stdout or stderr (even with --verbose).
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nodeRuntimes } from '../support/node-binaries.js'
import { findClosedPort } from '../support/registry/fault-proxy.js'
import { pushImage, type PushedImage } from '../support/registry/push.js'
import { startRegistry, type TestRegistry } from '../support/registry/registry.js'
import { makeTempDir, removeTempDir } from '../support/registry/temp-dir.js'
import { runCli } from '../support/run-cli.js'
import { assertMatchesSchema } from '../support/schemas.js'

const SECRET = 'inspect-password-CANARY-3c9b'

interface JsonResult {
  input: string
  canonical: string | null
  status: string
  detail: string | null
  cause: string | null
  digest: string | null
  platforms: Array<{ os: string; architecture: string; variant: string | null; digest: string; size: number | null }> | null
  selected: Array<{ platform: string; digest: string | null; size: number | null; exact: boolean | null }> | null
  size: number | null
}

function parseResults(stdout: string): JsonResult[] {
  const parsed = JSON.parse(stdout) as { results: JsonResult[] }
  assertMatchesSchema('inspect.schema.json', parsed)
  return parsed.results
}

let open: TestRegistry
let secured: TestRegistry
let tls: TestRegistry
let otherTls: TestRegistry
let dir: string
let index: PushedImage
let privateImage: PushedImage
let tlsImage: PushedImage
let authFile: string
let wrongAuthFile: string

beforeAll(async () => {
  ;[open, secured, tls, otherTls] = await Promise.all([
    startRegistry(),
    startRegistry({ auth: { kind: 'token', tokenServerOptions: { users: { ci: { password: SECRET } } } } }),
    startRegistry({ tls: { certificate: 'valid' } }),
    // Another CA, to show --ca-file adds to the trusted certificates rather than replacing them.
    startRegistry({ tls: { certificate: 'valid' } })
  ])
  index = await pushImage(open, 'team/multi', 'v2', {
    kind: 'oci-index',
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
      { os: 'linux', architecture: 'arm', variant: 'v7' }
    ],
    attestations: true
  })
  privateImage = await pushImage(secured, 'private/app', '1.0', { kind: 'docker-schema2', layerSizes: [5000, 5000] })
  tlsImage = await pushImage(tls, 'team/app', '1.0', { kind: 'docker-schema2' })
  await pushImage(otherTls, 'team/app', '1.0', { kind: 'docker-schema2' })
  dir = await makeTempDir('inspect')
  authFile = path.join(dir, 'auth.yaml')
  await writeFile(authFile, `- registry: ${secured.host}\n  username: ci\n  password: ${SECRET}\n`)
  wrongAuthFile = path.join(dir, 'wrong.json')
  await writeFile(wrongAuthFile, JSON.stringify([{ registry: secured.host, username: 'ci', password: `${SECRET}-wrong` }]))
})

afterAll(async () => {
  await Promise.all([open?.stop(), secured?.stop(), tls?.stop(), otherTls?.stop()])
  if (dir !== undefined) await removeTempDir(dir)
})

describe.each(nodeRuntimes)('pullcheck inspect ($label)', ({ binary }) => {
  it('prints one JSON result per input, in input order, with exact facts and failure classes', async () => {
    const run = await runCli(
      ['inspect', '--format', 'json', '--platform', 'linux/arm64', '--platform', 'linux/arm/v7', `${open.host}/team/multi:v2`, `${open.host}/team/multi:v9`, `${open.host}/team/none:1`, '--', '-weird'],
      { node: binary }
    )
    expect(run.stderr).toBe('')
    expect(run.code).toBe(1)
    const [found, tag, repository, invalid] = parseResults(run.stdout)
    expect(found).toMatchObject({ input: `${open.host}/team/multi:v2`, canonical: `${open.host}/team/multi:v2`, status: 'found', digest: index.digest, detail: null })
    expect(found!.platforms).toEqual(index.platforms)
    expect(found!.selected).toEqual([
      { platform: 'linux/arm64', digest: index.platforms[1]!.digest, size: 4215, exact: true },
      { platform: 'linux/arm/v7', digest: index.platforms[2]!.digest, size: 4229, exact: true }
    ])
    expect(found!.size).toBe(4229)
    expect(tag).toMatchObject({ status: 'tag-not-found', digest: null, platforms: null, size: null })
    expect(repository).toMatchObject({ status: 'repository-not-found', cause: null })
    expect(invalid).toMatchObject({ input: '-weird', canonical: null, status: 'invalid-reference' })
    expect(invalid!.detail).toMatch(/^invalid reference format/)
  })

  it('prints the facts for a person and exits 0 when everything is found', async () => {
    const run = await runCli(['inspect', `${open.host}/team/multi:v2`, '--platform', 'linux/riscv64'], { node: binary })
    expect(run.code).toBe(0)
    expect(run.stdout.split('\n')).toEqual([
      `${open.host}/team/multi:v2`,
      `  found ${index.digest}  (application/vnd.oci.image.index.v1+json, index of 3 platforms)`,
      `    linux/amd64   ${index.platforms[0]!.digest}  4.1 KiB`,
      `    linux/arm64   ${index.platforms[1]!.digest}  4.1 KiB`,
      `    linux/arm/v7  ${index.platforms[2]!.digest}  4.1 KiB`,
      '  linux/riscv64: no match for platform in manifest',
      '',
      '1 reference: 1 found, 0 not',
      ''
    ])
  })

  it('uses the --registry-auth file, and never prints the password, even with --verbose', async () => {
    const good = await runCli(['inspect', '--format', 'json', '--verbose', '--registry-auth', authFile, `${secured.host}/private/app:1.0`], { node: binary })
    expect(good.code).toBe(0)
    const [result] = parseResults(good.stdout)
    expect(result).toMatchObject({ status: 'found', digest: privateImage.digest, size: 10000 })
    expect(good.stderr).toContain(`HEAD http://${secured.host}/v2/private/app/manifests/1.0 → 200`)
    const wrong = await runCli(['inspect', '--format', 'json', '--verbose', '--registry-auth', wrongAuthFile, `${secured.host}/private/app:1.0`], { node: binary })
    expect(wrong.code).toBe(1)
    expect(parseResults(wrong.stdout)[0]).toMatchObject({ status: 'auth-rejected' })
    const anonymous = await runCli(['inspect', `${secured.host}/private/app:1.0`], { node: binary, env: { HOME: dir, DOCKER_CONFIG: dir } })
    expect(anonymous.stdout).toContain('  auth-required: pull access denied, repository does not exist or may require authorization')
    for (const output of [good.stdout, good.stderr, wrong.stdout, wrong.stderr]) expect(output).not.toContain(SECRET)
  })

  it('trusts a CA given with --ca-file or NODE_EXTRA_CA_CERTS, and names the x509 failure otherwise', async () => {
    const reference = `${tls.host}/team/app:1.0`
    const trusted = await runCli(['inspect', '--format', 'json', '--ca-file', tls.caFile!, reference], { node: binary })
    expect(parseResults(trusted.stdout)[0]).toMatchObject({ status: 'found', digest: tlsImage.digest })
    const fromEnv = await runCli(['inspect', '--format', 'json', reference], { node: binary, env: { NODE_EXTRA_CA_CERTS: tls.caFile! } })
    expect(parseResults(fromEnv.stdout)[0]).toMatchObject({ status: 'found', digest: tlsImage.digest })
    const both = await runCli(['inspect', '--format', 'json', '--ca-file', tls.caFile!, reference, `${otherTls.host}/team/app:1.0`], {
      node: binary,
      env: { NODE_EXTRA_CA_CERTS: otherTls.caFile! }
    })
    expect(parseResults(both.stdout).map((result) => result.status)).toEqual(['found', 'found'])
    const untrusted = await runCli(['inspect', reference], { node: binary })
    expect(untrusted.code).toBe(1)
    expect(untrusted.stdout).toContain(`  unreachable: tls: failed to verify certificate: x509: certificate signed by unknown authority (${tls.host})`)
  })

  it('says connection refused for a closed port, within the timeout', async () => {
    const port = await findClosedPort()
    const run = await runCli(['inspect', '--format', 'json', '--timeout', '2', `127.0.0.1:${port}/team/app:1.0`], { node: binary })
    expect(run.code).toBe(1)
    expect(parseResults(run.stdout)[0]).toMatchObject({ status: 'unreachable', cause: 'connection-refused', detail: `dial tcp 127.0.0.1:${port}: connect: connection refused` })
  })

  it.each([
    [[], 'pullcheck inspect: expected at least one image reference, e.g. pullcheck inspect nginx:1.27'],
    [['--platform', 'linux', 'nginx'], 'pullcheck inspect: --platform:'],
    [['--timeout', '0', 'nginx'], 'pullcheck inspect: --timeout: expected a number of seconds greater than 0, got "0"'],
    [['--format', 'yaml', 'nginx'], 'pullcheck inspect: --format: expected one of text, json, got "yaml"'],
    [['--registry-auth', '/nonexistent/auth.yaml', 'nginx'], 'pullcheck inspect: --registry-auth: cannot read /nonexistent/auth.yaml'],
    [['--ca-file', '/nonexistent/ca.pem', 'nginx'], 'pullcheck inspect: --ca-file: cannot read /nonexistent/ca.pem']
  ])('exits 2 on the usage error %j', async (args, message) => {
    const run = await runCli(['inspect', ...args], { node: binary })
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr.startsWith(message)).toBe(true)
  })
})

describe('pullcheck inspect credentials errors', () => {
  it('rejects a malformed --registry-auth file without quoting it', async () => {
    const file = path.join(dir, 'malformed.yaml')
    await writeFile(file, `- registry: ${secured.host}\n  username: ci\n  pasword: ${SECRET}\n`)
    const run = await runCli(['inspect', '--registry-auth', file, 'nginx'])
    expect(run.code).toBe(2)
    expect(run.stderr).toBe(`pullcheck inspect: --registry-auth ${file}[0]: unknown key "pasword"; expected registry, username, password or token\n`)
  })
})
