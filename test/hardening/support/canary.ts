// Canary credentials: unique marker strings given to pullcheck through every channel it takes
// credentials from, real registries that need them (each behind a recording proxy, so every
// Authorization header is known with the host it reached), a credential helper that logs who asked,
// and a workspace whose manifests exercise every output. Then: find the markers — plain, URL-encoded
// or inside base64 at any alignment — anywhere they must not be.
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startFaultProxy, type FaultProxy, type RecordedRequest } from '../../support/registry/fault-proxy.js'
import { pushImage, type ImageSpec } from '../../support/registry/push.js'
import { startRegistry } from '../../support/registry/registry.js'
import { startTokenServer } from '../../support/registry/token-server.js'

/** The marker strings, one per channel; each is unique to the run. */
export interface Canaries {
  /** Action input `registry-auth` / CLI `--registry-auth FILE`: the password for registry A. */
  input: string
  /** Docker config.json `auths` (password and base64 `auth`): a password the token server of registry B refuses. */
  dockerConfig: string
  /** What the credential helper answers for registry C. */
  helper: string
  /** A pull secret in the scanned manifests whose password registry A refuses. */
  pullSecretWrong: string
  /** A pull secret in the scanned manifests that registry A accepts. */
  pullSecretRight: string
  /** An Opaque Secret in the scanned manifests: not a pull secret, never to be echoed. */
  opaqueSecret: string
  /** A password written into an image string. */
  inImage: string
  /** `GITHUB_TOKEN` / the action's `github-token` input (pullcheck's credential for ghcr.io). */
  githubToken: string
}

function marker(channel: string): string {
  return `pcanary-${channel}-${randomBytes(8).toString('hex')}`
}

/** The parts of the base64 (and base64url) encodings of `text` that do not depend on what surrounds it. */
function base64Inner(text: string): string[] {
  const forms: string[] = []
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.from(`${'\0'.repeat(shift)}${text}`).toString('base64')
    // Characters that also depend on the bytes before or after the text are dropped.
    const inner = encoded.slice(shift === 0 ? 0 : 4, -4)
    forms.push(inner, inner.replace(/\+/g, '-').replace(/\//g, '_'))
  }
  return forms
}

/**
 * Every form in which `secret` could leak: plain, URL-encoded, inside base64 at any alignment, and
 * inside base64 of that (a `.dockerconfigjson` value holds the base64 `auth` of `user:password`).
 */
export function leakForms(secret: string): string[] {
  const once = base64Inner(secret)
  return [...new Set([secret, encodeURIComponent(secret), ...once, ...once.flatMap(base64Inner)])]
}

/** Where any canary (in any form) occurs in `text`, as `channel (form) in label`. */
export function findLeaks(canaries: Canaries, text: string, label: string): string[] {
  const leaks = new Set<string>()
  for (const [channel, secret] of Object.entries(canaries)) {
    for (const form of leakForms(secret)) if (text.includes(form)) leaks.add(`${channel} (${form === secret ? 'plain' : 'encoded'}) in ${label}`)
  }
  return [...leaks]
}

/** The user names that go with the canary passwords. */
export const USERS = {
  input: 'ci-input-user',
  dockerConfig: 'ci-docker-user',
  helper: 'ci-helper-user',
  pod: 'pod-user',
  inImage: 'deployer'
} as const

export interface CanaryEnvironment {
  canaries: Canaries
  /** Proxies (all recording) in front of: A (htpasswd), B (token auth), B's token realm, C (htpasswd), and the other origin A's blobs are redirected to. */
  proxies: { a: FaultProxy; b: FaultProxy; realm: FaultProxy; c: FaultProxy; blobs: FaultProxy }
  /** The scanned workspace (manifests only; its files hold the pull-secret canaries by design). */
  workspace: string
  /** Outside the workspace: the registry-auth file, the Docker config directory, the helper's bin directory and log. */
  runner: { home: string; registryAuthFile: string; dockerConfigDir: string; binDir: string; helperLog: string }
  /** The --registry-auth / registry-auth text. */
  registryAuth: string
  /** Every recorded request, by proxy name. */
  recorded(): Record<keyof CanaryEnvironment['proxies'], RecordedRequest[]>
  clearRecords(): void
  stop(): Promise<void>
}

const SCHEMA2: ImageSpec = { kind: 'docker-schema2', seed: 'canary-app' }

/** The helper: answers for one host, says "not found" for the rest, and logs every server URL it is asked for. */
function helperScript(host: string, secret: string, log: string): string {
  return [
    '#!/bin/sh',
    'read server',
    `echo "$server" >> '${log}'`,
    `if [ "$server" = '${host}' ]; then`,
    `  printf '{"ServerURL":"%s","Username":"${USERS.helper}","Secret":"${secret}"}' "$server"`,
    '  exit 0',
    'fi',
    'echo "credentials not found in native keychain"',
    'exit 1',
    ''
  ].join('\n')
}

function manifests(env: { a: string; b: string; c: string }, canaries: Canaries): Record<string, string> {
  const pod = (name: string, image: string, secret?: string): string =>
    [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      `  name: ${name}`,
      '  namespace: shop',
      'spec:',
      ...(secret === undefined ? [] : ['  imagePullSecrets:', `    - name: ${secret}`]),
      '  containers:',
      '    - name: app',
      `      image: ${image}`
    ].join('\n') + '\n'
  const dockerconfig = (password: string): string =>
    JSON.stringify({ auths: { [env.a]: { username: USERS.pod, password, auth: Buffer.from(`${USERS.pod}:${password}`).toString('base64') } } })
  const secret = (name: string, password: string): string =>
    ['apiVersion: v1', 'kind: Secret', 'metadata:', `  name: ${name}`, '  namespace: shop', 'type: kubernetes.io/dockerconfigjson', 'data:', `  .dockerconfigjson: ${Buffer.from(dockerconfig(password)).toString('base64')}`].join('\n') + '\n'
  return {
    'deploy/secrets.yaml': [
      secret('regcred-wrong', canaries.pullSecretWrong),
      secret('regcred-right', canaries.pullSecretRight),
      ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: app-settings', '  namespace: shop', 'type: Opaque', 'stringData:', `  password: ${canaries.opaqueSecret}`].join('\n') + '\n'
    ].join('---\n'),
    // Registry A: the pod's pull secret is refused (pull-secret-rejected), or accepted.
    'deploy/rejected.yaml': pod('rejected', `${env.a}/team/app:1.0`, 'regcred-wrong'),
    'deploy/accepted.yaml': pod('accepted', `${env.a}/team/app:1.0`, 'regcred-right'),
    // Registry A through the tool's own credentials, a missing tag (suggestions list the tags), a blob redirected elsewhere.
    'deploy/missing.yaml': pod('missing', `${env.a}/team/app:1.1`, 'regcred-right'),
    'deploy/redirected.yaml': pod('redirected', `${env.a}/team/other:2.0`, 'regcred-right'),
    // Registry B: Docker config credentials its token server refuses.
    'deploy/token.yaml': pod('token', `${env.b}/private/app:1.0`),
    // Registry C: credentials from the helper.
    'deploy/helper.yaml': pod('helper', `${env.c}/team/app:1.0`),
    // ghcr.io: GITHUB_TOKEN is pullcheck's credential there (the host may not resolve here).
    'deploy/ghcr.yaml': pod('ghcr', 'ghcr.io/acme/private-app:1.0'),
    // A password written into the image string itself.
    'deploy/in-image.yaml': pod('in-image', `${USERS.inImage}:${canaries.inImage}@${env.a}/team/app:1.0`)
  }
}

/** Starts everything and writes the workspace and the runner's credential files. Always call stop(). */
export async function startCanaryEnvironment(): Promise<CanaryEnvironment> {
  const canaries: Canaries = {
    input: marker('input'),
    dockerConfig: marker('docker'),
    helper: marker('helper'),
    pullSecretWrong: marker('pullwrong'),
    pullSecretRight: marker('pullright'),
    opaqueSecret: marker('opaque'),
    inImage: marker('inimage'),
    githubToken: marker('ghtoken')
  }
  const stops: Array<() => Promise<void>> = []
  const stop = async (): Promise<void> => {
    for (const stopOne of stops.reverse()) await stopOne().catch(() => undefined)
  }
  try {
    const track = <T extends { stop(): Promise<void> }>(started: T): T => {
      stops.push(() => started.stop())
      return started
    }
    const registryA = track(await startRegistry({ auth: { kind: 'htpasswd', users: { [USERS.input]: canaries.input, [USERS.pod]: canaries.pullSecretRight } } }))
    const blobsRegistry = track(await startRegistry())
    const tokenServer = track(await startTokenServer({ users: { [USERS.dockerConfig]: { password: 'the-right-password-is-not-the-canary' } }, anonymousPullPrefixes: [] }))
    const realm = track(await startFaultProxy({ upstream: new URL(tokenServer.realm).origin }))
    const registryB = track(await startRegistry({ auth: { kind: 'token', tokenServer, realm: `${realm.url}${new URL(tokenServer.realm).pathname}` } }))
    const registryC = track(await startRegistry({ auth: { kind: 'htpasswd', users: { [USERS.helper]: canaries.helper } } }))
    const a = track(await startFaultProxy({ upstream: registryA.url }))
    const blobs = track(await startFaultProxy({ upstream: blobsRegistry.url }))
    const b = track(await startFaultProxy({ upstream: registryB.url }))
    const c = track(await startFaultProxy({ upstream: registryC.url }))

    await pushImage(registryA, 'team/app', '1.0', SCHEMA2)
    await pushImage(registryA, 'team/other', '2.0', { ...SCHEMA2, seed: 'canary-other' })
    // The same bytes on the open registry behind `blobs`: A's blob downloads are redirected there.
    await pushImage(blobsRegistry, 'team/other', '2.0', { ...SCHEMA2, seed: 'canary-other' })
    await pushImage(registryB, 'private/app', '1.0', SCHEMA2)
    await pushImage(registryC, 'team/app', '1.0', SCHEMA2)
    a.setFaults([{ match: { method: 'GET', path: /^\/v2\/team\/other\/blobs\// }, fault: { kind: 'redirect', location: (requestPath) => `${blobs.url}${requestPath}` } }])

    const workspace = await mkdtemp(path.join(tmpdir(), 'pullcheck-canary-ws-'))
    stops.push(() => rm(workspace, { recursive: true, force: true }))
    const home = await mkdtemp(path.join(tmpdir(), 'pullcheck-canary-runner-'))
    stops.push(() => rm(home, { recursive: true, force: true }))
    for (const [file, text] of Object.entries(manifests({ a: a.host, b: b.host, c: c.host }, canaries))) {
      await mkdir(path.dirname(path.join(workspace, file)), { recursive: true })
      await writeFile(path.join(workspace, file), text)
    }
    const registryAuth = JSON.stringify([{ registry: a.host, username: USERS.input, password: canaries.input }])
    const registryAuthFile = path.join(home, 'registry-auth.json')
    await writeFile(registryAuthFile, registryAuth)
    const dockerConfigDir = path.join(home, 'docker')
    await mkdir(dockerConfigDir)
    await writeFile(
      path.join(dockerConfigDir, 'config.json'),
      JSON.stringify({
        auths: { [b.host]: { auth: Buffer.from(`${USERS.dockerConfig}:${canaries.dockerConfig}`).toString('base64') } },
        credHelpers: { [c.host]: 'canary' }
      })
    )
    const binDir = path.join(home, 'bin')
    await mkdir(binDir)
    const helperLog = path.join(home, 'helper.log')
    await writeFile(path.join(binDir, 'docker-credential-canary'), helperScript(c.host, canaries.helper, helperLog))
    await chmod(path.join(binDir, 'docker-credential-canary'), 0o755)

    const proxies = { a, b, realm, c, blobs }
    return {
      canaries,
      proxies,
      workspace,
      runner: { home, registryAuthFile, dockerConfigDir, binDir, helperLog },
      registryAuth,
      recorded: () => ({ a: [...a.requests], b: [...b.requests], realm: [...realm.requests], c: [...c.requests], blobs: [...blobs.requests] }),
      clearRecords: () => {
        for (const proxy of Object.values(proxies)) proxy.requests.length = 0
      },
      stop
    }
  } catch (error) {
    await stop()
    throw error
  }
}

/** The credential (user, password) a Basic header carries, or null for any other header. */
export function basicCredential(authorization: string | null): { user: string; password: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '')
  if (match === null) return null
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon === -1 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

/** Files under `root` (recursively) with their size and modification time, to tell which a run wrote. */
export async function fileStates(root: string): Promise<Map<string, string>> {
  const states = new Map<string, string>()
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) await walk(full)
      else if (entry.isFile()) {
        const info = await stat(full)
        states.set(full, `${info.size}:${info.mtimeMs}`)
      }
    }
  }
  await walk(root)
  return states
}

/** The text of every file under the roots that was written since `before` was taken. */
export async function writtenFiles(roots: string[], before: Map<string, string>): Promise<Array<{ file: string; text: string }>> {
  const written: Array<{ file: string; text: string }> = []
  for (const root of roots) {
    for (const [file, state] of await fileStates(root)) {
      if (before.get(file) !== state) written.push({ file, text: await readFile(file, 'utf8') })
    }
  }
  return written
}
