// Running the built CLI the way a user does and judging what it printed: no stack trace for a user's
// mistake, the peak memory of a run, and a clear failure when dist/ has not been built.
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { repoRoot } from '../../support/node-binaries.js'
import { runCli, type CliRun, type RunCliOptions } from '../../support/run-cli.js'

/** Fails with the command to run when the built CLI or action is missing. */
export async function ensureBuilt(): Promise<void> {
  for (const file of ['dist/cli.js', 'dist/index.js']) {
    if (!existsSync(path.join(repoRoot, file))) throw new Error(`${file} is missing: run \`npm run build\` before the hardening tests`)
  }
}

/** A line of a JavaScript stack trace: `    at fn (file:line:col)` or `    at file:///…:line:col`. */
const STACK_FRAME = /^\s*at\s+(?:.*\(.*:\d+:\d+\)|\S+:\d+:\d+)\s*$/m

/** The first stack-trace frame in `output`, or null. */
export function stackTraceFrame(output: string): string | null {
  return STACK_FRAME.exec(output)?.[0] ?? null
}

/** Throws when `output` holds a stack-trace frame (user mistakes never print one). */
export function expectNoStackTrace(output: string): void {
  const frame = stackTraceFrame(output)
  if (frame !== null) throw new Error(`a stack trace frame (${frame.trim()}) in:\n${output.slice(0, 4000)}`)
}

/** A CLI run and the peak resident set size of its process, in bytes. */
export interface MeasuredCliRun extends CliRun {
  peakRssBytes: number
}

/** Runs the built CLI and measures its peak RSS through a preloaded exit hook. */
export async function runCliMeasured(args: string[], options: RunCliOptions = {}): Promise<MeasuredCliRun> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pullcheck-rss-'))
  try {
    const rssFile = path.join(dir, 'peak-rss')
    const hook = pathToFileURL(path.join(repoRoot, 'test', 'hardening', 'support', 'report-peak-rss.mjs')).href
    const env = { ...options.env, NODE_OPTIONS: `--import ${hook}`, PULLCHECK_PEAK_RSS_FILE: rssFile }
    const run = await runCli(args, { ...options, env })
    const kib = Number(await readFile(rssFile, 'utf8').catch(() => 'NaN'))
    return { ...run, peakRssBytes: kib * 1024 }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
