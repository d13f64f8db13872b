// The tool's own credentials: the explicit list (and its errors, which never quote a secret), Docker
// config.json in every form, credential helpers (real programs on PATH, run lazily and only when
// the runner's own config names them), and GITHUB_TOKEN for ghcr.io inside Actions only.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigurationError } from '../../src/errors.js'
import { loadToolCredentials, normalizeRegistryHost, parseRegistryAuthList } from '../../src/registry/index.js'
import { makeTempDir, removeTempDir } from '../support/registry/temp-dir.js'
import { recordingLogger } from './helpers.js'

const SECRET = 'hunter2-CANARY-c0ffee'

describe('normalizeRegistryHost', () => {
  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['docker.io', 'docker.io'],
    ['https://ghcr.io/v1/', 'ghcr.io'],
    ['GHCR.io', 'ghcr.io'],
    ['localhost:5000', 'localhost:5000'],
    ['http://10.0.0.1:5000/v2/', '10.0.0.1:5000']
  ])('%s → %s', (key, host) => {
    expect(normalizeRegistryHost(key)).toBe(host)
  })
})

describe('parseRegistryAuthList', () => {
  it('reads YAML and JSON lists of logins and tokens; the first entry for a host wins', () => {
    const yaml = `- registry: ghcr.io\n  username: me\n  password: ${SECRET}\n- registry: https://index.docker.io/v1/\n  token: hub-token\n- registry: ghcr.io\n  token: ignored\n`
    expect([...parseRegistryAuthList(yaml)]).toEqual([
      ['ghcr.io', { kind: 'basic', username: 'me', password: SECRET }],
      ['docker.io', { kind: 'registry-token', token: 'hub-token' }]
    ])
    expect([...parseRegistryAuthList('[{"registry": "quay.io", "username": "u", "password": "p"}]')]).toEqual([['quay.io', { kind: 'basic', username: 'u', password: 'p' }]])
    expect(parseRegistryAuthList('').size).toBe(0)
  })

  it.each([
    ['registry: ghcr.io', 'registry-auth: expected a YAML or JSON list of {registry, username, password} or {registry, token}'],
    [`- registry: ghcr.io\n  username: me`, 'registry-auth[0]: expected either both "username" and "password", or "token"'],
    [`- registry: ghcr.io\n  token: t\n  password: ${SECRET}`, 'registry-auth[0]: expected either both "username" and "password", or "token"'],
    [`- username: me\n  password: ${SECRET}`, 'registry-auth[0]: missing "registry" (the registry host, e.g. ghcr.io)'],
    [`- registry: ghcr.io\n  passwd: ${SECRET}`, 'registry-auth[0]: unknown key "passwd"; expected registry, username, password or token'],
    [`- registry: ghcr.io\n  username: me\n  password: 12345`, 'registry-auth[0].password: expected a non-empty string'],
    [`- registry: ghcr.io\n  username: me\n  password: "${SECRET}`, 'registry-auth: not valid YAML or JSON (line 3, column 35); expected a YAML or JSON list of {registry, username, password} or {registry, token}'],
    ['- ok\n- registry: x', 'registry-auth[0]: expected {registry, username, password} or {registry, token}']
  ])('rejects %j with a message that names the entry and never the secret', (text, message) => {
    let error: unknown
    try {
      parseRegistryAuthList(text)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toBe(message)
    expect((error as Error).message).not.toContain(SECRET)
  })
})

describe('loadToolCredentials', () => {
  let dir: string
  let helperLog: string
  let env: NodeJS.ProcessEnv

  beforeAll(async () => {
    dir = await makeTempDir('credentials')
    const bin = path.join(dir, 'bin')
    await mkdir(bin)
    helperLog = path.join(dir, 'helper.log')
    // A real credential helper, speaking docker-credential-helpers' protocol: server URL on stdin, JSON on stdout.
    const helper = [
      '#!/bin/sh',
      'read -r server',
      'echo "$0 $server" >> "$HELPER_LOG"',
      'case "$server" in',
      `  ghcr.io) echo '{"ServerURL":"ghcr.io","Username":"helper-user","Secret":"helper-secret-CANARY"}' ;;`,
      `  https://index.docker.io/v1/) echo '{"ServerURL":"https://index.docker.io/v1/","Username":"<token>","Secret":"hub-identity-CANARY"}' ;;`,
      '  *) echo "credentials not found in native keychain"; exit 1 ;;',
      'esac'
    ].join('\n')
    for (const name of ['pctest', 'pcstore']) {
      await writeFile(path.join(bin, `docker-credential-${name}`), `${helper}\n`)
      await chmod(path.join(bin, `docker-credential-${name}`), 0o755)
    }
    env = { PATH: `${bin}:${process.env.PATH ?? ''}`, HELPER_LOG: helperLog, HOME: path.join(dir, 'home') }
  })
  afterAll(async () => removeTempDir(dir))

  async function writeDockerConfig(name: string, config: unknown): Promise<string> {
    const configDir = path.join(dir, name)
    await mkdir(configDir, { recursive: true })
    await writeFile(path.join(configDir, 'config.json'), JSON.stringify(config))
    return configDir
  }

  async function helperCalls(): Promise<string[]> {
    const text = await readFile(helperLog, 'utf8').catch(() => '')
    return text.split('\n').filter(Boolean).map((line) => line.replace(/^.*docker-credential-/, ''))
  }

  it('reads every form of auths entry, Docker Hub by its config key', async () => {
    const configDir = await writeDockerConfig('auths', {
      auths: {
        'https://index.docker.io/v1/': { auth: Buffer.from(`hubuser:${SECRET}`).toString('base64') },
        'quay.io': { username: 'quser', password: 'qpass' },
        'https://legacy.example.com/v1/': { auth: Buffer.from('legacy:pw\0\0').toString('base64') },
        'acr.example.io': { username: '00000000-0000-0000-0000-000000000000', identitytoken: 'acr-refresh' },
        'gcr.example.com': { registrytoken: 'bearer-xyz' },
        'empty.example.com': {}
      }
    })
    const store = await loadToolCredentials({ dockerConfig: configDir, env })
    expect(await store.get('docker.io')).toEqual({ kind: 'basic', username: 'hubuser', password: SECRET })
    expect(await store.get('quay.io')).toEqual({ kind: 'basic', username: 'quser', password: 'qpass' })
    expect(await store.get('legacy.example.com')).toEqual({ kind: 'basic', username: 'legacy', password: 'pw' })
    expect(await store.get('acr.example.io')).toEqual({ kind: 'identity-token', username: '00000000-0000-0000-0000-000000000000', token: 'acr-refresh' })
    expect(await store.get('gcr.example.com')).toEqual({ kind: 'registry-token', token: 'bearer-xyz' })
    expect(await store.get('empty.example.com')).toBeNull()
    expect(await store.get('quay.io:5000')).toBeNull()
  })

  it('puts the explicit list first, then Docker config; PULLCHECK_REGISTRY_AUTH when no list is given', async () => {
    const configDir = await writeDockerConfig('order', { auths: { 'quay.io': { username: 'from-docker', password: 'x' }, 'ghcr.io': { username: 'gh', password: 'y' } } })
    const explicit = await loadToolCredentials({ registryAuth: '- registry: quay.io\n  username: from-list\n  password: z', dockerConfig: configDir, env })
    expect(await explicit.get('quay.io')).toEqual({ kind: 'basic', username: 'from-list', password: 'z' })
    expect(await explicit.get('ghcr.io')).toEqual({ kind: 'basic', username: 'gh', password: 'y' })
    const fromEnv = await loadToolCredentials({ dockerConfig: configDir, env: { ...env, PULLCHECK_REGISTRY_AUTH: '[{"registry":"quay.io","token":"env-token"}]' } })
    expect(await fromEnv.get('quay.io')).toEqual({ kind: 'registry-token', token: 'env-token' })
    await expect(loadToolCredentials({ dockerConfig: configDir, env: { ...env, PULLCHECK_REGISTRY_AUTH: 'oops: [' } })).rejects.toThrow(/^PULLCHECK_REGISTRY_AUTH: not valid YAML/)
  })

  it('runs credential helpers lazily, for the hosts asked, with Docker Hub’s key', async () => {
    const configDir = await writeDockerConfig('helpers', { credHelpers: { 'ghcr.io': 'pctest' }, credsStore: 'pcstore', auths: { 'quay.io': { username: 'inline', password: 'p' } } })
    await writeFile(helperLog, '')
    const logger = recordingLogger()
    const store = await loadToolCredentials({ dockerConfig: configDir, env, logger })
    expect(await helperCalls()).toEqual([])
    expect(await store.get('ghcr.io')).toEqual({ kind: 'basic', username: 'helper-user', password: 'helper-secret-CANARY' })
    expect(await store.get('docker.io')).toEqual({ kind: 'identity-token', username: null, token: 'hub-identity-CANARY' })
    expect(await store.get('quay.io')).toEqual({ kind: 'basic', username: 'inline', password: 'p' })
    expect(await store.get('other.example.com')).toBeNull()
    expect(await store.get('ghcr.io')).toEqual({ kind: 'basic', username: 'helper-user', password: 'helper-secret-CANARY' })
    expect(await helperCalls()).toEqual(['pctest ghcr.io', 'pcstore https://index.docker.io/v1/', 'pcstore other.example.com'])
    expect(logger.lines).toContain('debug: docker-credential-pcstore has no credentials for other.example.com')
    expect(logger.lines.join('\n')).not.toContain('CANARY')
  })

  it('continues without credentials when a helper is missing or its name is not a plain word', async () => {
    const configDir = await writeDockerConfig('bad-helpers', { credHelpers: { 'ghcr.io': 'not-installed', 'quay.io': '../../bin/sh' } })
    await writeFile(helperLog, '')
    const logger = recordingLogger()
    const store = await loadToolCredentials({ dockerConfig: configDir, env, logger })
    expect(await store.get('ghcr.io')).toBeNull()
    expect(await store.get('quay.io')).toBeNull()
    expect(logger.lines).toEqual(
      expect.arrayContaining([
        `warning: ${path.join(configDir, 'config.json')}: credHelpers["quay.io"] is not a valid helper name; ignoring it`,
        'warning: credential helper docker-credential-not-installed is not installed; continuing without credentials for ghcr.io',
        'warning: ignoring credential helper "../../bin/sh": not a valid helper name'
      ])
    )
    expect(await helperCalls()).toEqual([])
  })

  it('uses GITHUB_TOKEN for ghcr.io inside GitHub Actions only, and only for ghcr.io', async () => {
    const actions = await loadToolCredentials({ env: { ...env, GITHUB_ACTIONS: 'true', GITHUB_TOKEN: 'ghs_CANARY', GITHUB_ACTOR: 'octocat' } })
    expect(await actions.get('ghcr.io')).toEqual({ kind: 'basic', username: 'octocat', password: 'ghs_CANARY' })
    expect(await actions.get('docker.io')).toBeNull()
    const outside = await loadToolCredentials({ env: { ...env, GITHUB_TOKEN: 'ghs_CANARY' } })
    expect(await outside.get('ghcr.io')).toBeNull()
  })

  it('reads $DOCKER_CONFIG, ignores a missing default config, and rejects a --docker-config that is not there', async () => {
    const configDir = await writeDockerConfig('env-config', { auths: { 'quay.io': { username: 'env', password: 'p' } } })
    const fromEnv = await loadToolCredentials({ env: { ...env, DOCKER_CONFIG: configDir } })
    expect(await fromEnv.get('quay.io')).toEqual({ kind: 'basic', username: 'env', password: 'p' })
    const none = await loadToolCredentials({ env })
    expect(await none.get('quay.io')).toBeNull()
    await expect(loadToolCredentials({ dockerConfig: path.join(dir, 'nope'), env })).rejects.toThrow(`--docker-config: no such file or directory: ${path.join(dir, 'nope')}`)
    const broken = await writeDockerConfig('broken', {})
    await writeFile(path.join(broken, 'config.json'), '{ not json')
    const logger = recordingLogger()
    const tolerated = await loadToolCredentials({ env: { ...env, DOCKER_CONFIG: broken }, logger })
    expect(await tolerated.get('quay.io')).toBeNull()
    expect(logger.lines).toContain(`warning: ${path.join(broken, 'config.json')} is not a valid Docker config (JSON object expected); ignoring it`)
    await expect(loadToolCredentials({ dockerConfig: broken, env })).rejects.toThrow('is not a valid Docker config')
  })
})
