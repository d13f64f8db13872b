// Registry benchmark (part of `npm run bench`): 500 unique tags pointing at 50 distinct images in a
// real local registry with token auth (anonymous pulls), behind proxies that add 25 ms each way —
// in front of the registry and of its token server. Reports pullcheck's wall time against the
// round-trip floor ((one HEAD per tag + manifest and config per distinct image) × RTT ÷ concurrency),
// the token requests it made, and `skopeo inspect` run sequentially over the same references
// (sampled and extrapolated), as ratios measured in the same run.
import { execFile, spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { emptyCredentialStore, RegistryClient } from '../src/registry/index.js'
import { parseReference } from '../src/reference/index.js'
import type { ImageReference } from '../src/model.js'
import { MEDIA_TYPES, pushImage, tagImage } from '../test/support/registry/push.js'
import { startRegistry, type TestRegistry } from '../test/support/registry/registry.js'
import { makeTempDir, removeTempDir } from '../test/support/registry/temp-dir.js'
import { startTokenServer, type TokenServer } from '../test/support/registry/token-server.js'

const run = promisify(execFile)

const DISTINCT_IMAGES = 50
const TAGS_PER_IMAGE = 10
const REPOSITORIES = 10
const ONE_WAY_MS = 25
const RTT_MS = 2 * ONE_WAY_MS
const CONCURRENCY = 8
const SKOPEO_SAMPLE = 20
const FLOOR_TARGET = 1.3
const SKOPEO_TARGET = 20

interface BenchImage {
  reference: string
  digest: string
}

function parse(text: string): ImageReference {
  const parsed = parseReference(text)
  if (!parsed.ok) throw new Error(`benchmark reference ${text} is invalid: ${parsed.error}`)
  return parsed.reference
}

async function seed(registry: TestRegistry, host: string): Promise<BenchImage[]> {
  const references: BenchImage[] = []
  // Pushes run a few at a time: seeding is not what is measured.
  const jobs = Array.from({ length: DISTINCT_IMAGES }, (_, image) => async () => {
    const repository = `public/app-${image % REPOSITORIES}`
    const pushed = await pushImage(registry, repository, `image${image}-t0`, { kind: 'docker-schema2', seed: `bench-${image}`, layerSizes: [2048, 1024] })
    for (let tag = 1; tag < TAGS_PER_IMAGE; tag += 1) await tagImage(registry, repository, pushed.digest, MEDIA_TYPES.dockerManifest, `image${image}-t${tag}`)
    for (let tag = 0; tag < TAGS_PER_IMAGE; tag += 1) references.push({ reference: `${host}/${repository}:image${image}-t${tag}`, digest: pushed.digest })
  })
  for (let start = 0; start < jobs.length; start += 5) await Promise.all(jobs.slice(start, start + 5).map((job) => job()))
  return references.sort((a, b) => a.reference.localeCompare(b.reference))
}

async function skopeoInspect(reference: string, authFile: string): Promise<string> {
  const { stdout } = await run('skopeo', ['inspect', '--tls-verify=false', '--no-tags', '--retry-times', '0', '--authfile', authFile, `docker://${reference}`], {
    maxBuffer: 4 * 1024 * 1024
  })
  return (JSON.parse(stdout) as { Digest: string }).Digest
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`

interface LatencyProxy {
  url: string
  host: string
  stop(): Promise<void>
}

/**
 * Starts the tests' fault proxy, with latency only, in a child process: the proxy stands for the
 * network, so its work must not share (and slow) the event loop of the client being measured.
 */
async function startLatencyProxy(upstream: string): Promise<LatencyProxy> {
  const module = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test', 'support', 'registry', 'fault-proxy.ts')
  const code = [
    `const { startFaultProxy } = await import(${JSON.stringify(module)})`,
    `const proxy = await startFaultProxy({ upstream: ${JSON.stringify(upstream)}, latencyMs: ${ONE_WAY_MS} })`,
    'process.stdout.write(JSON.stringify({ url: proxy.url, host: proxy.host }) + "\\n")',
    'process.stdin.resume()',
    'process.stdin.on("end", async () => { await proxy.stop(); process.exit(0) })'
  ].join('\n')
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const address = await new Promise<{ url: string; host: string }>((resolve, reject) => {
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
      if (output.includes('\n')) resolve(JSON.parse(output.split('\n')[0]!) as { url: string; host: string })
    })
    child.once('exit', (code) => reject(new Error(`latency proxy exited with ${code}`)))
  })
  return {
    ...address,
    async stop() {
      child.stdin.end()
      await exited
    }
  }
}

/** Runs the benchmark; `ok` is false when a target is missed or an answer is wrong. */
export async function runRegistryBenchmark(): Promise<{ markdown: string; ok: boolean }> {
  let tokenServer: TokenServer | undefined
  let tokenProxy: LatencyProxy | undefined
  let registry: TestRegistry | undefined
  let registryProxy: LatencyProxy | undefined
  const dir = await makeTempDir('bench')
  try {
    tokenServer = await startTokenServer({ anonymousPullPrefixes: ['public/'] })
    tokenProxy = await startLatencyProxy(`http://${tokenServer.host}`)
    registry = await startRegistry({ auth: { kind: 'token', tokenServer, realm: `${tokenProxy.url}/token` } })
    registryProxy = await startLatencyProxy(registry.url)
    const images = await seed(registry, registryProxy.host)

    tokenServer.requests.length = 0
    const client = new RegistryClient({ credentials: emptyCredentialStore, concurrencyPerHost: CONCURRENCY })
    const started = performance.now()
    const answers = await Promise.all(images.map((image) => client.lookup(parse(image.reference), { kind: 'anonymous' })))
    const wallMs = performance.now() - started
    const stats = client.stats()
    const tokenRequests = tokenServer.requests.length
    await client.close()
    const wrong = answers.filter((answer, i) => answer.status !== 'found' || answer.digest !== images[i]!.digest).length

    const heads = stats.byMethod.HEAD ?? 0
    const tokenGets = stats.byPurpose.token ?? 0
    // The HTTPS attempt of the first probe never reaches the proxy (it does not speak TLS).
    const gets = (stats.byMethod.GET ?? 0) - tokenGets - 1
    const averageRequestMs = stats.busyMs / stats.requests
    const floorRequests = images.length + 2 * DISTINCT_IMAGES
    const floorMs = (floorRequests * RTT_MS) / CONCURRENCY
    const floorRatio = wallMs / floorMs

    // skopeo, one reference after another, on an evenly spread sample.
    const authFile = path.join(dir, 'auth.json')
    const step = Math.floor(images.length / SKOPEO_SAMPLE)
    const sample = Array.from({ length: SKOPEO_SAMPLE }, (_, i) => images[i * step]!)
    let skopeoWrong = 0
    const skopeoStarted = performance.now()
    for (const image of sample) {
      if ((await skopeoInspect(image.reference, authFile)) !== image.digest) skopeoWrong += 1
    }
    const skopeoSampleMs = performance.now() - skopeoStarted
    const skopeoMs = (skopeoSampleMs / sample.length) * images.length
    const skopeoRatio = skopeoMs / wallMs

    const ok = wrong === 0 && skopeoWrong === 0 && floorRatio <= FLOOR_TARGET && skopeoRatio >= SKOPEO_TARGET
    const markdown = [
      `${images.length} unique tags → ${DISTINCT_IMAGES} distinct single-arch images in ${REPOSITORIES} repositories of a local distribution registry`,
      `with token auth (anonymous pulls), registry and token server each behind a proxy adding ${ONE_WAY_MS} ms each way (RTT ${RTT_MS} ms);`,
      `pullcheck with ${CONCURRENCY} concurrent requests per host, Node ${process.versions.node}.`,
      '',
      '| Measure | Value |',
      '| --- | --- |',
      `| pullcheck wall time | ${seconds(wallMs)} |`,
      `| Round-trip floor: (${images.length} HEAD + ${DISTINCT_IMAGES} × (manifest + config)) × ${RTT_MS} ms ÷ ${CONCURRENCY} | ${seconds(floorMs)} |`,
      `| pullcheck ÷ floor (target ≤ ${FLOOR_TARGET}×) | ${floorRatio.toFixed(2)}× |`,
      `| Average request time seen by pullcheck (nominal RTT ${RTT_MS} ms; the rest is proxy, registry and machine load) | ${averageRequestMs.toFixed(1)} ms |`,
      `| Registry requests: HEAD / GET (the GETs include 1 probe of /v2/) | ${heads} / ${gets} |`,
      `| Token requests (one per repository and identity) | ${tokenRequests} (${tokenGets} sent) |`,
      `| Retries | ${stats.retries} |`,
      `| skopeo inspect --no-tags, sequential (${sample.length} sampled, × ${images.length / sample.length}) | ${seconds(skopeoMs)} (${(skopeoSampleMs / sample.length).toFixed(0)} ms per reference) |`,
      `| skopeo ÷ pullcheck (target ≥ ${SKOPEO_TARGET}×) | ${skopeoRatio.toFixed(1)}× |`,
      `| Wrong answers (pullcheck / skopeo sample) | ${wrong} / ${skopeoWrong} |`
    ].join('\n')
    return { markdown, ok }
  } finally {
    await registryProxy?.stop()
    await registry?.stop()
    await tokenProxy?.stop()
    await tokenServer?.stop()
    await removeTempDir(dir)
  }
}
