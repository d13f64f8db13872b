// runScan as the CLI and the action call it, against the real local registries: registry work once
// per unique (reference, identity), one finding per occurrence, statuses and facts, inline
// suppressions, configuration (ignore, severities, off), sorted findings, and no credential in the
// result.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultScanConfig } from '../../src/config/defaults.js'
import { ConfigurationError } from '../../src/errors.js'
import type { ScanConfig } from '../../src/config/types.js'
import type { Identity, ImageReference } from '../../src/model.js'
import { loadToolCredentials, RegistryClient, type CredentialStore, type RegistryClientStats } from '../../src/registry/index.js'
import { runScan, type RegistryLookup } from '../../src/scan/index.js'
import { CI_USER, POD_USER, startRuleEnvironment, substitutePlaceholders, type RuleEnvironment } from '../rules/environment.js'

let environment: RuleEnvironment
let workDir: string
let credentials: CredentialStore

beforeAll(async () => {
  environment = await startRuleEnvironment()
  workDir = await mkdtemp(path.join(tmpdir(), 'pullcheck-scan-'))
  credentials = await loadToolCredentials({ registryAuth: environment.registryAuth, dockerConfig: await emptyDockerConfig(), env: {} })
}, 120_000)

afterAll(async () => {
  await environment?.stop()
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true })
})

async function emptyDockerConfig(): Promise<string> {
  const dir = path.join(workDir, '.docker')
  await mkdir(dir, { recursive: true })
  await writeFile(path.join(dir, 'config.json'), '{}')
  return dir
}

/** Writes the files (placeholders substituted) into a fresh directory and returns it. */
async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(workDir, 'project-'))
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true })
    await writeFile(path.join(dir, file), substitutePlaceholders(text, environment.placeholders))
  }
  return dir
}

/** A registry client that counts the questions it is asked. */
function countingClient(tagsPageSize?: number): RegistryLookup & { asked: string[] } {
  const client = new RegistryClient({ credentials, timeoutMs: 2000, tagsPageSize })
  const asked: string[] = []
  const label = (identity: Identity): string => (identity.kind === 'basic' || identity.kind === 'token' ? `${identity.kind}:${identity.label}` : identity.kind)
  return {
    asked,
    lookup(reference: ImageReference, identity: Identity) {
      asked.push(`lookup ${reference.canonical} ${label(identity)}`)
      return client.lookup(reference, identity)
    },
    listTags(reference: ImageReference, identity: Identity) {
      asked.push(`tags ${reference.registry}/${reference.repository} ${label(identity)}`)
      return client.listTags(reference, identity)
    },
    close: () => client.close()
  }
}

function pod(name: string, images: string[], extra = ''): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    ...(extra === '' ? [] : extra.split('\n').map((line) => `  ${line}`)),
    '  containers:',
    ...images.flatMap((image, index) => [`    - name: c${index}`, `      image: ${image}`])
  ].join('\n')
}

async function scan(dir: string, config: Partial<ScanConfig> = {}, registry?: RegistryLookup): ReturnType<typeof runScan> {
  return runScan({ paths: ['.'], cwd: dir, config: { ...defaultScanConfig(), ...config }, credentials, env: {}, registry })
}

describe('runScan', () => {
  it('asks the registry once per unique reference and identity, and reports every occurrence', async () => {
    const dir = await project({
      'a.yaml': pod('a', ['REGISTRY_OPEN/team/web:v2.0.1', 'REGISTRY_OPEN/team/web:v2.0.1']),
      'b.yaml': pod('b', ['REGISTRY_OPEN/team/web:v2.0.1', 'REGISTRY_OPEN/team/api:1.4.2'])
    })
    const client = countingClient()
    try {
      const result = await scan(dir, {}, client)
      expect(result.findings.map((finding) => `${finding.file}:${finding.line}:${finding.column} ${finding.rule}`)).toEqual([
        'a.yaml:8:14 tag-not-found',
        'a.yaml:10:14 tag-not-found',
        'b.yaml:8:14 tag-not-found'
      ])
      const open = environment.placeholders.get('REGISTRY_OPEN')!
      // pullcheck has no credentials for the open registry: its own view is the anonymous one.
      expect(client.asked.sort()).toEqual([
        `lookup ${open}/team/api:1.4.2 anonymous`,
        `lookup ${open}/team/web:v2.0.1 anonymous`,
        `tags ${open}/team/web anonymous`
      ])
      expect(result.summary).toMatchObject({ files: 2, images: 4, uniqueImages: 2, errors: 3, warnings: 0, notices: 0 })
    } finally {
      await client.close()
    }
  })

  it('suggests tags from every page of tags/list', async () => {
    const dir = await project({ 'web.yaml': pod('web', ['REGISTRY_OPEN/team/web:v2.0.1']) })
    // One tag per page, in lexical order (latest, v1.9.0, v2.0.0, v2.0.0-rc1): v2.0.0 is only seen on
    // the third page, by following the Link headers.
    const client = countingClient(1)
    try {
      const result = await scan(dir, {}, client)
      expect(result.findings).toHaveLength(1)
      expect(result.findings[0]!.message).toMatch(/has no tag "v2\.0\.1"; did you mean v2\.0\.0\?$/)
    } finally {
      await client.close()
    }
  })

  it('gives each image a status and the facts that decided it', async () => {
    const dir = await project({
      'mix.yaml': pod('mix', ['REGISTRY_OPEN/team/web:v2.0.0', 'REGISTRY_OPEN/team/web:v2.0.1', 'REGISTRY_CLOSED/team/api:1.0', '"{{ .Values.image }}"'])
    })
    const result = await scan(dir)
    const byImage = new Map(result.images.map((image) => [image.line, image]))
    expect(byImage.get(8)).toMatchObject({ status: 'ok', failure: null })
    expect(byImage.get(8)!.facts!.platforms.map((platform) => `${platform.os}/${platform.architecture}`)).toEqual(['linux/amd64', 'linux/arm64'])
    expect(byImage.get(10)).toMatchObject({ status: 'problem', facts: null, failure: { status: 'tag-not-found' } })
    // A registry that could not be asked is "could not verify", never "not found".
    expect(byImage.get(12)).toMatchObject({ status: 'unverified', facts: null, failure: { status: 'unreachable', cause: 'connection-refused' } })
    expect(result.findings.filter((finding) => finding.line === 12).map((finding) => finding.rule)).toEqual(['registry-unreachable'])
    expect(byImage.get(14)).toMatchObject({ status: 'skipped', templated: true })
  })

  it('honours pullcheck-ignore comments on the image line and the line above', async () => {
    const dir = await project({
      'ignored.yaml': [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: ignored',
        'spec:',
        '  containers:',
        '    - name: a',
        '      # pullcheck-ignore: tag-not-found - the release is pushed by the same pipeline',
        '      image: REGISTRY_OPEN/team/web:v2.0.1',
        '    - name: b',
        '      image: REGISTRY_OPEN/team/web  # pullcheck-ignore: latest-tag',
        '    - name: c',
        '      image: REGISTRY_OPEN/team/web:v2.0.1  # pullcheck-ignore: latest-tag'
      ].join('\n')
    })
    const result = await scan(dir)
    expect(result.findings.map((finding) => `${finding.line} ${finding.rule}`)).toEqual(['13 tag-not-found'])
    expect(result.images.map((image) => image.status)).toEqual(['ok', 'ok', 'problem'])
  })

  it('applies ignore globs and per-rule severities from the configuration', async () => {
    const dir = await project({
      'apps/web.yaml': pod('web', ['REGISTRY_OPEN/team/web:v2.0.1', 'REGISTRY_OPEN/team/web:latest']),
      'vendor/thing.yaml': pod('thing', ['REGISTRY_OPEN/team/nothing:1.0']),
      'apps/internal.yaml': pod('internal', ['registry.cluster.invalid/team/api:1.0'])
    })
    const result = await scan(dir, {
      ignore: { images: ['registry.cluster.invalid/**'], paths: ['vendor/**'] },
      rules: { 'tag-not-found': 'warning', 'latest-tag': 'off' }
    })
    expect(result.findings.map((finding) => `${finding.file}:${finding.line} ${finding.rule}=${finding.severity}`)).toEqual(['apps/web.yaml:8 tag-not-found=warning'])
    const statuses = Object.fromEntries(result.images.map((image) => [`${image.file}:${image.line}`, image.status]))
    expect(statuses).toEqual({ 'apps/internal.yaml:8': 'skipped', 'apps/web.yaml:8': 'ok', 'apps/web.yaml:10': 'ok', 'vendor/thing.yaml:8': 'skipped' })
  })

  it('never puts a credential in the result', async () => {
    const dir = await project({
      'secrets.yaml': [
        'apiVersion: v1',
        'kind: Secret',
        'metadata:',
        '  name: wrong',
        'type: kubernetes.io/dockerconfigjson',
        'stringData:',
        `  .dockerconfigjson: '{"auths":{"REGISTRY_BASIC":{"username":"alice","password":"canary-wrong-password-51"}}}'`,
        '---',
        pod('private', ['REGISTRY_BASIC/private/app:1.0', '"deploy:canary-in-image-77@REGISTRY_OPEN/team/api:1.4.2"'], 'imagePullSecrets:\n  - name: wrong')
      ].join('\n')
    })
    const result = await scan(dir)
    expect(result.findings.map((finding) => finding.rule).sort()).toEqual(['credentials-in-reference', 'pull-secret-rejected'])
    const serialized = JSON.stringify(result)
    for (const secret of ['canary-wrong-password-51', 'canary-in-image-77', CI_USER.password, POD_USER.password]) expect(serialized).not.toContain(secret)
  })

  it('trusts extra CA certificates from caFiles and from NODE_EXTRA_CA_CERTS in the given environment, and names a bad CA file', async () => {
    const dir = await project({ 'tls.yaml': pod('tls', ['REGISTRY_TLS/team/api:1.4.2']) })
    const caFile = environment.placeholders.get('REGISTRY_TLS_CA_FILE')!
    const statuses = async (config: Partial<ScanConfig>, env: NodeJS.ProcessEnv): Promise<string[]> => {
      const result = await runScan({ paths: ['.'], cwd: dir, config: { ...defaultScanConfig(), ...config }, credentials, env })
      return result.images.map((image) => `${image.status} ${image.failure?.cause ?? ''}`.trim())
    }
    expect(await statuses({}, {})).toEqual(['unverified tls'])
    expect(await statuses({ caFiles: [caFile] }, {})).toEqual(['ok'])
    expect(await statuses({}, { NODE_EXTRA_CA_CERTS: caFile })).toEqual(['ok'])

    const notPem = path.join(dir, 'tls.yaml')
    const refused = await runScan({ paths: ['.'], cwd: dir, config: { ...defaultScanConfig(), caFiles: [notPem] }, credentials, env: {} }).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(ConfigurationError)
    expect((refused as ConfigurationError).message).toBe(`caFile: ${notPem} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`)
  })

  it('fetches from an index only the platform manifests whose sizes the configured and pod platforms need', async () => {
    // team/worker:3.1.0 is a Docker manifest list of linux/amd64, linux/arm64 and linux/arm/v7.
    const manifestRequests = async (files: Record<string, string>): Promise<{ stats: RegistryClientStats; sized: string[] }> => {
      const dir = await project(files)
      let client: RegistryClient | undefined
      const result = await runScan({
        paths: ['.'],
        cwd: dir,
        config: { ...defaultScanConfig(), platforms: ['linux/amd64'] },
        credentials,
        env: {},
        createRegistry: (options) => (client = new RegistryClient(options))
      })
      const platforms = result.images[0]!.facts!.platforms
      const sized = platforms.filter((platform) => platform.size !== null).map((platform) => `${platform.architecture}${platform.variant === null ? '' : `/${platform.variant}`}`)
      return { stats: client!.stats(), sized }
    }

    const configured = await manifestRequests({ 'worker.yaml': pod('worker', ['REGISTRY_OPEN/team/worker:3.1.0']) })
    // One HEAD of the list, one GET of the list, one GET of the linux/amd64 image manifest.
    expect(configured.stats.byPurpose['manifest']).toBe(3)
    expect(configured.stats.byMethod['HEAD']).toBe(1)
    expect(configured.sized).toEqual(['amd64'])

    // A pod pinned to arm64 adds that platform's manifest; linux/arm/v7 is still never fetched.
    const withPod = await manifestRequests({
      'worker.yaml': pod('worker', ['REGISTRY_OPEN/team/worker:3.1.0']),
      'arm.yaml': pod('arm', ['REGISTRY_OPEN/team/worker:3.1.0'], 'nodeSelector:\n  kubernetes.io/arch: arm64')
    })
    expect(withPod.stats.byPurpose['manifest']).toBe(4)
    expect(withPod.sized).toEqual(['amd64', 'arm64/v8'])
  })

  it('asks the registries only about the selected uses; the others are skipped with the reason, their offline checks still run', async () => {
    const dir = await project({
      'apps.yaml': [
        pod('a', ['REGISTRY_OPEN/team/web:v2.0.1', 'REGISTRY_OPEN/team/api:1.4.2', 'REGISTRY_OPEN/team/web']),
        '---',
        pod('b', ['REGISTRY_BASIC/private/app:1.0'], 'imagePullSecrets:\n  - name: missing')
      ].join('\n')
    })
    const client = countingClient()
    const seen: string[] = []
    try {
      const result = await runScan({
        paths: ['.'],
        cwd: dir,
        config: defaultScanConfig(),
        credentials,
        env: {},
        registry: client,
        selection: {
          select: (use, pullSecretRefs) => {
            seen.push(`${use.line} ${pullSecretRefs.map((ref) => `${ref.name}@${ref.line}`).join(',')}`)
            return use.line === 10 || pullSecretRefs.some((ref) => ref.line === 20)
          },
          reason: 'not changed by this test'
        }
      })
      const open = environment.placeholders.get('REGISTRY_OPEN')!
      const basic = environment.placeholders.get('REGISTRY_BASIC')!
      expect(seen).toEqual(['8 ', '10 ', '12 ', '23 missing@20'])
      expect(client.asked.sort()).toEqual([`lookup ${basic}/private/app:1.0 tool`, `lookup ${open}/team/api:1.4.2 anonymous`].sort())
      expect(result.images.map((image) => [image.line, image.status, image.skipReason ?? null])).toEqual([
        [8, 'skipped', 'not changed by this test'],
        [10, 'ok', null],
        [12, 'skipped', 'not changed by this test'],
        [23, 'ok', null]
      ])
      // No tag-not-found for line 8; the offline latest-tag check still applies to line 12.
      expect(result.findings.map((finding) => `${finding.line} ${finding.rule}`)).toEqual(['12 latest-tag', '23 pull-secret-not-found'])
    } finally {
      await client.close()
    }
  })

  it('asks only whether a never-pulled image (imagePullPolicy: Never) exists, never about the kubelet\'s way in', async () => {
    const basic = environment.placeholders.get('REGISTRY_BASIC')!
    const asked = async (policy: string): Promise<{ asked: string[]; findings: string[]; status: string }> => {
      const dir = await project({ 'node-cache.yaml': pod('node-cache', ['REGISTRY_BASIC/private/app:1.0']).replace(/(\n {6}image: .*)$/, `$1\n      imagePullPolicy: ${policy}`) })
      const client = countingClient()
      try {
        const result = await scan(dir, {}, client)
        return { asked: client.asked.sort(), findings: result.findings.map((finding) => `${finding.line} ${finding.rule}`), status: result.images[0]!.status }
      } finally {
        await client.close()
      }
    }
    expect(await asked('IfNotPresent')).toEqual({
      asked: [`lookup ${basic}/private/app:1.0 anonymous`, `lookup ${basic}/private/app:1.0 tool`],
      findings: ['8 auth-required'],
      status: 'problem'
    })
    expect(await asked('Never')).toEqual({ asked: [`lookup ${basic}/private/app:1.0 tool`], findings: [], status: 'ok' })
  })
})
