// loadConfig against real files in temporary directories: discovery, validation messages with the
// key and line, path re-anchoring, and flags/inputs merged over the file.
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultScanConfig } from '../../src/config/defaults.js'
import { loadConfig } from '../../src/config/load.js'
import { ConfigurationError } from '../../src/errors.js'

const ruleIds = ['latest-tag', 'tag-not-found', 'registry-unreachable', 'image-too-large', 'auth-required']

let root: string

beforeEach(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'pullcheck-config-')))
})

afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

async function write(relative: string, text: string): Promise<string> {
  const file = path.join(root, relative)
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, text)
  return file
}

/** The ConfigurationError loadConfig throws, for asserting its exact message. */
async function loadError(options: Partial<Parameters<typeof loadConfig>[0]> = {}): Promise<ConfigurationError> {
  try {
    await loadConfig({ cwd: root, ruleIds, ...options })
  } catch (error) {
    if (error instanceof ConfigurationError) return error
    throw error
  }
  throw new Error('loadConfig did not throw')
}

describe('discovery', () => {
  it('uses the defaults when there is no file', async () => {
    expect(await loadConfig({ cwd: root, ruleIds })).toEqual(defaultScanConfig())
  })

  it('reads .pullcheck.yaml in the current directory', async () => {
    const file = await write('.pullcheck.yaml', 'failOn: warning\n')
    const config = await loadConfig({ cwd: root, ruleIds })
    expect(config.failOn).toBe('warning')
    expect(config.configFile).toBe(file)
  })

  it('reads .pullcheck.yml too', async () => {
    const file = await write('.pullcheck.yml', 'concurrency: 3\n')
    const config = await loadConfig({ cwd: root, ruleIds })
    expect(config.concurrency).toBe(3)
    expect(config.configFile).toBe(file)
  })

  it('refuses to guess between .pullcheck.yaml and .pullcheck.yml', async () => {
    await write('.pullcheck.yaml', 'concurrency: 3\n')
    await write('.pullcheck.yml', 'concurrency: 4\n')
    const error = await loadError()
    expect(error.key).toBe('config')
    expect(error.message).toBe(
      `config: both ${path.join(root, '.pullcheck.yaml')} and ${path.join(root, '.pullcheck.yml')} exist; keep one of them`
    )
  })

  it('falls back to the git repository root and re-anchors its globs and files', async () => {
    await mkdir(path.join(root, '.git'))
    await write('certs/ca.pem', '-----BEGIN CERTIFICATE-----\n')
    const file = await write(
      '.pullcheck.yaml',
      ['ignore:', '  paths: ["deploy/legacy/**", "**/*.example.yaml"]', 'registries:', '  caFile: certs/ca.pem', ''].join('\n')
    )
    const cwd = path.join(root, 'deploy')
    await mkdir(cwd)
    const config = await loadConfig({ cwd, ruleIds })
    expect(config.configFile).toBe(file)
    expect(config.caFiles).toEqual([path.join(root, 'certs', 'ca.pem')])
    expect(config.ignore.paths).toEqual([
      'legacy/**',
      '../deploy/legacy/**',
      `${root}/deploy/legacy/**`,
      '**/*.example.yaml',
      '../**/*.example.yaml',
      `${root}/**/*.example.yaml`
    ])
  })

  it('prefers the current directory over the repository root', async () => {
    await mkdir(path.join(root, '.git'))
    await write('.pullcheck.yaml', 'concurrency: 2\n')
    const inner = await write('app/.pullcheck.yaml', 'concurrency: 5\n')
    const config = await loadConfig({ cwd: path.join(root, 'app'), ruleIds })
    expect(config.configFile).toBe(inner)
    expect(config.concurrency).toBe(5)
  })

  it('does not look above the repository root', async () => {
    await write('.pullcheck.yaml', 'concurrency: 2\n')
    await mkdir(path.join(root, 'repo', '.git'), { recursive: true })
    const config = await loadConfig({ cwd: path.join(root, 'repo'), ruleIds })
    expect(config.configFile).toBeNull()
  })

  it('reads an explicit path relative to the current directory, wherever it is', async () => {
    const file = await write('settings/strict.yaml', 'failOn: warning\nignore:\n  paths: ["vendor/**"]\n')
    const config = await loadConfig({ cwd: root, configPath: 'settings/strict.yaml', ruleIds })
    expect(config.configFile).toBe(file)
    expect(config.ignore.paths).toEqual(['settings/vendor/**', `${root}/settings/vendor/**`])
  })

  it('fails when an explicit file is missing, naming the flag', async () => {
    await write('.pullcheck.yaml', 'failOn: warning\n')
    const error = await loadError({ configPath: 'missing.yaml', configPathKey: '--config' })
    expect(error.message).toBe('--config: configuration file not found: missing.yaml')
  })
})

describe('a complete file', () => {
  it('becomes the ScanConfig field by field', async () => {
    await write('ca/one.pem', 'x')
    await write('ca/two.pem', 'x')
    const file = await write(
      '.pullcheck.yaml',
      `rules:
  latest-tag: off
  registry-unreachable: error
platforms: [linux/amd64, linux/aarch64, linux/arm]
maxImageSize: 750MiB
knownSecrets: [payments/regcred]
ignore:
  images: ["docker.io/library/busybox:*"]
  paths: ["test/**"]
registries:
  insecure: ["localhost:5000"]
  caFile: ca/one.pem
  caFiles: [ca/two.pem]
  mirrors:
    index.docker.io: [mirror.gcr.io]
    docker.io: ["mirror.example.com:5000"]
nodeCredentials: ["*.azurecr.io"]
allowedRegistries: [ghcr.io, docker.io]
concurrency: 4
timeout: 30s
deadline: 2m
failOn: never
defaultNamespace: apps
maxFileSize: 10MB
`
    )
    expect(await loadConfig({ cwd: root, ruleIds })).toEqual({
      rules: { 'latest-tag': 'off', 'registry-unreachable': 'error' },
      platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
      maxImageSize: 786432000,
      knownSecrets: ['payments/regcred'],
      ignore: { images: ['docker.io/library/busybox:*'], paths: ['test/**'] },
      insecureRegistries: ['localhost:5000'],
      caFiles: [path.join(root, 'ca/one.pem'), path.join(root, 'ca/two.pem')],
      mirrors: { 'docker.io': ['mirror.gcr.io', 'mirror.example.com:5000'] },
      nodeCredentials: ['*.azurecr.io'],
      allowedRegistries: ['ghcr.io', 'docker.io'],
      concurrency: 4,
      timeoutSeconds: 30,
      deadlineSeconds: 120,
      failOn: 'never',
      defaultNamespace: 'apps',
      maxFileSize: 10000000,
      configFile: file
    })
  })

  it('treats an empty file as all defaults', async () => {
    const file = await write('.pullcheck.yaml', '# nothing configured yet\n')
    expect(await loadConfig({ cwd: root, ruleIds })).toEqual({ ...defaultScanConfig(), configFile: file })
  })

  it('accepts numbers for sizes and durations', async () => {
    await write('.pullcheck.yaml', 'maxImageSize: 2000000\ntimeout: 2.5\ndeadline: 60\n')
    const config = await loadConfig({ cwd: root, ruleIds })
    expect([config.maxImageSize, config.timeoutSeconds, config.deadlineSeconds]).toEqual([2000000, 2.5, 60])
  })
})

describe('mistakes in the file', () => {
  it('names the rule key, the line and the allowed values for a bad severity', async () => {
    await write('.pullcheck.yaml', 'failOn: error\nrules:\n  latest-tag: of\n')
    const error = await loadError()
    expect(error.key).toBe('rules.latest-tag')
    expect(error.message).toBe(
      'rules.latest-tag: expected one of error, warning, notice, off; got "of"; did you mean "off"? (.pullcheck.yaml:3:15)'
    )
  })

  it('suggests the closest key for an unknown one', async () => {
    await write('.pullcheck.yaml', 'regsitries:\n  insecure: [localhost:5000]\n')
    const error = await loadError()
    expect(error.message).toBe('regsitries: unknown key; did you mean "registries"? (.pullcheck.yaml:1:1)')
  })

  it('lists the known keys of a nested mapping when nothing is close', async () => {
    await write('.pullcheck.yaml', 'registries:\n  proxy: http://proxy\n')
    const error = await loadError()
    expect(error.message).toBe(
      'registries.proxy: unknown key; known keys here: insecure, caFile, caFiles, mirrors (.pullcheck.yaml:2:3)'
    )
  })

  it('names a list entry inside a mapping with a dotted key', async () => {
    await write('.pullcheck.yaml', 'registries:\n  mirrors:\n    docker.io:\n      - https://mirror.gcr.io\n')
    const error = await loadError()
    expect(error.key).toBe('registries.mirrors.docker.io[0]')
    expect(error.message).toBe(
      'registries.mirrors.docker.io[0]: expected a registry host with an optional port, such as registry.example.com or localhost:5000 (no scheme, no path); got "https://mirror.gcr.io" (.pullcheck.yaml:4:9)'
    )
  })

  it('rejects an unknown rule id and suggests the closest', async () => {
    await write('.pullcheck.yaml', 'rules:\n  lates-tag: off\n')
    const error = await loadError()
    expect(error.message).toBe('rules.lates-tag: unknown rule; did you mean "latest-tag"? (.pullcheck.yaml:2:3)')
  })

  it('says what type was expected, with an example', async () => {
    await write('.pullcheck.yaml', 'platforms: linux/arm64\n')
    const error = await loadError()
    expect(error.message).toBe(
      'platforms: expected a list (for example ["linux/amd64","linux/arm64"]); got text "linux/arm64" (.pullcheck.yaml:1:12)'
    )
  })

  it('explains a size without a known unit', async () => {
    await write('.pullcheck.yaml', 'maxImageSize: 1 gigabyte\n')
    const error = await loadError()
    expect(error.message).toBe(
      'maxImageSize: expected a size in bytes or with a unit (kB, MB, GB, TB, KiB, MiB, GiB, TiB), such as 1GiB or 500MB; got "1 gigabyte" (.pullcheck.yaml:1:15)'
    )
  })

  it('rejects a zero size that the pattern lets through', async () => {
    await write('.pullcheck.yaml', 'maxFileSize: 0MB\n')
    const error = await loadError()
    expect(error.message).toBe(
      'maxFileSize: expected a size in bytes or with a unit (kB, MB, GB, TB, KiB, MiB, GiB, TiB), such as 1GiB or 500MB; got "0MB" (.pullcheck.yaml:1:14)'
    )
  })

  it('reports a value below the minimum', async () => {
    await write('.pullcheck.yaml', 'concurrency: 0\n')
    expect((await loadError()).message).toBe('concurrency: expected a number at least 1; got 0 (.pullcheck.yaml:1:14)')
  })

  it('names an unknown architecture in a platform, with a suggestion', async () => {
    await write('.pullcheck.yaml', 'platforms:\n  - linux/amd64\n  - linux/arm65\n')
    expect((await loadError()).message).toBe(
      'platforms[1]: unknown architecture "arm65" in "linux/arm65" (did you mean arm64?); expected os/arch[/variant], such as linux/amd64, linux/arm64 or linux/arm/v7 (.pullcheck.yaml:3:5)'
    )
  })

  it('reports an entry listed twice', async () => {
    await write('.pullcheck.yaml', 'platforms:\n  - linux/amd64\n  - linux/arm64\n  - linux/amd64\n')
    expect((await loadError()).message).toBe('platforms[2]: "linux/amd64" is listed twice (.pullcheck.yaml:4:5)')
  })

  it('reports a CA file that does not exist, resolved against the file directory', async () => {
    await write('conf/.pullcheck.yaml', 'registries:\n  caFiles: [missing.pem]\n')
    const error = await loadError({ configPath: 'conf/.pullcheck.yaml' })
    expect(error.message).toBe(
      `registries.caFiles[0]: CA file not found: ${path.join(root, 'conf', 'missing.pem')} (conf/.pullcheck.yaml:2:13)`
    )
  })

  it('rejects a negated ignore glob', async () => {
    await write('.pullcheck.yaml', 'ignore:\n  paths: ["!keep/**"]\n')
    expect((await loadError()).message).toBe(
      'ignore.paths[0]: expected a glob that does not start with "!" (negation is not supported: a value is ignored when it matches any glob); got "!keep/**" (.pullcheck.yaml:2:11)'
    )
  })

  it('lists several problems, top to bottom, the first one as the key', async () => {
    await write('.pullcheck.yaml', 'timeout: forever\nfailOn: sometimes\nrules:\n  tag-not-fond: error\n')
    const error = await loadError()
    expect(error.key).toBe('timeout')
    expect(error.message).toBe(
      [
        'timeout: expected a duration in seconds, or with a unit (500ms, 30s, 2m, 1h); got "forever" (.pullcheck.yaml:1:10)',
        '  also failOn: expected one of error, warning, never; got "sometimes" (.pullcheck.yaml:2:9)',
        '  also rules.tag-not-fond: unknown rule; did you mean "tag-not-found"? (.pullcheck.yaml:4:3)'
      ].join('\n')
    )
  })

  it('names file, line and column of a YAML syntax error', async () => {
    await write('.pullcheck.yaml', 'failOn: error\nrules:\n  latest-tag: [off\n')
    const error = await loadError()
    expect(error.key).toBeUndefined()
    expect(error.message).toMatch(/^\.pullcheck\.yaml:4:1: YAML syntax error: /)
  })

  it('rejects duplicate keys with their position', async () => {
    await write('.pullcheck.yaml', 'failOn: error\nfailOn: warning\n')
    expect((await loadError()).message).toBe('.pullcheck.yaml:2:1: YAML syntax error: Map keys must be unique')
  })

  it('rejects a file that is not a mapping', async () => {
    await write('.pullcheck.yaml', '- failOn: error\n')
    expect((await loadError()).message).toBe('.pullcheck.yaml: expected a mapping of settings (such as "failOn: warning"); got a list')
  })
})

describe('overrides from flags and inputs', () => {
  it('replace platforms and scalars, and add to the lists that accumulate', async () => {
    await write('ca/file.pem', 'x')
    await write('ca/flag.pem', 'x')
    await write(
      '.pullcheck.yaml',
      'platforms: [linux/arm64]\nregistries:\n  insecure: [a.example.com]\n  caFiles: [ca/file.pem]\n  mirrors:\n    docker.io: [file-mirror.example.com]\nrules:\n  latest-tag: off\n'
    )
    const config = await loadConfig({
      cwd: root,
      ruleIds,
      overrides: {
        platforms: ['linux/amd64', 'Linux/ARM64'],
        maxImageSize: 123,
        failOn: 'warning',
        insecureRegistries: ['b.example.com', 'a.example.com'],
        caFiles: ['ca/flag.pem'],
        timeoutSeconds: 3,
        concurrency: 2,
        mirrors: { 'registry-1.docker.io': ['input-mirror.example.com'] },
        rules: { 'tag-not-found': 'warning' }
      }
    })
    expect(config.platforms).toEqual(['linux/amd64', 'linux/arm64'])
    expect(config.maxImageSize).toBe(123)
    expect(config.failOn).toBe('warning')
    expect(config.insecureRegistries).toEqual(['a.example.com', 'b.example.com'])
    expect(config.caFiles).toEqual([path.join(root, 'ca/file.pem'), path.join(root, 'ca/flag.pem')])
    expect(config.timeoutSeconds).toBe(3)
    expect(config.concurrency).toBe(2)
    expect(config.mirrors).toEqual({ 'docker.io': ['input-mirror.example.com', 'file-mirror.example.com'] })
    expect(config.rules).toEqual({ 'latest-tag': 'off', 'tag-not-found': 'warning' })
  })

  it('apply without a file', async () => {
    const config = await loadConfig({ cwd: root, ruleIds, overrides: { failOn: 'never', platforms: ['linux/arm64'] } })
    expect(config).toEqual({ ...defaultScanConfig(), failOn: 'never', platforms: ['linux/arm64'] })
  })

  it('name the flag or input a bad platform came from', async () => {
    expect((await loadError({ overrides: { platforms: ['linux'] } })).message).toBe(
      '--platform: expected os/arch[/variant], such as linux/amd64, linux/arm64 or linux/arm/v7; got "linux"'
    )
    const fromAction = await loadError({ overrides: { platforms: ['windows/arm99'] }, overrideKeys: { platforms: 'input platforms' } })
    expect(fromAction.key).toBe('input platforms')
  })

  it('reject a rule id that does not exist', async () => {
    expect((await loadError({ overrides: { rules: { 'tag-not-fuond': 'off' } } })).message).toBe(
      'rules.tag-not-fuond: unknown rule; did you mean "tag-not-found"?'
    )
  })

  it('reject a CA file flag that points nowhere', async () => {
    const error = await loadError({ overrides: { caFiles: ['nope.pem'] } })
    expect(error.message).toBe(`--ca-file: CA file not found: ${path.join(root, 'nope.pem')}`)
  })
})
