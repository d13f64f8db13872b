// Runs the built action (dist/index.js) the way the Actions runner does: a workspace directory as
// cwd, GITHUB_* variables, the event payload file, GITHUB_STEP_SUMMARY and GITHUB_OUTPUT files, and
// one INPUT_* variable per action.yml input (the runner upper-cases names, spaces become `_`, hyphens
// stay: INPUT_FAIL-ON) holding the given value or the input's default. Also parses what it printed.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'
import { repoRoot } from '../support/node-binaries.js'

export interface ActionRunOptions {
  node: string
  workspace: string
  eventName: string
  /** The event payload, written to a file for GITHUB_EVENT_PATH. */
  payload: Record<string, unknown>
  /** GITHUB_SHA: on pull_request, the merge commit. */
  sha: string
  /** Input values by action.yml name; the rest get their defaults. */
  inputs?: Record<string, string>
  /** Replaces `${{ github.token }}` in defaults. */
  githubToken?: string
  apiUrl?: string
  env?: Record<string, string>
}

export interface WorkflowCommand {
  command: string
  properties: Record<string, string>
  message: string
}

export interface ActionRun {
  code: number | null
  stdout: string
  stderr: string
  commands: WorkflowCommand[]
  outputs: Record<string, string>
  summary: string
  runnerTemp: string
}

const actionInputs = (parse(readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> }).inputs

function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

function unescapeProperty(text: string): string {
  return text.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

/** The workflow commands in a step's stdout, as the runner reads them (one per line). */
export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = []
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(line)
    if (match === null) continue
    const properties: Record<string, string> = {}
    for (const pair of (match[2] ?? '').split(',').filter((part) => part !== '')) {
      const separator = pair.indexOf('=')
      properties[pair.slice(0, separator)] = unescapeProperty(pair.slice(separator + 1))
    }
    commands.push({ command: match[1]!, properties, message: unescapeData(match[3] ?? '') })
  }
  return commands
}

/** Reads GITHUB_OUTPUT's `name<<delimiter` blocks. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[index]!)
    if (match === null) continue
    const value: string[] = []
    for (index += 1; index < lines.length && lines[index] !== match[2]; index++) value.push(lines[index]!)
    outputs[match[1]!] = value.join('\n')
  }
  return outputs
}

/** Runs dist/index.js once and collects its exit code, commands, outputs and summary. */
export async function runBuiltAction(options: ActionRunOptions): Promise<ActionRun> {
  const runnerTemp = await mkdtemp(path.join(tmpdir(), 'pullcheck-runner-'))
  const eventPath = path.join(runnerTemp, 'event.json')
  const summaryPath = path.join(runnerTemp, 'step_summary')
  const outputPath = path.join(runnerTemp, 'output')
  await writeFile(eventPath, JSON.stringify(options.payload))
  await writeFile(summaryPath, '')
  await writeFile(outputPath, '')

  const inputEnv: Record<string, string> = {}
  for (const [name, input] of Object.entries(actionInputs)) {
    const value = options.inputs?.[name] ?? (input.default ?? '').replace('${{ github.token }}', options.githubToken ?? '')
    inputEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    // A home without a Docker config, so the machine's credentials never leak into a test.
    HOME: runnerTemp,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SHA: options.sha,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_RUN_ID: '9100',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: options.apiUrl ?? 'http://127.0.0.1:9',
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    ...inputEnv,
    ...options.env
  }
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(options.node, [path.join(repoRoot, 'dist', 'index.js')], { cwd: options.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', (exit) => {
      clearTimeout(timer)
      resolve({ code: exit, stdout: out, stderr: err })
    })
  })
  return {
    code,
    stdout,
    stderr,
    commands: parseWorkflowCommands(stdout),
    outputs: parseOutputFile(await readFile(outputPath, 'utf8')),
    summary: await readFile(summaryPath, 'utf8'),
    runnerTemp
  }
}
