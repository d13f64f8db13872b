// The library reports progress through a Logger it is given; only the shells decide where it goes
// (@actions/core in the action, stderr in the CLI).

export interface Logger {
  debug(message: string): void
  info(message: string): void
  warning(message: string): void
}

/** A Logger that drops everything: the default for library callers and tests. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warning() {}
}
