// Argument parsing shared by the commands: node:util parseArgs, with its errors turned into
// ConfigurationErrors that name the flag, and `--` ending the options.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { ConfigurationError } from '../errors.js'

export type OptionSpec = NonNullable<ParseArgsConfig['options']>

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>
  positionals: string[]
}

/** Parses `argv` against `options`; unknown flags and missing values become ConfigurationErrors. */
export function parseCommandArgs(argv: string[], options: OptionSpec): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true })
    return { values: values as ParsedArgs['values'], positionals }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new ConfigurationError(message.replace(/^Unknown option '([^']+)'.*$/s, "unknown option '$1'"))
  }
}

/** A string flag's value, or undefined. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name]
  return typeof value === 'string' ? value : undefined
}

/** A repeatable string flag's values (empty when absent). */
export function listFlag(args: ParsedArgs, name: string): string[] {
  const value = args.values[name]
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
  return typeof value === 'string' ? [value] : []
}

/** `--format` with the allowed choices; the first is the default. */
export function formatFlag<T extends string>(args: ParsedArgs, choices: readonly T[]): T {
  const value = stringFlag(args, 'format') ?? choices[0]
  if (!choices.includes(value as T)) {
    throw new ConfigurationError(`expected one of ${choices.join(', ')}, got "${value}"`, '--format')
  }
  return value as T
}
