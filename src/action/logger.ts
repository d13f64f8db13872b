// The Logger the library gets inside the action: everything goes to the step log through
// @actions/core. Warnings are written as plain log lines, not `::warning` commands, so they do not
// use up the 10 warning annotations GitHub shows per step; findings need those. Every message is
// made one line that cannot be read as a workflow command: an image string with a newline, a
// leading `::` or a legacy `##[` must not become `::add-mask::`, `::stop-commands::` or `##[error]`.
import * as core from '@actions/core'
import type { Logger } from '../logger.js'
import { sanitizeInline } from '../reports/annotations.js'
import { inertOutput } from '../reports/inert.js'

/** One log line that the runner will not parse as a workflow command, in either syntax. */
export function safeLogLine(message: string): string {
  return inertOutput(sanitizeInline(message))
}

/** A Logger that writes to the Actions step log. */
export function createActionLogger(): Logger {
  return {
    // `::debug::` is a command of its own; its text is made inert all the same, as a defence in depth.
    debug: (message) => core.debug(safeLogLine(message)),
    info: (message) => core.info(safeLogLine(message)),
    warning: (message) => core.info(safeLogLine(`Warning: ${message}`))
  }
}
