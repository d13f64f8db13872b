// The Logger the library gets inside the action: everything goes to the step log through
// @actions/core. Warnings are written as plain log lines, not `::warning` commands, so they do not
// use up the 10 warning annotations GitHub shows per step; findings need those. Every message is
// made one line that cannot be read as a workflow command: an image string with a newline or a
// leading `::` must not become `::add-mask::` or `::stop-commands::`.
import * as core from '@actions/core'
import type { Logger } from '../logger.js'
import { sanitizeInline } from '../reports/annotations.js'

/** One log line that the runner will not parse as a workflow command. */
export function safeLogLine(message: string): string {
  const line = sanitizeInline(message)
  return /^\s*::/.test(line) ? `[pullcheck] ${line}` : line
}

/** A Logger that writes to the Actions step log. */
export function createActionLogger(): Logger {
  return {
    debug: (message) => core.debug(sanitizeInline(message)),
    info: (message) => core.info(safeLogLine(message)),
    warning: (message) => core.info(safeLogLine(`Warning: ${message}`))
  }
}
