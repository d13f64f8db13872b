// Runs the built CLI (dist/cli.js) as a user would, under a given Node binary.
import { spawn } from 'node:child_process'
import { createReadStream } from 'node:fs'
import path from 'node:path'
import { repoRoot } from './node-binaries.js'

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

export interface RunCliOptions {
  node?: string
  cwd?: string
  env?: NodeJS.ProcessEnv
  stdin?: string
  /** A file streamed into stdin instead of `stdin` (never loaded by the test). */
  stdinFile?: string
  timeoutMs?: number
}

/** Runs `node dist/cli.js …args` and collects its output and exit code. */
export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
    if (options.stdinFile === undefined) {
      child.stdin.end(options.stdin ?? '')
    } else {
      // The CLI may stop reading early; a closed pipe is not the test's failure.
      child.stdin.on('error', () => undefined)
      createReadStream(options.stdinFile).on('error', reject).pipe(child.stdin)
    }
  })
}
