// Dispatches `pullcheck <command>` and maps errors to exit codes: a ConfigurationError is the
// user's mistake (exit 2, one line, no stack); anything else is a bug (exit 3, with the stack).
import { ConfigurationError } from '../errors.js'
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, type CliCommand, type CliIO } from './io.js'
import { imagesCommand } from './commands/images.js'
import { resolveCommand } from './commands/resolve.js'
import { inspectCommand } from './commands/inspect.js'
import { scanCommand } from './commands/scan.js'
import { VERSION } from '../version.js'

const commands: CliCommand[] = [scanCommand, imagesCommand, resolveCommand, inspectCommand]

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length))
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)
  return [
    'pullcheck: find images that will not pull, before they are deployed.',
    '',
    'Usage: pullcheck <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `pullcheck <command> --help` for the options of a command.',
    'Exit codes: 0 clean, 1 findings at or above the fail level, 2 usage or configuration error, 3 internal error.',
    ''
  ].join('\n')
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText())
    return name === undefined ? EXIT_USAGE : EXIT_OK
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`${VERSION}\n`)
    return EXIT_OK
  }
  const command = commands.find((c) => c.name === name)
  if (command === undefined) {
    io.stderr(`pullcheck: unknown command "${name}"\n\n${helpText()}`)
    return EXIT_USAGE
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    const end = rest.indexOf('--')
    const helpAt = Math.max(rest.indexOf('--help'), rest.indexOf('-h'))
    if (end === -1 || helpAt < end) {
      io.stdout(`${command.usage.trimEnd()}\n`)
      return EXIT_OK
    }
  }
  try {
    return await command.run(rest, io)
  } catch (error) {
    if (error instanceof ConfigurationError) {
      io.stderr(`pullcheck ${name}: ${error.message}\n`)
      return EXIT_USAGE
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error)
    io.stderr(`pullcheck ${name}: internal error (please report it): ${detail}\n`)
    return EXIT_INTERNAL
  }
}
