// Parsers for the values people type with units: sizes (`1GiB`, `500MB`), durations (`30`, `2m`),
// counts and the fail level. The config loader, the CLI and the action all parse through these, so a
// flag, an action input and a config key accept exactly the same spellings and fail the same way.
import { ConfigurationError } from '../errors.js'
import type { FailOn } from './types.js'

/** Bytes per unit. Decimal units are powers of 1000, binary (`…i`, `…iB`) powers of 1024; case is ignored. */
const SIZE_UNITS: ReadonlyMap<string, number> = new Map([
  ['', 1],
  ['b', 1],
  ['k', 1e3],
  ['kb', 1e3],
  ['m', 1e6],
  ['mb', 1e6],
  ['g', 1e9],
  ['gb', 1e9],
  ['t', 1e12],
  ['tb', 1e12],
  ['ki', 1024],
  ['kib', 1024],
  ['mi', 1024 ** 2],
  ['mib', 1024 ** 2],
  ['gi', 1024 ** 3],
  ['gib', 1024 ** 3],
  ['ti', 1024 ** 4],
  ['tib', 1024 ** 4]
])

const SECONDS_PER_UNIT: ReadonlyMap<string, number> = new Map([
  ['', 1],
  ['ms', 0.001],
  ['s', 1],
  ['m', 60],
  ['h', 3600]
])

const NUMBER_WITH_UNIT = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)$/i

/** How a value was written, for error messages: strings quoted, everything else as JSON. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing'
  if (typeof value === 'string') return JSON.stringify(value)
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  return String(value)
}

/**
 * Parses a size: a whole number of bytes, or a number with a unit (`1GiB`, `500MB`, `750MiB`, `1.5GB`, `2Gi`).
 * Throws a ConfigurationError naming `key` when the value is not a positive size.
 */
export function parseSize(value: string | number, key: string): number {
  const expected = 'expected a size in bytes or with a unit (kB, MB, GB, TB, KiB, MiB, GiB, TiB), such as 1GiB or 500MB'
  let bytes: number | undefined
  if (typeof value === 'number') {
    bytes = Number.isInteger(value) ? value : undefined
  } else {
    const match = NUMBER_WITH_UNIT.exec(value.trim())
    const multiplier = match === null ? undefined : SIZE_UNITS.get(match[2]!.toLowerCase())
    if (match !== null && multiplier !== undefined) bytes = Math.round(Number(match[1]) * multiplier)
  }
  if (bytes === undefined || !Number.isSafeInteger(bytes) || bytes < 1) {
    throw new ConfigurationError(`${expected}; got ${describeValue(value)}`, key)
  }
  return bytes
}

/**
 * Parses a duration in seconds: a number (`30`, `2.5`) or a number with a unit (`500ms`, `30s`, `2m`, `1h`).
 * Throws a ConfigurationError naming `key` when the value is not a positive duration.
 */
export function parseSeconds(value: string | number, key: string): number {
  let seconds: number | undefined
  if (typeof value === 'number') {
    seconds = value
  } else {
    const match = NUMBER_WITH_UNIT.exec(value.trim())
    const multiplier = match === null ? undefined : SECONDS_PER_UNIT.get(match[2]!.toLowerCase())
    if (match !== null && multiplier !== undefined) seconds = Number(match[1]) * multiplier
  }
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) {
    throw new ConfigurationError(
      `expected a duration in seconds greater than 0 (a number, or with a unit: 500ms, 30s, 2m, 1h); got ${describeValue(value)}`,
      key
    )
  }
  return seconds
}

/** Parses a whole number of at least 1 (e.g. `--concurrency 4`). Throws a ConfigurationError naming `key`. */
export function parsePositiveInteger(value: string | number, key: string): number {
  const number = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(number) || number < 1) {
    throw new ConfigurationError(`expected a whole number of at least 1; got ${describeValue(value)}`, key)
  }
  return number
}

/** The accepted fail levels, strictest last. */
export const FAIL_ON_VALUES: readonly FailOn[] = ['error', 'warning', 'never']

/** Parses `error`, `warning` or `never` (case-insensitive). Throws a ConfigurationError naming `key`. */
export function parseFailOn(value: string, key: string): FailOn {
  const normalised = value.trim().toLowerCase()
  const match = FAIL_ON_VALUES.find((candidate) => candidate === normalised)
  if (match === undefined) {
    throw new ConfigurationError(`expected one of ${FAIL_ON_VALUES.join(', ')}; got ${describeValue(value)}`, key)
  }
  return match
}
