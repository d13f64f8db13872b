// Starts the real CNCF distribution registry (the Debian `docker-registry` binary, the same program
// as the `registry:2` image) on 127.0.0.1 with a free port, in each configuration the client must
// handle: open plain HTTP, htpasswd Basic auth, token auth with a token server the tests own, TLS
// with a test CA (valid, expired or wrong-host certificate), and pull-through cache (a mirror).
// Every registry gets its own temp dir for config and storage; stop() kills it and removes them.
import bcrypt from 'bcryptjs'
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import http from 'node:http'
import https from 'node:https'
import path from 'node:path'
import { stringify } from 'yaml'
import { createTestCertificateAuthority, type ServerCertificateKind, type TestCertificateAuthority } from './certificates.js'
import { makeTempDir, removeTempDir } from './temp-dir.js'
import { startTokenServer, TOKEN_ADMIN, type TokenServer, type TokenServerOptions } from './token-server.js'

/** How the registry authenticates pulls. */
export type RegistryAuth =
  | { kind: 'none' }
  /** htpasswd Basic auth; `users` maps user → password (the harness's push user is always added). */
  | { kind: 'htpasswd'; users?: Record<string, string> }
  /**
   * Token auth. Pass a started `tokenServer` to share it (the test stops it), or `tokenServerOptions`
   * to have one started and stopped with the registry. `realm` overrides the realm URL the registry
   * names in its challenges (e.g. a fault proxy in front of the token server, or an http:// realm
   * on a non-loopback host that the client must refuse to send credentials to).
   */
  | { kind: 'token'; tokenServer?: TokenServer; tokenServerOptions?: TokenServerOptions; realm?: string }

export interface StartRegistryOptions {
  auth?: RegistryAuth
  /** Serve HTTPS with a certificate from the test CA (a new CA unless `ca` is given). */
  tls?: { certificate: ServerCertificateKind; ca?: TestCertificateAuthority }
  /** Run as a pull-through cache of another registry (distribution's `proxy.remoteurl`): a mirror. */
  pullThroughCacheOf?: { remoteUrl: string; username?: string; password?: string }
}

export interface TestRegistry {
  /** 127.0.0.1:PORT, as written in image references. */
  host: string
  /** http://127.0.0.1:PORT or https://127.0.0.1:PORT */
  url: string
  /** The CA that signed the registry's certificate, for TLS registries. */
  caPem?: string
  caFile?: string
  /** What the harness pushes with; null when the registry needs no credentials. */
  pushCredentials: { username: string; password: string } | null
  /** The token server of a token-auth registry. */
  tokenServer?: TokenServer
  stop(): Promise<void>
}

/** The harness's own push user on every htpasswd registry. */
export const HTPASSWD_ADMIN = { username: 'pullcheck-admin', password: 'admin-password-7c2e' }

const running = new Set<ChildProcess>()
process.once('exit', () => {
  // A test that failed before its afterAll must still not leave registries behind.
  for (const child of running) child.kill('SIGKILL')
})

function waitForListenAddress(child: ChildProcess, log: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`docker-registry did not start within 15 s:\n${log()}`)), 15_000)
    const onData = (): void => {
      const match = /listening on (127\.0\.0\.1:\d+)/.exec(log())
      if (match !== null) done(null, match[1])
    }
    const onExit = (code: number | null): void => done(new Error(`docker-registry exited with ${code}:\n${log()}`))
    function done(error: Error | null, address?: string): void {
      clearTimeout(timer)
      child.stderr?.off('data', onData)
      child.off('exit', onExit)
      if (error !== null) reject(error)
      else resolve(address!)
    }
    child.stderr?.on('data', onData)
    child.once('exit', onExit)
  })
}

/** Resolves once GET /v2/ gets any HTTP answer. */
async function waitUntilAnswering(url: string): Promise<void> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const answered = await new Promise<boolean>((resolve) => {
      const client = url.startsWith('https:') ? https : http
      const request = client.get(`${url}/v2/`, { rejectUnauthorized: false, timeout: 1000 }, (response) => {
        response.resume()
        resolve(true)
      })
      request.on('error', () => resolve(false))
      request.on('timeout', () => request.destroy())
    })
    if (answered) return
    if (Date.now() > deadline) throw new Error(`registry at ${url} did not answer within 15 s`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Starts a registry; resolves once it answers on /v2/. Always call stop(). */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const auth = options.auth ?? { kind: 'none' }
  const dir = await makeTempDir('registry')
  const cleanups: Array<() => Promise<void>> = [() => removeTempDir(dir)]
  const cleanup = async (): Promise<void> => {
    for (const step of cleanups.reverse()) await step().catch(() => undefined)
  }

  try {
    const config: Record<string, unknown> = {
      version: 0.1,
      log: { level: 'info', formatter: 'text', accesslog: { disabled: true } },
      storage: {
        filesystem: { rootdirectory: path.join(dir, 'data') },
        delete: { enabled: true },
        maintenance: { uploadpurging: { enabled: false } }
      },
      http: { addr: '127.0.0.1:0', secret: randomBytes(16).toString('hex') }
    }
    const httpSection = config.http as Record<string, unknown>

    let pushCredentials: TestRegistry['pushCredentials'] = null
    let tokenServer: TokenServer | undefined
    if (auth.kind === 'htpasswd') {
      const users = { [HTPASSWD_ADMIN.username]: HTPASSWD_ADMIN.password, ...auth.users }
      const lines = Object.entries(users).map(([user, password]) => `${user}:${bcrypt.hashSync(password, 4)}`)
      const htpasswdFile = path.join(dir, 'htpasswd')
      await writeFile(htpasswdFile, `${lines.join('\n')}\n`)
      config.auth = { htpasswd: { realm: 'pullcheck-test', path: htpasswdFile } }
      pushCredentials = HTPASSWD_ADMIN
    } else if (auth.kind === 'token') {
      tokenServer = auth.tokenServer
      if (tokenServer === undefined) {
        const owned = await startTokenServer(auth.tokenServerOptions)
        cleanups.push(() => owned.stop())
        tokenServer = owned
      }
      config.auth = {
        token: {
          realm: auth.realm ?? tokenServer.realm,
          service: tokenServer.service,
          issuer: tokenServer.issuer,
          rootcertbundle: tokenServer.signingCertificateFile
        }
      }
      pushCredentials = TOKEN_ADMIN
    }

    let caPem: string | undefined
    let caFile: string | undefined
    if (options.tls !== undefined) {
      let ca = options.tls.ca
      if (ca === undefined) {
        const owned = await createTestCertificateAuthority()
        cleanups.push(() => owned.dispose())
        ca = owned
      }
      const certificate = await ca.issueServerCertificate(options.tls.certificate)
      httpSection.tls = { certificate: certificate.certificateFile, key: certificate.keyFile }
      caPem = ca.caPem
      caFile = ca.caFile
    }

    if (options.pullThroughCacheOf !== undefined) {
      const { remoteUrl, username, password } = options.pullThroughCacheOf
      config.proxy = { remoteurl: remoteUrl, ...(username === undefined ? {} : { username, password }) }
    }

    const configFile = path.join(dir, 'config.yml')
    await writeFile(configFile, stringify(config))
    const child = spawn('docker-registry', ['serve', configFile], { stdio: ['ignore', 'ignore', 'pipe'] })
    running.add(child)
    let log = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (log.length < 200_000) log += chunk
    })
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
        await exited
        clearTimeout(timer)
      }
      running.delete(child)
    })

    const host = await waitForListenAddress(child, () => log)
    const url = `${options.tls === undefined ? 'http' : 'https'}://${host}`
    await waitUntilAnswering(url)
    return {
      host,
      url,
      ...(caPem === undefined ? {} : { caPem, caFile }),
      pushCredentials,
      ...(tokenServer === undefined ? {} : { tokenServer }),
      stop: cleanup
    }
  } catch (error) {
    await cleanup()
    throw error
  }
}
