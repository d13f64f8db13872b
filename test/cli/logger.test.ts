// The CLI's one Logger: warnings always on stderr, debug and info lines only when the environment
// (PULLCHECK_DEBUG=1, RUNNER_DEBUG=1) or the caller asks, every line prefixed; stdout never touched.
import { describe, expect, it } from 'vitest'
import type { CliIO } from '../../src/cli/io.js'
import { stderrLogger } from '../../src/cli/logger.js'
import { nodeRuntimes } from '../support/node-binaries.js'
import { runCli } from '../support/run-cli.js'

function recordingIO(env: NodeJS.ProcessEnv): CliIO & { out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return { out, err, stdout: (text) => out.push(text), stderr: (text) => err.push(text), stdin: process.stdin, stderrIsTTY: false, cwd: '/', env }
}

function logAll(io: CliIO, options?: Parameters<typeof stderrLogger>[1]): void {
  const logger = stderrLogger(io, options)
  logger.debug('timing')
  logger.info('decision')
  logger.warning('careful')
}

describe('stderrLogger', () => {
  it('shows only warnings by default', () => {
    const io = recordingIO({})
    logAll(io)
    expect({ out: io.out, err: io.err }).toEqual({ out: [], err: ['pullcheck: warning: careful\n'] })
  })

  it.each([['PULLCHECK_DEBUG'], ['RUNNER_DEBUG']])('shows debug and info lines with %s=1', (variable) => {
    const io = recordingIO({ [variable]: '1' })
    logAll(io)
    expect({ out: io.out, err: io.err }).toEqual({ out: [], err: ['pullcheck: timing\n', 'pullcheck: decision\n', 'pullcheck: warning: careful\n'] })
  })

  it('takes a prefix and an explicit verbosity over the environment', () => {
    const quiet = recordingIO({ PULLCHECK_DEBUG: '1' })
    logAll(quiet, { prefix: 'pullcheck inspect', verbose: false })
    expect(quiet.err).toEqual(['pullcheck inspect: warning: careful\n'])
    const loud = recordingIO({})
    logAll(loud, { verbose: true })
    expect(loud.err).toEqual(['pullcheck: timing\n', 'pullcheck: decision\n', 'pullcheck: warning: careful\n'])
  })
})

describe.each(nodeRuntimes)('pullcheck images with PULLCHECK_DEBUG=1 ($label)', ({ binary }) => {
  it('writes a timing line per file to stderr, and the same report to stdout', async () => {
    const file = 'fixtures/manifests/workloads/pod.yaml'
    const quiet = await runCli(['images', file], { node: binary })
    const debug = await runCli(['images', file], { node: binary, env: { PULLCHECK_DEBUG: '1' } })
    expect(quiet.stderr).toBe('')
    expect(debug.stdout).toBe(quiet.stdout)
    expect(debug.stderr.split('\n').filter((line) => line.startsWith(`pullcheck: ${file}: `))).toHaveLength(1)
    expect(debug.stderr).toMatch(new RegExp(`^pullcheck: ${file.replace(/\./g, '\\.')}: \\d+ images in \\d+\\.\\d ms$`, 'm'))
  })
})
