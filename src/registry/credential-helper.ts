// Runs a Docker credential helper (`docker-credential-<name> get`, server URL on stdin, JSON on
// stdout) for the runner's own Docker config. Only names from that config reach this module —
// never a name from a scanned file — and the name must be a plain word, so no path can be smuggled in.
import { execFile } from 'node:child_process'
import type { Logger } from '../logger.js'
import type { RegistryCredential } from './credentials.js'

const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/
const HELPER_TIMEOUT_MS = 10_000

/** True when `name` may be used as a credential helper name. */
export function isValidHelperName(name: string): boolean {
  return HELPER_NAME.test(name)
}

/**
 * Asks `docker-credential-<name>` for the credentials of `serverUrl`. Null when the helper has none
 * ("credentials not found" means anonymous) or fails; failures are logged without any output of the helper.
 */
export function runCredentialHelper(
  name: string,
  serverUrl: string,
  env: NodeJS.ProcessEnv,
  logger: Logger
): Promise<RegistryCredential | null> {
  const program = `docker-credential-${name}`
  if (!isValidHelperName(name)) {
    logger.warning(`ignoring credential helper "${name}": not a valid helper name`)
    return Promise.resolve(null)
  }
  return new Promise((resolve) => {
    const child = execFile(program, ['get'], { env, timeout: HELPER_TIMEOUT_MS, maxBuffer: 1024 * 1024 }, (error, stdout) => {
      if (error !== null) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'ENOENT') {
          logger.warning(`credential helper ${program} is not installed; continuing without credentials for ${serverUrl}`)
        } else if (/credentials not found/i.test(stdout)) {
          logger.debug(`${program} has no credentials for ${serverUrl}`)
        } else {
          logger.warning(`credential helper ${program} failed for ${serverUrl} (exit ${String(error.code ?? error.signal)}); continuing without credentials`)
        }
        return resolve(null)
      }
      try {
        const parsed = JSON.parse(stdout) as { Username?: unknown; Secret?: unknown }
        const username = typeof parsed.Username === 'string' ? parsed.Username : ''
        const secret = typeof parsed.Secret === 'string' ? parsed.Secret : ''
        if (secret === '') return resolve(null)
        // Docker's convention: the username `<token>` marks the secret as an identity (refresh) token.
        if (username === '<token>') return resolve({ kind: 'identity-token', username: null, token: secret })
        resolve({ kind: 'basic', username, password: secret })
      } catch {
        logger.warning(`credential helper ${program} answered something that is not JSON for ${serverUrl}; continuing without credentials`)
        resolve(null)
      }
    })
    child.stdin?.end(serverUrl)
  })
}
