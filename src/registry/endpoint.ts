// Where a registry's API lives and how to talk to it: Docker Hub's API host, HTTPS or (for loopback
// registries that do not speak TLS at all, or hosts allowed as insecure) plain HTTP, and the
// challenge its /v2/ endpoint answers with. One anonymous probe per host per run; a certificate
// that fails to verify is a TLS failure, never a reason to fall back to HTTP.
import { parseChallenges, selectChallenge, type Challenge } from './challenge.js'
import { unreachableError } from './failures.js'
import { isLoopbackHost, type HttpRequest, type HttpResponse, type Transport } from './transport.js'

/** What the probe learned about a registry host. */
export interface RegistryEndpoint {
  /** host[:port] of the API. */
  host: string
  /** `https://host` or `http://host`. */
  origin: string
  /** The challenge of GET /v2/ (null: no authentication asked). */
  challenge: Challenge | null
}

/** The host that serves a registry's API: Docker Hub's `docker.io` is served by registry-1.docker.io. */
export function apiHostFor(registry: string): string {
  return registry === 'docker.io' ? 'registry-1.docker.io' : registry
}

const PING_BODY_LIMIT = 64 * 1024

function pingRequest(origin: string): HttpRequest {
  return { method: 'GET', url: `${origin}/v2/`, maxBodyBytes: PING_BODY_LIMIT, purpose: 'ping' }
}

/** Probes `host` (scheme given by `origin` when the caller knows it, e.g. an http:// mirror). */
export async function probeEndpoint(transport: Transport, host: string, forcedScheme?: 'http' | 'https'): Promise<RegistryEndpoint> {
  let origin = `${forcedScheme ?? 'https'}://${host}`
  let response: HttpResponse
  if (forcedScheme === 'http') {
    response = await transport.send(pingRequest(origin))
  } else {
    const first = await transport.sendOnce(pingRequest(origin))
    if ('error' in first) {
      const mayUseHttp = isLoopbackHost(host) || transport.isInsecure(host)
      if (first.error.notTls && mayUseHttp) {
        origin = `http://${host}`
        response = await transport.send(pingRequest(origin))
      } else {
        response = await transport.send(pingRequest(origin), first)
      }
    } else {
      response = await transport.send(pingRequest(origin), first)
    }
  }
  if (response.status === 404) {
    throw unreachableError('protocol', `${host} does not serve the registry API (GET /v2/ answered 404 Not Found)`)
  }
  const challenge = response.status === 401 ? selectChallenge(parseChallenges(response.headers['www-authenticate'])) : null
  return { host, origin, challenge }
}
