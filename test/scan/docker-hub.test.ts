// Verdicts on Docker Hub answers, which no local registry gives, reproduced with undici's MockAgent
// behind the real RegistryClient:
// - Docker Hub answers 401 insufficient_scope, not 404, for a repository that does not exist, after
//   issuing an anonymous token for it anyway ("will always return 401 indiscriminately on both
//   unauthorized access to existing images, and non-existent images": hashicorp/terraform-provider-docker#140;
//   tokens for anything: docker/hub-feedback#1771). A short name that silently resolved to Docker Hub
//   must then be pointed out, since "private" and "missing" look the same there.
// - HEAD answers carry `ratelimit-limit` / `ratelimit-remaining` (docker/docs
//   content/manuals/docker-hub/usage/pulls.md); the scan reports the lowest budget it saw.
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { MockAgent } from 'undici'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultScanConfig } from '../../src/config/defaults.js'
import { emptyCredentialStore, RegistryClient } from '../../src/registry/index.js'
import { runScan } from '../../src/scan/index.js'

const HUB = 'https://registry-1.docker.io'
const CHALLENGE = 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io"'

let agent: MockAgent
let workDir: string

beforeEach(async () => {
  agent = new MockAgent()
  agent.disableNetConnect()
  workDir = await mkdtemp(path.join(tmpdir(), 'pullcheck-hub-'))
})

afterEach(async () => {
  await agent.close()
  await rm(workDir, { recursive: true, force: true })
})

function hubAnswersAnonymously(repository: string): void {
  agent.get(HUB).intercept({ path: '/v2/', method: 'GET' }).reply(401, '', { headers: { 'www-authenticate': CHALLENGE } }).persist()
  agent
    .get('https://auth.docker.io')
    .intercept({ path: `/token?service=registry.docker.io&scope=${encodeURIComponent(`repository:${repository}:pull`)}`, method: 'GET' })
    .reply(200, { token: 'anonymous-hub-token', expires_in: 300 })
}

async function scanFiles(files: Record<string, string>, ignoreImages: string[] = []): ReturnType<typeof runScan> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(workDir, file)), { recursive: true })
    await writeFile(path.join(workDir, file), text)
  }
  const registry = new RegistryClient({ credentials: emptyCredentialStore, dispatcher: agent, retry: { attempts: 1, baseDelayMs: 1 } })
  try {
    return await runScan({
      paths: ['.'],
      cwd: workDir,
      config: { ...defaultScanConfig(), ignore: { images: ignoreImages, paths: [] } },
      credentials: emptyCredentialStore,
      env: {},
      registry
    })
  } finally {
    await registry.close()
  }
}

const pod = (name: string, images: string[]): string =>
  ['apiVersion: v1', 'kind: Pod', 'metadata:', `  name: ${name}`, 'spec:', '  containers:', ...images.flatMap((image, i) => [`    - name: c${i}`, `      image: ${image}`])].join('\n')

describe('Docker Hub verdicts', () => {
  it('says a short name went to Docker Hub, where "missing" and "private" look alike, and suggests the team registry', async () => {
    hubAnswersAnonymously('library/web')
    agent
      .get(HUB)
      .intercept({ path: '/v2/library/web/manifests/v2.0.0', method: 'HEAD' })
      .reply(401, '', { headers: { 'www-authenticate': `${CHALLENGE},scope="repository:library/web:pull",error="insufficient_scope"` } })
    const result = await scanFiles(
      {
        'apps/team.yaml': pod('team', ['registry.acme.example/team/web:v2.0.0', 'registry.acme.example/team/api:1.4.2']),
        'apps/typo.yaml': pod('typo', ['web:v2.0.0'])
      },
      ['registry.acme.example/**']
    )
    expect(result.findings.map((finding) => `${finding.file}:${finding.line} ${finding.rule}=${finding.severity}`)).toEqual(['apps/typo.yaml:8 auth-required=error'])
    const [finding] = result.findings
    expect(finding!.message).toContain('pull access denied, repository does not exist or may require authorization')
    expect(finding!.message).toContain('the image is private or does not exist')
    expect(finding!.message).toContain(
      '"web" names no registry, so it resolved to Docker Hub (docker.io/library/web), while the other images in these files come from registry.acme.example; did you mean registry.acme.example/team/web?'
    )
    expect(finding!.fix).toBe('Write the registry host: registry.acme.example/team/web')
    expect(result.images.find((image) => image.file === 'apps/typo.yaml')).toMatchObject({ status: 'problem', failure: { status: 'auth-required' } })
  })

  it('reports the lowest pull budget Docker Hub announced', async () => {
    const config = JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } })
    const digestOf = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: digestOf(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: digestOf('layer'), size: 52_428_800 }]
    })
    hubAnswersAnonymously('library/nginx')
    const hub = agent.get(HUB)
    const headers = { 'content-type': 'application/vnd.docker.distribution.manifest.v2+json', 'docker-content-digest': digestOf(manifest) }
    hub
      .intercept({ path: '/v2/library/nginx/manifests/1.27.3', method: 'HEAD' })
      .reply(200, '', { headers: { ...headers, 'content-length': String(manifest.length), 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '41;w=21600' } })
    hub.intercept({ path: `/v2/library/nginx/manifests/${digestOf(manifest)}`, method: 'GET' }).reply(200, manifest, { headers })
    hub.intercept({ path: `/v2/library/nginx/blobs/${digestOf(config)}`, method: 'GET' }).reply(200, config)
    const result = await scanFiles({ 'web.yaml': pod('web', ['nginx:1.27.3', 'docker.io/library/nginx:1.27.3']) })
    expect(result.findings).toEqual([])
    expect(result.images.map((image) => image.status)).toEqual(['ok', 'ok'])
    expect(result.rateLimit).toEqual({ limit: 100, remaining: 41, windowSeconds: 21600, retryAfterSeconds: null })
  })
})
