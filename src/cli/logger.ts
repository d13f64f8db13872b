// Where the library's Logger writes when pullcheck runs as a CLI: stderr, one prefixed line per
// message, so stdout keeps only the report. Warnings always show; debug and info lines only when
// asked for (PULLCHECK_DEBUG=1, or RUNNER_DEBUG=1, which GitHub sets when a run is re-run with debug
// logging), since they are timings and decisions a user rarely needs.
import type { Logger } from '../logger.js'
import type { CliIO } from './io.js'

export interface StderrLoggerOptions {
  /** What each line starts with, before `: ` (default `pullcheck`). */
  prefix?: string
  /** Show debug and info lines; by default only when the environment asks for debug output. */
  verbose?: boolean
}

/** True when the environment asks for debug output: PULLCHECK_DEBUG=1 or RUNNER_DEBUG=1. */
export function debugRequested(env: NodeJS.ProcessEnv): boolean {
  return env.PULLCHECK_DEBUG === '1' || env.RUNNER_DEBUG === '1'
}

/** A Logger for CLI commands: warnings always reach stderr; debug and info lines only when verbose. */
export function stderrLogger(io: CliIO, options: StderrLoggerOptions = {}): Logger {
  const prefix = options.prefix ?? 'pullcheck'
  const verbose = options.verbose ?? debugRequested(io.env)
  const detail = (message: string): void => {
    if (verbose) io.stderr(`${prefix}: ${message}\n`)
  }
  return {
    debug: detail,
    info: detail,
    warning: (message) => io.stderr(`${prefix}: warning: ${message}\n`)
  }
}
