// What a CLI command may touch of the outside world, passed in so commands can be tested in-process.

export interface CliIO {
  stdout(text: string): void
  stderr(text: string): void
  stdin: NodeJS.ReadableStream
  stderrIsTTY: boolean
  cwd: string
  env: NodeJS.ProcessEnv
}

/** One sub-command: `pullcheck <name> …`. Returns the exit code. */
export interface CliCommand {
  name: string
  summary: string
  usage: string
  run(argv: string[], io: CliIO): Promise<number>
}

/** Exit codes, documented in the README. */
export const EXIT_OK = 0
export const EXIT_FINDINGS = 1
export const EXIT_USAGE = 2
export const EXIT_INTERNAL = 3
