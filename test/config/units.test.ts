// Sizes, durations, counts and fail levels as users type them, and the errors that name the key.
import { describe, expect, it } from 'vitest'
import { ConfigurationError } from '../../src/errors.js'
import { parseFailOn, parsePositiveInteger, parseSeconds, parseSize } from '../../src/config/units.js'

describe('parseSize', () => {
  it.each([
    ['1GiB', 1073741824],
    ['1gib', 1073741824],
    ['2Gi', 2147483648],
    ['500MB', 500000000],
    ['500 MB', 500000000],
    ['750MiB', 786432000],
    ['1.5GB', 1500000000],
    ['1.5GiB', 1610612736],
    ['64kB', 64000],
    ['64KiB', 65536],
    ['2TB', 2000000000000],
    ['1TiB', 1099511627776],
    ['1234', 1234],
    ['1234B', 1234],
    ['.5KiB', 512],
    ['  3M ', 3000000]
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseSize(text, 'maxImageSize')).toBe(bytes)
  })

  it('takes a whole number of bytes', () => {
    expect(parseSize(5000, 'maxImageSize')).toBe(5000)
  })

  it.each(['', 'big', '1 GGB', '1GB2', '-1GB', '0', '0MB', '1.5e3', 'GiB'])('rejects %j and names the key', (text) => {
    expect(() => parseSize(text, 'input max-image-size')).toThrowError(ConfigurationError)
    expect(() => parseSize(text, 'input max-image-size')).toThrowError(
      `input max-image-size: expected a size in bytes or with a unit (kB, MB, GB, TB, KiB, MiB, GiB, TiB), such as 1GiB or 500MB; got ${JSON.stringify(text)}`
    )
  })

  it('rejects fractional and non-positive byte counts', () => {
    expect(() => parseSize(1.5, 'maxImageSize')).toThrowError(/maxImageSize: expected a size .*; got 1\.5$/)
    expect(() => parseSize(0, 'maxImageSize')).toThrowError(/got 0$/)
  })
})

describe('parseSeconds', () => {
  it.each([
    ['30', 30],
    ['2.5', 2.5],
    ['500ms', 0.5],
    ['30s', 30],
    ['2m', 120],
    ['1h', 3600],
    [' 10 s ', 10]
  ])('%j is %d seconds', (text, seconds) => {
    expect(parseSeconds(text, 'timeout')).toBe(seconds)
  })

  it('takes a number of seconds', () => {
    expect(parseSeconds(12, 'timeout')).toBe(12)
  })

  it.each(['', '0', '-5', '5 days', 'soon', '1m30s'])('rejects %j and names the key', (text) => {
    expect(() => parseSeconds(text, '--timeout')).toThrowError(
      `--timeout: expected a duration in seconds greater than 0 (a number, or with a unit: 500ms, 30s, 2m, 1h); got ${JSON.stringify(text)}`
    )
  })
})

describe('parsePositiveInteger', () => {
  it('reads whole numbers', () => {
    expect(parsePositiveInteger('4', '--concurrency')).toBe(4)
    expect(parsePositiveInteger(16, '--concurrency')).toBe(16)
  })

  it.each(['0', '-1', '2.5', 'four', ''])('rejects %j', (text) => {
    expect(() => parsePositiveInteger(text, '--concurrency')).toThrowError(
      `--concurrency: expected a whole number of at least 1; got ${JSON.stringify(text)}`
    )
  })
})

describe('parseFailOn', () => {
  it('accepts the three levels in any case', () => {
    expect(parseFailOn('error', '--fail-on')).toBe('error')
    expect(parseFailOn('Warning', '--fail-on')).toBe('warning')
    expect(parseFailOn(' never ', '--fail-on')).toBe('never')
  })

  it('rejects anything else', () => {
    expect(() => parseFailOn('notice', '--fail-on')).toThrowError('--fail-on: expected one of error, warning, never; got "notice"')
  })
})
