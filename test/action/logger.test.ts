// The action's plain log lines with text from a scanned file or a registry in them: what reaches
// stdout is read the way the runner reads it (lines split at CR and LF; a `::` command after .NET's
// TrimStart(), which also trims NEL and Unicode spaces; a legacy `##[` command anywhere), and only
// the logger's own `::debug::` may ever be a command.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createActionLogger, safeLogLine } from '../../src/action/logger.js'
import { inertOutput } from '../../src/reports/inert.js'

/** Leading white space the runner's `string.TrimStart()` removes (.NET Char.IsWhiteSpace). */
const RUNNER_TRIMMED = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/

/** What the runner would take a line of output for. */
function runnerReading(line: string): { command: string } | null {
  const trimmed = line.replace(RUNNER_TRIMMED, '')
  const modern = /^::([^ :]+)/.exec(trimmed)
  if (modern !== null) return { command: modern[1]! }
  const legacy = /##\[([^\] ]+)/.exec(line)
  return legacy === null ? null : { command: legacy[1]! }
}

const HOSTILE_TEXTS = [
  '::add-mask::secret-from-a-tag',
  '  ::stop-commands::token',
  '\u00a0::add-mask::behind a no-break space',
  '\u3000::error::behind an ideographic space',
  '\u0085::warning::behind a next-line character',
  '\f::warning::behind a form feed',
  'nginx:1.27\n::error file=x.yaml::injected',
  'nginx:1.27\r::notice::injected after a carriage return',
  'tag ##[error]legacy in the middle',
  '##[add-mask]legacy at the start',
  'registry said: \u2028::set-output name=x::y'
]

describe('the action logger', () => {
  let written: string[]

  beforeEach(() => {
    written = []
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk))
      return true
    })
    // @actions/core writes debug lines only as `::debug::` commands; the runner shows them with RUNNER_DEBUG.
    vi.stubEnv('RUNNER_DEBUG', '1')
  })
  afterEach(() => {
    vi.restoreAllMocks()
    vi.unstubAllEnvs()
  })

  function linesOf(): string[] {
    return written.join('').split(/\r\n|\r|\n/).filter((line) => line !== '')
  }

  for (const text of HOSTILE_TEXTS) {
    it(`prints ${JSON.stringify(text)} as text the runner does not obey`, () => {
      const logger = createActionLogger()
      logger.info(`image ${text}`)
      logger.info(text)
      logger.warning(text)
      logger.debug(text)
      const lines = linesOf()
      expect(lines).toHaveLength(4)
      expect(lines.slice(0, 3).map(runnerReading)).toEqual([null, null, null])
      expect(runnerReading(lines[3]!)).toEqual({ command: 'debug' })
      expect(runnerReading(lines[3]!.slice('::debug::'.length))).toBeNull()
    })
  }

  it('keeps ordinary lines as they are', () => {
    const logger = createActionLogger()
    logger.info('checked 12 images: ghcr.io/acme/web:1.4.2, registry.example.com:5000/team/api@sha256:abc')
    logger.warning('could not reach 127.0.0.1:5000')
    expect(linesOf()).toEqual([
      'checked 12 images: ghcr.io/acme/web:1.4.2, registry.example.com:5000/team/api@sha256:abc',
      'Warning: could not reach 127.0.0.1:5000'
    ])
  })

  it('shows what was escaped, so the text stays readable', () => {
    expect(safeLogLine('::add-mask::x')).toBe('\\u003a:add-mask::x')
    expect(safeLogLine('\u00a0::add-mask::x')).toBe('\u00a0\\u003a:add-mask::x')
    expect(safeLogLine('a\n::error::b')).toBe('a\\u000a::error::b')
    expect(safeLogLine('tag ##[error]x')).toBe('tag ##\\u005berror]x')
  })
})

describe('inertOutput (the CLI output and the action log alike)', () => {
  it('escapes a line-leading :: after any white space the runner trims, on every line of a chunk', () => {
    expect(inertOutput('ok\n\u2003::add-mask::a\r\f::error::b\n  x::y')).toBe('ok\n\u2003\\u003a:add-mask::a\r\f\\u003a:error::b\n  x::y')
  })

  it('leaves JSON parseable and meaning the same', () => {
    const json = JSON.stringify({ message: '##[error]x', image: ':: y' }, null, 2)
    expect(JSON.parse(inertOutput(json))).toEqual({ message: '##[error]x', image: ':: y' })
  })
})
