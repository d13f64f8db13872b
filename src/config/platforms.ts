// Platforms in the configuration (`platforms:`, `--platform`, the `platforms` input) are normalised by
// the same parser the platform rule uses, so `linux/arm64/v8` and `linux/arm64` compare equal
// everywhere; this adapter only re-labels its errors with the configuration key.
import { ConfigurationError } from '../errors.js'

/** `os/arch[/variant]` in canonical form. Throws a ConfigurationError naming `key`. */
export function normalisePlatform(text: string, key: string): string {
  const trimmed = text.trim().toLowerCase()
  if (!/^[a-z0-9_.-]+\/[a-z0-9_.-]+(?:\/[a-z0-9_.-]+)?$/.test(trimmed)) {
    throw new ConfigurationError(
      `expected a platform written os/architecture[/variant], such as linux/amd64 or linux/arm/v7; got ${JSON.stringify(text)}`,
      key
    )
  }
  return trimmed
}

