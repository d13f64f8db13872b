// Small helpers shared by the registry tests: references parsed the way the CLI parses them, a
// Logger that keeps every line (to assert that no secret reaches a log), and a fake resolver for
// host names that must resolve to a chosen address (the outbound guard's connect-time check).
import type { LookupAddress, LookupOptions } from 'node:dns'
import type { Logger } from '../../src/logger.js'
import type { ImageReference } from '../../src/model.js'
import { parseReference } from '../../src/reference/index.js'
import type { LookupFunction } from '../../src/registry/index.js'

/** Parses a reference, failing the test when it is invalid. */
export function ref(text: string): ImageReference {
  const parsed = parseReference(text)
  if (!parsed.ok) throw new Error(`test reference ${text} is invalid: ${parsed.error}`)
  return parsed.reference
}

/** A Logger that records every line with its level. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    debug: (message) => lines.push(`debug: ${message}`),
    info: (message) => lines.push(`info: ${message}`),
    warning: (message) => lines.push(`warning: ${message}`)
  }
}

/** A resolver that answers `names` from the table (and fails every other name with ENOTFOUND). */
export function fakeResolver(names: Record<string, string>): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    const address = names[hostname]
    if (address === undefined) {
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname })
      return callback(error, '', 4)
    }
    const family = address.includes(':') ? 6 : 4
    if (options.all === true) callback(null, [{ address, family } satisfies LookupAddress])
    else callback(null, address, family)
  }
}

/** A retry policy that keeps fault tests fast: same attempt counts, millisecond backoff. */
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20 }
