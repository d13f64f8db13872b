// `pullcheck resolve`: the built CLI (dist/cli.js) under every Node runtime the project supports,
// and the command in-process for the finer cases. Every JSON output is validated against
// schemas/resolve.schema.json.
import { describe, expect, it } from 'vitest'
import { resolveCommand } from '../../src/cli/commands/resolve.js'
import type { CliIO } from '../../src/cli/io.js'
import { nodeRuntimes } from '../support/node-binaries.js'
import { runCli } from '../support/run-cli.js'
import { assertMatchesSchema } from '../support/schemas.js'

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`

const MYORG_WEB = {
  input: 'myorg/web',
  valid: true,
  error: null,
  canonical: 'docker.io/myorg/web:latest',
  registry: 'docker.io',
  repository: 'myorg/web',
  tag: null,
  digest: null,
  implied: ['registry', 'tag']
}
const UPPERCASE = {
  input: 'Foo',
  valid: false,
  error: 'invalid reference format: repository name (library/Foo) must be lowercase',
  canonical: null,
  registry: null,
  repository: null,
  tag: null,
  digest: null,
  implied: null
}
const TAG_AND_DIGEST = {
  input: `nginx:1.27@${DIGEST}`,
  valid: true,
  error: null,
  canonical: `docker.io/library/nginx@${DIGEST}`,
  registry: 'docker.io',
  repository: 'library/nginx',
  tag: '1.27',
  digest: DIGEST,
  implied: ['registry', 'library']
}
const IPV6 = {
  input: '[::1]:5000/team/app:v2',
  valid: true,
  error: null,
  canonical: '[::1]:5000/team/app:v2',
  registry: '[::1]:5000',
  repository: 'team/app',
  tag: 'v2',
  digest: null,
  implied: []
}

function invalid(input: string, error: string) {
  return { ...UPPERCASE, input, error }
}

describe.each(nodeRuntimes)('pullcheck resolve ($label)', ({ binary }) => {
  it('prints one JSON entry per input, in input order, invalid ones included, and exits 1', async () => {
    const run = await runCli(['resolve', '--format', 'json', 'myorg/web', 'Foo', `nginx:1.27@${DIGEST}`, '[::1]:5000/team/app:v2'], { node: binary })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(1)
    const output: unknown = JSON.parse(run.stdout)
    assertMatchesSchema('resolve.schema.json', output)
    expect(output).toEqual({ references: [MYORG_WEB, UPPERCASE, TAG_AND_DIGEST, IPV6] })
  })

  it('prints a line per reference for a person and exits 0 when all are valid', async () => {
    const run = await runCli(['resolve', 'myorg/web', 'ghcr.io/o/a:1', `nginx:1.27@${DIGEST}`], { node: binary })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toBe(
      [
        'myorg/web      →  docker.io/myorg/web:latest  (implied: registry docker.io, :latest)',
        'ghcr.io/o/a:1  →  ghcr.io/o/a:1',
        `nginx:1.27@${DIGEST}  →  docker.io/library/nginx@${DIGEST}  (implied: registry docker.io, library/; tag 1.27 ignored: the kubelet pulls the digest)`,
        ''
      ].join('\n')
    )
  })

  it('says why a reference is invalid, in text', async () => {
    const run = await runCli(['resolve', 'nginx', 'https://ghcr.io/org/app', ''], { node: binary })
    expect(run.code).toBe(1)
    expect(run.stdout).toBe(
      [
        'nginx                    →  docker.io/library/nginx:latest  (implied: registry docker.io, library/, :latest)',
        'https://ghcr.io/org/app  ✗  invalid reference format: registry prefix such as "https://" is not allowed',
        '""                       ✗  invalid reference format: the image name is empty',
        ''
      ].join('\n')
    )
  })

  it('takes every argument after -- as a reference', async () => {
    const run = await runCli(['resolve', '--format', 'json', '--', '-weird', '--format'], { node: binary })
    expect(run.code).toBe(1)
    const output: unknown = JSON.parse(run.stdout)
    assertMatchesSchema('resolve.schema.json', output)
    const pathRule = 'use lowercase letters and digits, separated by ".", "_", "__" or "-" (never at the start or end)'
    expect(output).toEqual({
      references: [
        invalid('-weird', `invalid reference format: the path component "-weird" is not valid: ${pathRule}`),
        invalid('--format', `invalid reference format: the path component "--format" is not valid: ${pathRule}`)
      ]
    })
  })

  it('is a usage error (exit 2) without references, naming what was expected', async () => {
    const run = await runCli(['resolve', '--format', 'json'], { node: binary })
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toBe('pullcheck resolve: expected one or more image references (REF…), e.g. pullcheck resolve nginx ghcr.io/org/app:1.2\n')
  })

  it('is a usage error (exit 2) for an unknown format', async () => {
    const run = await runCli(['resolve', '--format', 'yaml', 'nginx'], { node: binary })
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toBe('pullcheck resolve: --format: expected one of text, json, got "yaml"\n')
  })
})

/** Runs the command in-process and collects what it prints. */
async function resolve(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: CliIO = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    stdin: process.stdin,
    stderrIsTTY: false,
    cwd: process.cwd(),
    env: {}
  }
  const code = await resolveCommand.run(argv, io)
  return { code, stdout, stderr }
}

describe('resolve command', () => {
  it('keeps the input exactly as given, whitespace included', async () => {
    const { code, stdout } = await resolve(['--format', 'json', ' nginx', 'nginx\t'])
    expect(code).toBe(1)
    const output: unknown = JSON.parse(stdout)
    assertMatchesSchema('resolve.schema.json', output)
    expect(output).toEqual({
      references: [
        invalid(' nginx', 'invalid reference format: the image name has leading or trailing whitespace'),
        invalid('nginx\t', 'invalid reference format: the image name has leading or trailing whitespace')
      ]
    })
  })

  it('quotes inputs whose whitespace would not show in text', async () => {
    const { stdout } = await resolve([' nginx'])
    expect(stdout).toBe('" nginx"  ✗  invalid reference format: the image name has leading or trailing whitespace\n')
  })

  it('never repeats a credential written into a reference, in text or JSON', async () => {
    for (const format of ['text', 'json']) {
      const { code, stdout } = await resolve(['--format', format, 'ci:hunter2@ghcr.io/org/app'])
      expect(code).toBe(1)
      // The input itself is echoed as given (it is the user's own argument); nothing else may repeat it.
      const rest =
        format === 'json'
          ? Object.values({ ...(JSON.parse(stdout) as { references: Array<Record<string, unknown>> }).references[0], input: null }).join(' ')
          : stdout.slice(stdout.indexOf('✗'))
      expect(rest).not.toContain('hunter2')
      expect(rest).toContain('a user name and password ("user:password@") are not allowed in an image reference')
    }
  })

  it('rejects `--` with nothing after it as a usage error', async () => {
    await expect(resolve(['--'])).rejects.toThrow('expected one or more image references (REF…)')
  })

  it('reports unknown options as usage errors naming the option', async () => {
    await expect(resolve(['--platform', 'linux/amd64', 'nginx'])).rejects.toThrow("unknown option '--platform'")
  })
})

describe('resolve.schema.json', () => {
  it('accepts the contract and rejects entries that mix valid and invalid fields', () => {
    expect(() => assertMatchesSchema('resolve.schema.json', { references: [MYORG_WEB, UPPERCASE] })).not.toThrow()
    expect(() => assertMatchesSchema('resolve.schema.json', { references: [] })).not.toThrow()
    expect(() => assertMatchesSchema('resolve.schema.json', { references: [{ ...MYORG_WEB, error: 'oops' }] })).toThrow(/error/)
    expect(() => assertMatchesSchema('resolve.schema.json', { references: [{ ...UPPERCASE, canonical: 'x' }] })).toThrow(/canonical/)
    expect(() => assertMatchesSchema('resolve.schema.json', { references: [{ ...MYORG_WEB, implied: ['registry', 'registry'] }] })).toThrow(/implied/)
    expect(() => assertMatchesSchema('resolve.schema.json', { references: [{ ...MYORG_WEB, extra: 1 }] })).toThrow(/additional/)
    const { digest: _digest, ...withoutDigest } = MYORG_WEB
    expect(() => assertMatchesSchema('resolve.schema.json', { references: [withoutDigest] })).toThrow(/digest/)
  })
})
