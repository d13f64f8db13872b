// Typed errors. A user's mistake in configuration or invocation is a ConfigurationError (exit 2,
// no stack trace); a problem in a scanned file is a Diagnostic or a Finding, never an exception;
// anything else that is thrown is a bug.

/** A configuration or usage mistake: names the key (flag, input, config path) and what was expected. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError'
  constructor(
    message: string,
    /** The flag, action input or config key at fault, e.g. `--platform`, `max-image-size`, `rules.latest-tag`. */
    readonly key?: string
  ) {
    super(key === undefined ? message : `${key}: ${message}`)
  }
}

/** The message of anything thrown, without assuming it is an Error. */
export function getErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  if (typeof error === 'string') return error
  try {
    return JSON.stringify(error)
  } catch {
    return String(error)
  }
}
