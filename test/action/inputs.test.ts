// The action's inputs: list splitting, every value checked with an error naming the input, and the
// registry-auth values that must be masked.
import { describe, expect, it } from 'vitest'
import { ConfigurationError } from '../../src/errors.js'
import { parseListInput, parseMirrorsInput, readActionInputs, registryAuthSecrets } from '../../src/action/inputs.js'

function reader(values: Record<string, string>): (name: string) => string {
  return (name) => values[name] ?? ''
}

function failure(values: Record<string, string>): ConfigurationError {
  try {
    readActionInputs(reader(values))
  } catch (error) {
    if (error instanceof ConfigurationError) return error
    throw error
  }
  throw new Error('expected a ConfigurationError')
}

describe('parseListInput', () => {
  it('splits on newlines and commas, trims, drops blanks and comment lines', () => {
    expect(parseListInput('deploy/**/*.yaml, charts\n\n  # not this one\nrendered/*.yaml ,')).toEqual(['deploy/**/*.yaml', 'charts', 'rendered/*.yaml'])
    expect(parseListInput('')).toEqual([])
  })
})

describe('readActionInputs', () => {
  it('gives the documented defaults when nothing is set', () => {
    expect(readActionInputs(reader({}))).toEqual({
      paths: ['.'],
      scope: 'changed',
      rendered: [],
      checkTouchedWorkloads: false,
      platforms: [],
      maxImageSize: undefined,
      failOn: undefined,
      timeoutSeconds: undefined,
      configPath: undefined,
      registryAuth: undefined,
      dockerConfig: undefined,
      githubToken: undefined,
      insecureRegistries: [],
      mirrors: {},
      sarifFile: undefined,
      annotations: true,
      summary: true,
      checkRun: 'auto'
    })
  })

  it('parses every input', () => {
    const inputs = readActionInputs(
      reader({
        paths: 'deploy\ncharts/**/*.yaml',
        scope: 'all',
        rendered: 'out/*.yaml',
        'check-touched-workloads': 'true',
        platforms: 'linux/amd64, linux/arm64',
        'max-image-size': '500MB',
        'fail-on': 'warning',
        timeout: '30',
        config: 'ci/pullcheck.yaml',
        'registry-auth': '- registry: ghcr.io\n  username: bot\n  password: s3cret\n',
        'docker-config': '/home/runner/.docker',
        'github-token': 'ghs_token',
        'insecure-registries': 'registry.local:5000',
        'registry-mirrors': 'docker.io=mirror.gcr.io\ndocker.io=mirror.example.com, quay.io=quay-mirror.example.com',
        'sarif-file': 'pullcheck.sarif',
        annotations: 'false',
        summary: 'False',
        'check-run': 'never'
      })
    )
    expect(inputs).toEqual({
      paths: ['deploy', 'charts/**/*.yaml'],
      scope: 'all',
      rendered: ['out/*.yaml'],
      checkTouchedWorkloads: true,
      platforms: ['linux/amd64', 'linux/arm64'],
      maxImageSize: 500_000_000,
      failOn: 'warning',
      timeoutSeconds: 30,
      configPath: 'ci/pullcheck.yaml',
      registryAuth: '- registry: ghcr.io\n  username: bot\n  password: s3cret\n',
      dockerConfig: '/home/runner/.docker',
      githubToken: 'ghs_token',
      insecureRegistries: ['registry.local:5000'],
      mirrors: { 'docker.io': ['mirror.gcr.io', 'mirror.example.com'], 'quay.io': ['quay-mirror.example.com'] },
      sarifFile: 'pullcheck.sarif',
      annotations: false,
      summary: false,
      checkRun: 'never'
    })
  })

  it('reads check-run true/false as always/never', () => {
    expect(readActionInputs(reader({ 'check-run': 'true' })).checkRun).toBe('always')
    expect(readActionInputs(reader({ 'check-run': 'FALSE' })).checkRun).toBe('never')
  })

  it.each([
    [{ scope: 'everything' }, 'input scope: expected one of changed, all; got "everything"'],
    [{ 'fail-on': 'fatal' }, 'input fail-on: expected one of error, warning, never; got "fatal"'],
    [{ annotations: 'yes' }, 'input annotations: expected true or false; got "yes"'],
    [{ 'check-run': 'sometimes' }, 'input check-run: expected one of auto, always, never; got "sometimes"'],
    [{ 'max-image-size': 'huge' }, 'input max-image-size: expected a size in bytes or with a unit (kB, MB, GB, TB, KiB, MiB, GiB, TiB), such as 1GiB or 500MB; got "huge"'],
    [{ timeout: '-3' }, 'input timeout: expected a duration in seconds greater than 0 (a number, or with a unit: 500ms, 30s, 2m, 1h); got "-3"'],
    [{ 'registry-mirrors': 'docker.io' }, 'input registry-mirrors: expected registry=mirror entries such as docker.io=mirror.gcr.io; got "docker.io"']
  ])('names the input and what was expected: %j', (values, message) => {
    const error = failure(values)
    expect(error.message).toBe(message)
    expect(error.key).toBe(message.slice(0, message.indexOf(':')))
  })
})

describe('parseMirrorsInput', () => {
  it('rejects an empty side', () => {
    expect(() => parseMirrorsInput('=mirror.gcr.io')).toThrow(ConfigurationError)
    expect(() => parseMirrorsInput('docker.io=')).toThrow(ConfigurationError)
  })
})

describe('registryAuthSecrets', () => {
  it('masks every credential value and its Basic form, but not registry names', () => {
    const secrets = registryAuthSecrets(
      JSON.stringify([
        { registry: 'ghcr.io', username: 'octo-bot', password: 'p4ss-w0rd' },
        { registry: '127.0.0.1:5000', token: 'tok_123' }
      ])
    )
    expect(secrets.sort()).toEqual(['octo-bot', 'p4ss-w0rd', Buffer.from('octo-bot:p4ss-w0rd').toString('base64'), 'tok_123'].sort())
  })

  it('masks a short password but not a two-letter username', () => {
    expect(registryAuthSecrets('- registry: r.example\n  username: ci\n  password: x\n').sort()).toEqual([Buffer.from('ci:x').toString('base64'), 'x'].sort())
  })

  it('masks every line and value of text that does not parse', () => {
    const secrets = registryAuthSecrets('- registry: ghcr.io\n  password: "unterminated\n  token: [x')
    expect(secrets).toContain('password: "unterminated')
    expect(secrets).toContain('unterminated')
    expect(secrets).toContain('token: [x')
  })
})
