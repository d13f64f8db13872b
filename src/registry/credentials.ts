// The tool's own registry credentials, each usable only for the registry host it names. Sources, in
// order: the explicit list (`registry-auth` input, `--registry-auth FILE`, env PULLCHECK_REGISTRY_AUTH),
// the runner's Docker config.json (credHelpers, inline auths, credsStore), and GITHUB_TOKEN for
// ghcr.io inside GitHub Actions. Credential helpers run lazily, only for hosts actually contacted.
// No message built here ever contains a credential value.
import { readFile, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseDocument } from 'yaml'
import { ConfigurationError, getErrorMessage } from '../errors.js'
import { silentLogger, type Logger } from '../logger.js'
import { isValidHelperName, runCredentialHelper } from './credential-helper.js'

/** A credential for one registry host. */
export type RegistryCredential =
  /** Username and password (or access token used as a password): Basic to the registry or its token realm. */
  | { kind: 'basic'; username: string; password: string }
  /** An OAuth2 refresh token (Docker's `identitytoken`), exchanged at the token realm. */
  | { kind: 'identity-token'; username: string | null; token: string }
  /** A bearer token sent to the registry as it is (Docker's `registrytoken`). */
  | { kind: 'registry-token'; token: string }

/** Where the tool's credentials come from; each is looked up by registry host. */
export interface CredentialStore {
  /**
   * The credential for a registry host as written in image references (`docker.io`, `ghcr.io`,
   * `localhost:5000`), or null for anonymous access.
   */
  get(registry: string): Promise<RegistryCredential | null>
}

/** A store without credentials: every registry is accessed anonymously. */
export const emptyCredentialStore: CredentialStore = {
  get: () => Promise.resolve(null)
}

const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'])
/** The key Docker uses for Docker Hub in config.json and when asking credential helpers. */
export const DOCKER_HUB_CONFIG_KEY = 'https://index.docker.io/v1/'

/**
 * The registry host a credential key names: scheme and path dropped, lower-cased, Docker Hub's
 * aliases (`https://index.docker.io/v1/`, `registry-1.docker.io`, …) folded into `docker.io`.
 */
export function normalizeRegistryHost(key: string): string {
  let host = key.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
  const slash = host.indexOf('/')
  if (slash !== -1) host = host.slice(0, slash)
  host = host.toLowerCase()
  return DOCKER_HUB_ALIASES.has(host) ? 'docker.io' : host
}

/** What a credential helper is asked for: Docker Hub by its config key, other registries by host. */
function helperServerUrl(registry: string): string {
  return registry === 'docker.io' ? DOCKER_HUB_CONFIG_KEY : registry
}

const LIST_SHAPE = 'a YAML or JSON list of {registry, username, password} or {registry, token}'

/**
 * Parses the explicit credential list. Errors are ConfigurationErrors naming `source` and the entry
 * at fault, and never quote the text (it holds passwords).
 */
export function parseRegistryAuthList(text: string, source = 'registry-auth'): Map<string, RegistryCredential> {
  // prettyErrors computes linePos; the error's own message (which quotes the text) is never used.
  const document = parseDocument(text, { uniqueKeys: false, prettyErrors: true })
  if (document.errors.length > 0) {
    const position = document.errors[0]!.linePos?.[0]
    const where = position === undefined ? '' : ` (line ${position.line}, column ${position.col})`
    throw new ConfigurationError(`not valid YAML or JSON${where}; expected ${LIST_SHAPE}`, source)
  }
  const value = document.toJS() as unknown
  if (value === null || value === undefined) return new Map()
  if (!Array.isArray(value)) throw new ConfigurationError(`expected ${LIST_SHAPE}`, source)
  const credentials = new Map<string, RegistryCredential>()
  value.forEach((entry: unknown, index) => {
    const at = `${source}[${index}]`
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new ConfigurationError(`expected {registry, username, password} or {registry, token}`, at)
    }
    const fields = entry as Record<string, unknown>
    for (const key of Object.keys(fields)) {
      if (!['registry', 'username', 'password', 'token'].includes(key)) {
        throw new ConfigurationError(`unknown key "${key}"; expected registry, username, password or token`, at)
      }
    }
    for (const key of ['registry', 'username', 'password', 'token']) {
      if (fields[key] !== undefined && (typeof fields[key] !== 'string' || fields[key] === '')) {
        throw new ConfigurationError(`expected a non-empty string`, `${at}.${key}`)
      }
    }
    const registry = fields.registry as string | undefined
    if (registry === undefined) throw new ConfigurationError('missing "registry" (the registry host, e.g. ghcr.io)', at)
    const hasToken = fields.token !== undefined
    const hasLogin = fields.username !== undefined || fields.password !== undefined
    if (hasToken === hasLogin || (hasLogin && (fields.username === undefined || fields.password === undefined))) {
      throw new ConfigurationError('expected either both "username" and "password", or "token"', at)
    }
    const host = normalizeRegistryHost(registry)
    if (credentials.has(host)) return // The first entry for a host wins, as in every other source.
    credentials.set(
      host,
      hasToken
        ? { kind: 'registry-token', token: fields.token as string }
        : { kind: 'basic', username: fields.username as string, password: fields.password as string }
    )
  })
  return credentials
}

/** The parts of Docker's config.json that hold credentials. */
interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string; registrytoken?: string }>
  credHelpers?: Record<string, string>
  credsStore?: string
}

/** One `auths` entry → a credential, or null when it holds none (a placeholder next to a helper). */
function credentialFromAuthEntry(entry: NonNullable<DockerConfigFile['auths']>[string]): RegistryCredential | null {
  if (entry === null || typeof entry !== 'object') return null
  if (typeof entry.registrytoken === 'string' && entry.registrytoken !== '') return { kind: 'registry-token', token: entry.registrytoken }
  let username = typeof entry.username === 'string' ? entry.username : ''
  let password = typeof entry.password === 'string' ? entry.password : ''
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon > 0) {
      username = decoded.slice(0, colon)
      // docker/cli trims trailing NULs that some tools leave in the encoded password.
      password = decoded.slice(colon + 1).replace(/\0+$/, '')
    }
  }
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') {
    return { kind: 'identity-token', username: username === '' ? null : username, token: entry.identitytoken }
  }
  if (username !== '' && password !== '') return { kind: 'basic', username, password }
  return null
}

async function resolveDockerConfigPath(dockerConfig: string | undefined, env: NodeJS.ProcessEnv): Promise<{ file: string; explicit: boolean }> {
  if (dockerConfig !== undefined) {
    const info = await stat(dockerConfig).catch(() => null)
    if (info === null) throw new ConfigurationError(`no such file or directory: ${dockerConfig}`, '--docker-config')
    return { file: info.isDirectory() ? path.join(dockerConfig, 'config.json') : dockerConfig, explicit: true }
  }
  if (env.DOCKER_CONFIG !== undefined && env.DOCKER_CONFIG !== '') return { file: path.join(env.DOCKER_CONFIG, 'config.json'), explicit: false }
  return { file: path.join(env.HOME ?? os.homedir(), '.docker', 'config.json'), explicit: false }
}

async function readDockerConfig(file: string, explicit: boolean, logger: Logger): Promise<DockerConfigFile> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if (explicit) throw new ConfigurationError(`cannot read ${file}: ${getErrorMessage(error)}`, '--docker-config')
    return {}
  }
  try {
    const parsed = JSON.parse(text) as unknown
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object')
    return parsed as DockerConfigFile
  } catch {
    const message = `${file} is not a valid Docker config (JSON object expected)`
    if (explicit) throw new ConfigurationError(message, '--docker-config')
    logger.warning(`${message}; ignoring it`)
    return {}
  }
}

/** The tool's credentials, resolved per registry host in the documented order. */
class ToolCredentialStore implements CredentialStore {
  private readonly resolved = new Map<string, Promise<RegistryCredential | null>>()

  constructor(
    private readonly explicit: Map<string, RegistryCredential>,
    private readonly dockerConfig: DockerConfigFile,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logger: Logger
  ) {}

  get(registry: string): Promise<RegistryCredential | null> {
    const host = normalizeRegistryHost(registry)
    let pending = this.resolved.get(host)
    if (pending === undefined) {
      pending = this.resolve(host)
      this.resolved.set(host, pending)
    }
    return pending
  }

  private async resolve(host: string): Promise<RegistryCredential | null> {
    const explicit = this.explicit.get(host)
    if (explicit !== undefined) return explicit
    const fromDocker = await this.fromDockerConfig(host)
    if (fromDocker !== null) return fromDocker
    if (host === 'ghcr.io' && this.env.GITHUB_ACTIONS === 'true' && this.env.GITHUB_TOKEN) {
      return { kind: 'basic', username: this.env.GITHUB_ACTOR || 'github-actions', password: this.env.GITHUB_TOKEN }
    }
    return null
  }

  private async fromDockerConfig(host: string): Promise<RegistryCredential | null> {
    const { auths = {}, credHelpers = {}, credsStore } = this.dockerConfig
    const helperKey = Object.keys(credHelpers).find((key) => normalizeRegistryHost(key) === host)
    if (helperKey !== undefined && typeof credHelpers[helperKey] === 'string') {
      return runCredentialHelper(credHelpers[helperKey]!, helperServerUrl(host), this.env, this.logger)
    }
    // An exact key first, then legacy keys with a scheme or path (https://ghcr.io/v1/), as docker/cli does.
    const keys = Object.keys(auths).sort((a, b) => Number(normalizeRegistryHost(b) === b) - Number(normalizeRegistryHost(a) === a))
    for (const key of keys) {
      if (normalizeRegistryHost(key) !== host) continue
      const credential = credentialFromAuthEntry(auths[key]!)
      if (credential !== null) return credential
    }
    if (typeof credsStore === 'string' && credsStore !== '') {
      return runCredentialHelper(credsStore, helperServerUrl(host), this.env, this.logger)
    }
    return null
  }
}

export interface LoadToolCredentialsOptions {
  /** The explicit credential list as YAML/JSON text; when absent, env PULLCHECK_REGISTRY_AUTH is read. */
  registryAuth?: string
  /** How to name the list in error messages (`--registry-auth FILE`, `registry-auth`). */
  registryAuthSource?: string
  /** A Docker config directory or config.json path; default $DOCKER_CONFIG/config.json, else ~/.docker/config.json. */
  dockerConfig?: string
  env: NodeJS.ProcessEnv
  logger?: Logger
}

/**
 * Loads the tool's own credentials. Invalid explicit lists and an unreadable `dockerConfig` that was
 * asked for are ConfigurationErrors; a broken default Docker config is a warning.
 */
export async function loadToolCredentials(options: LoadToolCredentialsOptions): Promise<CredentialStore> {
  const logger = options.logger ?? silentLogger
  const env = options.env
  let explicit = new Map<string, RegistryCredential>()
  if (options.registryAuth !== undefined) {
    explicit = parseRegistryAuthList(options.registryAuth, options.registryAuthSource ?? 'registry-auth')
  } else if (env.PULLCHECK_REGISTRY_AUTH !== undefined && env.PULLCHECK_REGISTRY_AUTH.trim() !== '') {
    explicit = parseRegistryAuthList(env.PULLCHECK_REGISTRY_AUTH, 'PULLCHECK_REGISTRY_AUTH')
  }
  const { file, explicit: configExplicit } = await resolveDockerConfigPath(options.dockerConfig, env)
  const dockerConfig = await readDockerConfig(file, configExplicit, logger)
  for (const [key, name] of Object.entries(dockerConfig.credHelpers ?? {})) {
    if (typeof name !== 'string' || !isValidHelperName(name)) logger.warning(`${file}: credHelpers["${key}"] is not a valid helper name; ignoring it`)
  }
  if (explicit.size > 0) logger.debug(`explicit credentials for: ${[...explicit.keys()].join(', ')}`)
  logger.debug(`Docker config: ${file}`)
  return new ToolCredentialStore(explicit, dockerConfig, env, logger)
}
