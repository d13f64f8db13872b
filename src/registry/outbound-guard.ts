// The outbound-request guard: pullcheck reads registry names from files a pull request controls, so
// it refuses link-local and cloud-metadata targets (169.254.0.0/16, fe80::/10, fd00:ec2::254) as
// registry, mirror, realm or redirect hosts — by name, and again on every address a name resolves
// to at connect time — and, when configured, contacts only registries matching `allowedRegistries`.
import dns from 'node:dns'
import net from 'node:net'
import picomatch from 'picomatch'

/** Thrown (through undici) when a connection target is refused; classified as `unreachable: blocked`. */
export class BlockedTargetError extends Error {
  override readonly name = 'BlockedTargetError'
  readonly code = 'PULLCHECK_BLOCKED'
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void
/** The signature of dns.lookup as net.connect calls it. */
export type LookupFunction = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => void

const blockedAddresses = new net.BlockList()
// IPv4 link-local: AWS, GCP, Azure, OpenStack and others serve instance metadata (and credentials) at 169.254.169.254.
blockedAddresses.addSubnet('169.254.0.0', 16, 'ipv4')
blockedAddresses.addSubnet('fe80::', 10, 'ipv6')
// The IPv6 address of the AWS instance metadata service.
blockedAddresses.addAddress('fd00:ec2::254', 'ipv6')

/** Splits `host[:port]` / `[v6]:port` into the bare host name or address. */
export function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']') === -1 ? undefined : host.indexOf(']'))
  const colon = host.lastIndexOf(':')
  return colon === -1 || host.indexOf(':') !== colon ? host : host.slice(0, colon)
}

const BLOCKED_WHY = 'a link-local or cloud-metadata address; pullcheck never sends requests there'

function isBlockedAddress(address: string): boolean {
  const family = net.isIP(address)
  // BlockList also matches IPv4-mapped IPv6 forms (::ffff:169.254.169.254) against the IPv4 rules.
  return family !== 0 && blockedAddresses.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

/** Why an IP address may not be contacted, or null when it may (also null for non-addresses). */
export function blockedAddressReason(address: string): string | null {
  return isBlockedAddress(address) ? `${address} is ${BLOCKED_WHY}` : null
}

export interface OutboundGuardOptions {
  /** Registry hosts (globs over host[:port], case-insensitive) that may be contacted; undefined = any. */
  allowedRegistries?: string[]
  /** The resolver behind the connect-time check (dns.lookup by default). */
  lookup?: LookupFunction
}

/** Decides which hosts and addresses the client may contact. */
export class OutboundGuard {
  private readonly allowed: ((host: string) => boolean) | null
  private readonly resolve: LookupFunction

  constructor(options: OutboundGuardOptions = {}) {
    const globs = options.allowedRegistries
    this.allowed = globs === undefined ? null : picomatch(globs.length === 0 ? ['\0'] : globs, { nocase: true, dot: true })
    this.resolve = options.lookup ?? (dns.lookup as unknown as LookupFunction)
  }

  /** Why a registry or mirror (host[:port]) may not be contacted, or null. */
  registryBlockedReason(host: string): string | null {
    if (this.allowed !== null && !this.allowed(host.toLowerCase())) {
      return `${host} is not in the allowed registries (allowedRegistries)`
    }
    return blockedAddressReason(hostnameOf(host))
  }

  /** Why any other host (a token realm, a redirect target) may not be contacted, or null. */
  hostBlockedReason(host: string): string | null {
    return blockedAddressReason(hostnameOf(host))
  }

  /** A dns.lookup replacement for net/tls.connect that fails when any resolved address is blocked. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname, options, (error, address, family) => {
      if (error !== null) return callback(error, address, family)
      const addresses = Array.isArray(address) ? address.map((entry) => entry.address) : [address]
      const blocked = addresses.find(isBlockedAddress)
      if (blocked !== undefined) return callback(new BlockedTargetError(`${hostname} resolves to ${blocked}, ${BLOCKED_WHY}`), address, family)
      callback(null, address, family)
    })
  }
}
