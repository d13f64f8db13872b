// The reliability suite at soak size: the same environments and checks as test/hardening/, run for
// longer, and summed up as the figures RELIABILITY.md shows — bad inputs handled, scans through
// faulty registries (verified share, wrong verdicts, wall time against the deadline), fuzzed
// manifests, and canary credentials leaked. Needs `npm run build` first (it runs dist/).
//
//   node --import tsx scripts/reliability.ts [--rounds N] [--fuzz-runs N] [--write]
//
// --rounds: fault campaigns, each with its own seed (default 5); --fuzz-runs: mutated manifests
// (default 20000); --write: put the figures into RELIABILITY.md between its reliability markers.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os, { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { runBuiltAction } from '../test/action/run-action.js'
import { nodeRuntimes, repoRoot } from '../test/support/node-binaries.js'
import { startFaultProxy } from '../test/support/registry/fault-proxy.js'
import { pushImage } from '../test/support/registry/push.js'
import { startRegistry } from '../test/support/registry/registry.js'
import { runCli } from '../test/support/run-cli.js'
import { COMMITTED_CASES, GENERATED_CASES, writeGeneratedCases, writeManyTinyFiles } from '../test/hardening/support/bad-corpus.js'
import { fileStates, leakForms, startCanaryEnvironment, writtenFiles, type Canaries } from '../test/hardening/support/canary.js'
import {
  compareWithBaseline,
  FAULT_CLASSES,
  runCampaignScan,
  startCampaignEnvironment,
  type CampaignFigures,
  type FaultClass
} from '../test/hardening/support/fault-campaign.js'
import { runInventoryFuzz } from '../test/hardening/support/inventory-fuzz.js'
import { ensureBuilt, runCliMeasured, stackTraceFrame } from '../test/hardening/support/process.js'

const MIB = 1024 * 1024
const DEADLINE_SECONDS = 20
const TIMEOUT_SECONDS = 2

const { values: flags } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, 'fuzz-runs': { type: 'string', default: '20000' }, write: { type: 'boolean', default: false } }
})
const rounds = Number(flags.rounds)
const fuzzRuns = Number(flags['fuzz-runs'])

const log = (line: string): void => {
  process.stderr.write(`${line}\n`)
}
const mib = (bytes: number): string => `${(bytes / MIB).toFixed(0)} MiB`
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`
const percent = (part: number, whole: number): string => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`)

/** Bad input: the corpus and the generated cases through both runtimes; diagnostics found as expected. */
async function measureBadInput(): Promise<string[]> {
  const workspace = await mkdtemp(path.join(tmpdir(), 'pullcheck-reliability-bad-'))
  try {
    await cp(path.join(repoRoot, 'fixtures', 'bad'), path.join(workspace, 'bad'), { recursive: true })
    await writeGeneratedCases(workspace)
    const expected = new Map([...Object.entries(COMMITTED_CASES).map(([file, value]) => [`bad/${file}`, value] as const), ...Object.entries(GENERATED_CASES)])
    const lines = [
      `| runtime | command | cases as expected | stack traces | exit | peak RSS |`,
      `|---|---|---|---|---|---|`
    ]
    for (const runtime of nodeRuntimes) {
      const images = await runCliMeasured(['images', '--format', 'json', '.'], { node: runtime.binary, cwd: workspace, env: { HOME: workspace } })
      const report = JSON.parse(images.stdout) as { images: Array<{ file: string; line: number }>; diagnostics: Array<{ file: string; line: number; code: string }> }
      let asExpected = 0
      for (const [file, cases] of expected) {
        const diagnostics = report.diagnostics.filter((item) => item.file === file).map((item) => `${item.code}@${item.line}`).join(',')
        const imageLines = report.images.filter((item) => item.file === file).map((item) => item.line).join(',')
        if (diagnostics === cases.diagnostics.map(([code, line]) => `${code}@${line}`).join(',') && imageLines === cases.images.map(([line]) => line).join(',')) asExpected++
      }
      lines.push(`| ${runtime.label} | images | ${asExpected}/${expected.size} | ${stackTraceFrame(images.stderr) === null ? 0 : 1} | ${images.code} | ${mib(images.peakRssBytes)} |`)
      const scan = await runCliMeasured(['scan', '--format', 'json', '--fail-on', 'never', '.'], { node: runtime.binary, cwd: workspace, env: { HOME: workspace } })
      lines.push(`| ${runtime.label} | scan | – | ${stackTraceFrame(scan.stderr) === null ? 0 : 1} | ${scan.code} | ${mib(scan.peakRssBytes)} |`)
      const stdin = await runCliMeasured(['scan', '--format', 'json', '-'], { node: runtime.binary, cwd: workspace, env: { HOME: workspace }, stdinFile: path.join(workspace, 'generated', 'huge.yaml') })
      lines.push(`| ${runtime.label} | scan - (200 MB on stdin) | refused: ${stdin.stdout.includes('stdin is 200 MiB, over the 50 MiB limit') ? 'yes' : 'NO'} | ${stackTraceFrame(stdin.stderr) === null ? 0 : 1} | ${stdin.code} | ${mib(stdin.peakRssBytes)} |`)
      log(`bad input (${runtime.label}): ${asExpected}/${expected.size} cases as expected`)
    }
    return [`${Object.keys(COMMITTED_CASES).length} committed files under fixtures/bad/ and ${Object.keys(GENERATED_CASES).length} generated cases (a 200 MB file, symlink loops, a broken symlink, a directory named x.yaml, a megabyte-long reference, a hostile file name):`, '', ...lines]
  } finally {
    await rm(workspace, { recursive: true, force: true })
  }
}

/** 10 000 one-Pod files against a real registry. */
async function measureManyFiles(): Promise<string[]> {
  const registry = await startRegistry()
  const workspace = await mkdtemp(path.join(tmpdir(), 'pullcheck-reliability-many-'))
  try {
    await pushImage(registry, 'team/web', '1.0', { kind: 'docker-schema2' })
    await writeManyTinyFiles(path.join(workspace, 'many'), 10_000, [`${registry.host}/team/web:1.0`, `${registry.host}/team/web:1.1`])
    const lines = ['| runtime | files | images | wall time | peak RSS |', '|---|---|---|---|---|']
    for (const runtime of nodeRuntimes) {
      const started = Date.now()
      const run = await runCliMeasured(['scan', '--format', 'json', 'many'], { node: runtime.binary, cwd: workspace, env: { HOME: workspace }, timeoutMs: 300_000 })
      const summary = (JSON.parse(run.stdout) as { summary: { files: number; images: number } }).summary
      lines.push(`| ${runtime.label} | ${summary.files} | ${summary.images} | ${seconds(Date.now() - started)} | ${mib(run.peakRssBytes)} |`)
    }
    return lines
  } finally {
    await registry.stop()
    await rm(workspace, { recursive: true, force: true })
  }
}

interface FaultRow {
  label: string
  figures: CampaignFigures[]
}

/** Fault campaigns: `rounds` seeds × the mixed rates, and each fault class alone in the first round. */
async function measureFaults(): Promise<{ rows: FaultRow[]; runs: number }> {
  const mixed: Array<{ label: string; rate: number; spareProbe: boolean; classes?: FaultClass[] }> = [
    { label: 'all classes, 10 %', rate: 0.1, spareProbe: false },
    { label: 'all classes, 30 %', rate: 0.3, spareProbe: false },
    { label: 'all classes, 100 %', rate: 1, spareProbe: false },
    { label: 'all classes, 100 % after the /v2/ probe', rate: 1, spareProbe: true }
  ]
  const rows = new Map<string, CampaignFigures[]>()
  let runs = 0
  for (let round = 0; round < rounds; round++) {
    const environment = await startCampaignEnvironment(1000 + round)
    try {
      const baseline = await runCampaignScan(environment, { rate: 0, deadlineSeconds: DEADLINE_SECONDS, timeoutSeconds: TIMEOUT_SECONDS })
      const plan = [...mixed, ...(round === 0 ? FAULT_CLASSES.flatMap((faultClass) => [
        { label: `${faultClass} alone, 30 %`, rate: 0.3, spareProbe: true, classes: [faultClass] },
        { label: `${faultClass} alone, 100 % after the probe`, rate: 1, spareProbe: true, classes: [faultClass] }
      ]) : [])]
      for (const item of plan) {
        const run = await runCampaignScan(environment, { rate: item.rate, spareProbe: item.spareProbe, ...(item.classes === undefined ? {} : { classes: item.classes }), deadlineSeconds: DEADLINE_SECONDS, timeoutSeconds: TIMEOUT_SECONDS })
        const figures = compareWithBaseline(baseline, run)
        runs++
        if (!rows.has(item.label)) rows.set(item.label, [])
        rows.get(item.label)!.push(figures)
        log(`faults round ${round + 1}: ${item.label}: ${figures.verified}/${figures.checkable} verified, ${figures.wrongVerdicts.length} wrong, ${seconds(figures.wallMs)}`)
      }
    } finally {
      await environment.stop()
    }
  }
  return { rows: [...rows].map(([label, figures]) => ({ label, figures })), runs }
}

function faultTable(rows: FaultRow[]): string[] {
  const lines = [
    '| faults | runs | requests faulted | uses verified (min – mean) | unverified, all with a could-not-verify finding | wrong verdicts | lost verdicts | not-found reclassified | wall time (max) |',
    '|---|---|---|---|---|---|---|---|---|'
  ]
  for (const { label, figures } of rows) {
    const sum = (pick: (item: CampaignFigures) => number): number => figures.reduce((total, item) => total + pick(item), 0)
    const shares = figures.map((item) => item.verified / item.checkable)
    const honest = figures.every((item) => item.honestlyUnverified === item.unverified)
    lines.push(
      `| ${label} | ${figures.length} | ${percent(sum((item) => item.faultedRequests), sum((item) => item.requests))} | ` +
        `${(100 * Math.min(...shares)).toFixed(1)} – ${(100 * (shares.reduce((a, b) => a + b, 0) / shares.length)).toFixed(1)} % | ` +
        `${sum((item) => item.unverified)}, ${honest ? 'yes' : 'NO'} | ${sum((item) => item.wrongVerdicts.length)} | ${sum((item) => item.lostVerdicts.length)} | ` +
        `${sum((item) => item.reclassified.length)} | ${seconds(Math.max(...figures.map((item) => item.wallMs)))} of ${DEADLINE_SECONDS} s |`
    )
  }
  return lines
}

/** A registry that holds every answer for ten minutes, with a 5 s deadline. */
async function measureSlowRegistry(): Promise<string> {
  const registry = await startRegistry()
  const slow = await startFaultProxy({ upstream: registry.url, faults: [{ fault: { kind: 'delay', ms: 600_000 } }] })
  const workspace = await mkdtemp(path.join(tmpdir(), 'pullcheck-reliability-slow-'))
  try {
    await writeFile(path.join(workspace, '.pullcheck.yaml'), 'deadline: 5\n')
    await writeFile(path.join(workspace, 'pod.yaml'), `apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: a\n      image: ${slow.host}/team/web:1.0\n`)
    const started = Date.now()
    const run = await runCli(['scan', '--format', 'json', '.'], { cwd: workspace, env: { HOME: workspace } })
    const status = (JSON.parse(run.stdout) as { images: Array<{ status: string }> }).images[0]?.status
    return `A registry that answers after ten minutes, with \`deadline: 5\`: the scan ended after ${seconds(Date.now() - started)}, exit ${run.code}, the image reported \`${status}\` with \`registry-timeout\`.`
  } finally {
    await slow.stop()
    await registry.stop()
    await rm(workspace, { recursive: true, force: true })
  }
}

/** Bytes of canary text (in any encoded form) found in `text`. */
function leakedBytes(canaries: Canaries, text: string): number {
  let bytes = 0
  for (const secret of Object.values(canaries)) {
    for (const form of leakForms(secret)) bytes += (text.split(form).length - 1) * form.length
  }
  return bytes
}

/** Canary credentials through the CLI's three formats and the action, both runtimes. */
async function measureCanaries(): Promise<string[]> {
  const environment = await startCanaryEnvironment()
  const lines = ['| runtime | run | output bytes examined | canary bytes found |', '|---|---|---|---|']
  try {
    const { workspace, runner, canaries } = environment
    const env = { HOME: runner.home, PATH: `${runner.binDir}:${process.env.PATH ?? ''}`, DOCKER_CONFIG: runner.dockerConfigDir, GITHUB_ACTIONS: 'true', GITHUB_TOKEN: canaries.githubToken, PULLCHECK_DEBUG: '1' }
    for (const runtime of nodeRuntimes) {
      for (const format of ['text', 'json', 'sarif']) {
        const before = new Map([...(await fileStates(workspace)), ...(await fileStates(runner.home))])
        const run = await runCli(['scan', '--format', format, '--registry-auth', runner.registryAuthFile, '.'], { node: runtime.binary, cwd: workspace, env })
        const written = (await writtenFiles([workspace, runner.home], before)).filter((file) => file.file !== runner.helperLog)
        const texts = [run.stdout, run.stderr, ...written.map((file) => file.text)]
        lines.push(`| ${runtime.label} | CLI, ${format}, debug log | ${texts.join('').length} | ${texts.reduce((sum, text) => sum + leakedBytes(canaries, text), 0)} |`)
      }
      const before = new Map([...(await fileStates(workspace)), ...(await fileStates(runner.home))])
      const payload = JSON.parse(await readFile(path.join(repoRoot, 'fixtures', 'action', 'events', 'workflow_dispatch.json'), 'utf8')) as Record<string, unknown>
      const run = await runBuiltAction({
        node: runtime.binary,
        workspace,
        eventName: 'workflow_dispatch',
        payload,
        sha: 'a'.repeat(40),
        githubToken: canaries.githubToken,
        inputs: { 'registry-auth': environment.registryAuth, 'docker-config': runner.dockerConfigDir, 'sarif-file': 'reports/pullcheck.sarif' },
        env: { PATH: env.PATH, RUNNER_DEBUG: '1' }
      })
      const written = [...(await writtenFiles([workspace, runner.home], before)), ...(await writtenFiles([run.runnerTemp], new Map()))].filter((file) => file.file !== runner.helperLog)
      // `::add-mask::` lines hand the secrets to the runner, which hides them from every other line.
      const stdout = run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n')
      const texts = [stdout, run.stderr, JSON.stringify(run.outputs), run.summary, ...written.map((file) => file.text)]
      lines.push(`| ${runtime.label} | action: commands, debug log, outputs, summary, JSON and SARIF files | ${texts.join('').length} | ${texts.reduce((sum, text) => sum + leakedBytes(canaries, text), 0)} |`)
      await rm(run.runnerTemp, { recursive: true, force: true })
      await rm(path.join(workspace, 'reports'), { recursive: true, force: true })
    }
    return lines
  } finally {
    await environment.stop()
  }
}

async function main(): Promise<void> {
  await ensureBuilt()
  const started = Date.now()
  log('bad input…')
  const badInput = await measureBadInput()
  const manyFiles = await measureManyFiles()
  log('faults…')
  const faults = await measureFaults()
  const slow = await measureSlowRegistry()
  log(`fuzz: ${fuzzRuns} cases…`)
  const fuzzStarted = Date.now()
  const fuzzCases = await runInventoryFuzz({ runs: fuzzRuns, seed: 20_261_121 })
  const fuzzMs = Date.now() - fuzzStarted
  log('canaries…')
  const canaries = await measureCanaries()

  const markdown = [
    `<!-- reliability:start -->`,
    `Figures of the last run of \`node --import tsx scripts/reliability.ts --rounds ${rounds} --fuzz-runs ${fuzzRuns}\` (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, ${seconds(Date.now() - started)} in all).`,
    '',
    '### Bad input',
    '',
    ...badInput,
    '',
    '10 000 one-Pod files, one registry question per unique image:',
    '',
    ...manyFiles,
    '',
    '### Faulty registries',
    '',
    `${faults.runs} whole scans of 60 image uses (30 unique references) through fault-injecting proxies, in ${rounds} rounds with their own seeds, each compared use by use with a fault-free baseline of the same round. Per-request timeout ${TIMEOUT_SECONDS} s, deadline ${DEADLINE_SECONDS} s.`,
    '',
    ...faultTable(faults.rows),
    '',
    slow,
    '',
    '### Fuzzed manifests',
    '',
    `${fuzzCases} mutated manifests (both parse strategies each) in ${seconds(fuzzMs)}: no exception, no hang over 10 s, no position outside the file, no message with a raw control character.`,
    '',
    '### Canary credentials',
    '',
    ...canaries,
    `<!-- reliability:end -->`
  ].join('\n')
  process.stdout.write(`${markdown}\n`)
  if (flags.write) {
    const file = path.join(repoRoot, 'RELIABILITY.md')
    const current = await readFile(file, 'utf8')
    const start = current.indexOf('<!-- reliability:start -->')
    const end = current.indexOf('<!-- reliability:end -->')
    if (start === -1 || end === -1) throw new Error('RELIABILITY.md has no reliability markers')
    await writeFile(file, `${current.slice(0, start)}${markdown}${current.slice(end + '<!-- reliability:end -->'.length)}`)
    log('RELIABILITY.md updated')
  }
}

await main()
