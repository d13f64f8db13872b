// `npm run demo` as a newcomer runs it: every cause in fixtures/demo/ is reported at the line its
// `# expect:` marker names, with its fix, and nothing is reported on the clean manifest.
import { spawn, spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { allRules } from '../src/rules/index.js'
import { repoRoot } from './support/node-binaries.js'
import { readExpectations } from './rules/fixture-markers.js'

const demoRoot = path.join(repoRoot, 'fixtures', 'demo')

function childrenOf(pid: number): number[] {
  const listed = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout
  return listed.split('\n').map((line) => Number(line.trim())).filter((value) => value > 0)
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

function demoFiles(dir: string, base = 'fixtures/demo'): Map<string, string> {
  const files = new Map<string, string>()
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) for (const [file, text] of demoFiles(full, `${base}/${name}`)) files.set(file, text)
    else if (/\.ya?ml$/.test(name)) files.set(`${base}/${name}`, readFileSync(full, 'utf8'))
  }
  return files
}

interface DemoRun {
  code: number | null
  stdout: string
  stderr: string
  /** Processes the demo had started when it was interrupted (empty when it was not). */
  childrenAtInterrupt: number[]
}

/** Runs the demo; with `interruptWhen`, sends it SIGINT as soon as its stderr matches. */
function runDemo(interruptWhen?: RegExp): Promise<DemoRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let childrenAtInterrupt: number[] = []
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
      if (interruptWhen !== undefined && childrenAtInterrupt.length === 0 && interruptWhen.test(stderr)) {
        childrenAtInterrupt = childrenOf(child.pid!)
        child.kill('SIGINT')
      }
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr, childrenAtInterrupt })
    })
  })
}

describe('npm run demo', () => {
  it('shows every cause at its line with its fix, and nothing on the clean manifest', async () => {
    const { code, stdout, stderr } = await runDemo()
    expect(code, stderr).toBe(0)
    const lines = stdout.split('\n')
    const expectations = readExpectations(demoFiles(demoRoot))
    expect(expectations.findings.length).toBeGreaterThan(20)

    const reported = lines.filter((line) => /^fixtures\/demo\/\S+:\d+(:\d+)? {2}/.test(line))
    const expected = expectations.findings.map((finding) => `${finding.file}:${finding.line} ${finding.rule}`).sort()
    const actual = reported.map((line) => {
      const [place, , rule] = line.split(/ {2,}/) as [string, string, string]
      const [file, lineNumber] = place.split(':') as [string, string]
      return `${file}:${lineNumber} ${rule}`
    })
    expect(actual.sort()).toEqual(expected)

    for (const finding of expectations.findings) {
      const index = lines.findIndex((line) => line.startsWith(`${finding.file}:${finding.line}:`) && line.includes(`  ${finding.rule}  `))
      expect(lines[index + 1], `${finding.file}:${finding.line} has a fix`).toMatch(/^ {4}fix: \S/)
    }
    expect(stdout).not.toContain('fixtures/demo/clean.yaml')
    // Every rule that can fire from a manifest is shown.
    const shown = new Set(expectations.findings.map((finding) => finding.rule))
    expect(allRules.map((rule) => rule.id).filter((id) => !shown.has(id))).toEqual([])
    expect(stdout).not.toContain('s3cr3t-demo')
  }, 120_000)

  it('stops every registry it started when interrupted with Ctrl-C', async () => {
    const { code, stderr, childrenAtInterrupt } = await runDemo(/\$ pullcheck scan/)
    expect(code, stderr).toBe(130)
    expect(stderr).toContain('SIGINT: stopping the demo registries')
    // Four docker-registry processes run during the scan (open, Basic auth, token auth, TLS).
    expect(childrenAtInterrupt.length).toBeGreaterThanOrEqual(4)
    expect(childrenAtInterrupt.filter(isRunning)).toEqual([])
  }, 120_000)
})
