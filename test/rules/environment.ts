// The registries the rule fixtures and the demo run against: real CNCF distribution registries on
// 127.0.0.1 (open, htpasswd Basic auth, token auth, TLS with an untrusted CA), a closed port, a
// listener that never answers and a proxy that always answers 429 — with the images the fixtures
// name pushed into them. Fixtures carry placeholders (REGISTRY_OPEN, DIGEST_WEB, …) that
// `substitutePlaceholders` replaces with this run's addresses and digests; fixtures/rules/README.md
// lists them.
import { findClosedPort, startFaultProxy, startSilentListener, type FaultProxy, type SilentListener } from '../support/registry/fault-proxy.js'
import { pushImage } from '../support/registry/push.js'
import { startRegistry, type TestRegistry } from '../support/registry/registry.js'

/** The pod's pull-secret user: allowed to pull `private/…` on the Basic-auth and token-auth registries. */
export const POD_USER = { username: 'alice', password: 'alice-pull-password' }
/** The CI's own user (pullcheck's `registry-auth`): may pull everything on both registries. */
export const CI_USER = { username: 'ci-bot', password: 'ci-bot-password' }

export interface RuleEnvironment {
  /** Placeholder → value for this run. */
  placeholders: ReadonlyMap<string, string>
  /** pullcheck's own credentials, as a `registry-auth` list (JSON). */
  registryAuth: string
  stop(): Promise<void>
}

const PLACEHOLDER = /\b(?:REGISTRY|DIGEST)_[A-Z0-9_]+\b/g

/** Replaces every placeholder in `text`; an unknown placeholder is an error (a typo in a fixture). */
export function substitutePlaceholders(text: string, placeholders: ReadonlyMap<string, string>): string {
  return text.replace(PLACEHOLDER, (name) => {
    const value = placeholders.get(name)
    if (value === undefined) throw new Error(`unknown placeholder ${name} (see fixtures/rules/README.md)`)
    return value
  })
}

/** Starts everything, pushes the images, and returns the placeholders. `stop()` ends all of it. */
export async function startRuleEnvironment(): Promise<RuleEnvironment> {
  const stops: Array<() => Promise<void>> = []
  const stop = async (): Promise<void> => {
    await Promise.allSettled(stops.reverse().map((stopOne) => stopOne()))
  }
  try {
    const track = <T extends { stop(): Promise<void> }>(started: T): T => {
      stops.push(() => started.stop())
      return started
    }
    const [open, basic, token, tls, silent] = await Promise.all([
      startRegistry().then(track),
      startRegistry({ auth: { kind: 'htpasswd', users: { [POD_USER.username]: POD_USER.password, [CI_USER.username]: CI_USER.password } } }).then(track),
      startRegistry({
        auth: {
          kind: 'token',
          tokenServerOptions: {
            users: {
              [POD_USER.username]: { password: POD_USER.password, pullPrefixes: ['private/', 'public/'] },
              [CI_USER.username]: { password: CI_USER.password }
            },
            anonymousPullPrefixes: ['public/']
          }
        }
      }).then(track),
      startRegistry({ tls: { certificate: 'valid' } }).then(track),
      startSilentListener().then(track) as Promise<SilentListener>
    ])
    const rateLimited: FaultProxy = track(
      await startFaultProxy({ upstream: open.url, faults: [{ fault: { kind: 'status', status: 429, retryAfter: '0' } }] })
    )
    const closedPort = await findClosedPort()
    const digests = await pushCatalog(open, basic, token, tls)
    const placeholders = new Map<string, string>([
      ['REGISTRY_OPEN', open.host],
      ['REGISTRY_BASIC', basic.host],
      ['REGISTRY_TOKEN', token.host],
      ['REGISTRY_TLS', tls.host],
      ['REGISTRY_TLS_CA_FILE', tls.caFile!],
      ['REGISTRY_SILENT', silent.host],
      ['REGISTRY_CLOSED', `127.0.0.1:${closedPort}`],
      ['REGISTRY_RATE_LIMITED', rateLimited.host],
      ...digests
    ])
    const registryAuth = JSON.stringify([
      { registry: basic.host, ...CI_USER },
      { registry: token.host, ...CI_USER }
    ])
    return { placeholders, registryAuth, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

/** Pushes the images the fixtures name; returns the DIGEST_… placeholders. */
async function pushCatalog(open: TestRegistry, basic: TestRegistry, token: TestRegistry, tls: TestRegistry): Promise<Array<[string, string]>> {
  const amd64 = { os: 'linux', architecture: 'amd64' }
  const arm64 = { os: 'linux', architecture: 'arm64', variant: 'v8' }
  const armV7 = { os: 'linux', architecture: 'arm', variant: 'v7' }
  const [web] = await Promise.all([
    pushImage(open, 'team/web', 'v2.0.0', { kind: 'oci-index', platforms: [amd64, arm64], attestations: true, seed: 'web-2.0.0' }),
    pushImage(open, 'team/web', 'v1.9.0', { kind: 'oci-index', platforms: [amd64, arm64], seed: 'web-1.9.0' }),
    pushImage(open, 'team/web', 'latest', { kind: 'oci-index', platforms: [amd64, arm64], seed: 'web-latest' }),
    pushImage(open, 'team/web', 'v2.0.0-rc1', { kind: 'docker-schema2', platform: amd64, seed: 'web-2.0.0-rc1' }),
    pushImage(open, 'team/api', '1.4.2', { kind: 'docker-schema2', platform: amd64, seed: 'api-1.4.2' }),
    pushImage(open, 'team/worker', '3.1.0', { kind: 'docker-list', platforms: [amd64, arm64, armV7], seed: 'worker-3.1.0' }),
    pushImage(open, 'team/arm-only', '1.0', { kind: 'oci-manifest', platform: arm64, seed: 'arm-only' }),
    pushImage(open, 'team/amd64-list', '1.0', { kind: 'docker-list', platforms: [amd64], seed: 'amd64-list' }),
    pushImage(open, 'team/big', '1.0', { kind: 'declared-size', declaredLayerSizes: [2 * 1024 ** 3, 1024 ** 3], platform: amd64, seed: 'big' }),
    pushImage(tls, 'team/api', '1.4.2', { kind: 'docker-schema2', platform: amd64, seed: 'tls-api-1.4.2' }),
    pushImage(basic, 'private/app', '1.0', { kind: 'docker-schema2', platform: amd64, seed: 'basic-app' }),
    pushImage(token, 'private/app', '1.0', { kind: 'docker-schema2', platform: amd64, seed: 'token-app' }),
    pushImage(token, 'public/tool', '1.0', { kind: 'docker-schema2', platform: amd64, seed: 'token-tool' })
  ])
  // A tag that moved: `team/moving:v1` first pointed to one image, then was pushed again.
  const before = await pushImage(open, 'team/moving', 'v1', { kind: 'oci-index', platforms: [amd64, arm64], seed: 'moving-before' })
  const after = await pushImage(open, 'team/moving', 'v1', { kind: 'oci-index', platforms: [amd64, arm64], seed: 'moving-after' })
  const webAmd64 = web.platforms.find((platform) => platform.architecture === 'amd64')!
  return [
    ['DIGEST_WEB', web.digest],
    ['DIGEST_WEB_AMD64', webAmd64.digest],
    ['DIGEST_MOVING_BEFORE', before.digest],
    ['DIGEST_MOVING_NOW', after.digest]
  ]
}
