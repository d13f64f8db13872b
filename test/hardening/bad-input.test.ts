// Hostile and broken input through the built CLI, under Node 20 and Node 24: the committed corpus in
// fixtures/bad/ plus generated cases (a 200 MB file, symlink loops, a broken symlink, a directory
// named like a manifest, a megabyte-long reference) mixed with good manifests on a real local
// registry. Every case yields a diagnostic with file and line, every other image is still checked,
// the exit code follows the findings, nothing prints a stack trace, memory stays bounded, and no
// output line can be read as a workflow command or a terminal escape.
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nodeRuntimes, repoRoot } from '../support/node-binaries.js'
import { pushImage } from '../support/registry/push.js'
import { startRegistry, type TestRegistry } from '../support/registry/registry.js'
import { runCli } from '../support/run-cli.js'
import { assertMatchesSchema } from '../support/schemas.js'
import { COMMITTED_CASES, GENERATED_CASES, HUGE_FILE_BYTES, writeGeneratedCases, writeManyTinyFiles, type BadCase } from './support/bad-corpus.js'
import { ensureBuilt, expectNoStackTrace, runCliMeasured } from './support/process.js'

/** Peak RSS a run may reach with 200 MB of input at hand: well below what holding that input would take. */
const PEAK_RSS_LIMIT = 256 * 1024 * 1024

interface JsonImage {
  file: string
  line: number
  column: number
  image: string
  templated: boolean
  reference: unknown
  status?: string
}
interface JsonDiagnostic {
  file: string
  line: number
  code: string
  message: string
}
interface JsonFinding {
  rule: string
  severity: string
  file: string
  line: number
  message: string
}

/** Characters that must never reach a report line raw: C0/C1 controls (tab aside) and Unicode line breaks. */
const UNSAFE_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/

/** Asserts that no line of `output` can be read as a workflow command, in the current or the legacy form. */
function expectNoWorkflowCommands(output: string): void {
  for (const line of output.split(/\r\n|\r|\n/)) {
    expect(line.trimStart().startsWith('::'), `a line that the runner would read as a workflow command: ${line.slice(0, 200)}`).toBe(false)
    expect(line.includes('##['), `a legacy workflow command in: ${line.slice(0, 200)}`).toBe(false)
  }
}

/** Asserts that `output` carries no control character (tab aside) and no Unicode line separator raw. */
function expectNoControlCharacters(output: string): void {
  for (const line of output.split('\n')) expect(UNSAFE_CHARACTER.test(line), `a control character in: ${JSON.stringify(line.slice(0, 200))}`).toBe(false)
}

/** Text output: inert for the runner and for a terminal. */
function expectInertLines(output: string): void {
  expectNoWorkflowCommands(output)
  expectNoControlCharacters(output)
}

/** The good manifests: images that exist on the local registry, and two tags that do not. */
function goodManifests(host: string): Record<string, { text: string; images: Array<{ line: number; status: 'ok' | 'problem' }> }> {
  const deployment = (name: string, images: string[]): string =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: ${name}`,
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      ...images.flatMap((image, index) => [`        - name: c${index}`, `          image: ${host}/${image}`])
    ].join('\n') + '\n'
  return {
    'good/ok/web.yaml': {
      text: deployment('web', ['team/web:1.0', 'team/api:2.0', 'team/web:1.0', 'team/worker:3.2', 'team/api:2.0', 'team/web:1.0']),
      images: [10, 12, 14, 16, 18, 20].map((line) => ({ line, status: 'ok' }))
    },
    'good/ok/more.yaml': {
      text: deployment('more', ['team/worker:3.2', 'team/web:1.0', 'team/api:2.0', 'team/worker:3.2']),
      images: [10, 12, 14, 16].map((line) => ({ line, status: 'ok' }))
    },
    'good/missing.yaml': {
      text: deployment('missing', ['team/web:1.1', 'team/api:2.1']),
      images: [10, 12].map((line) => ({ line, status: 'problem' }))
    }
  }
}

/** Every expected case, by workspace-relative path. */
function expectedCases(): Map<string, BadCase> {
  const cases = new Map<string, BadCase>()
  for (const [file, expected] of Object.entries(COMMITTED_CASES)) cases.set(`bad/${file}`, expected)
  for (const [file, expected] of Object.entries(GENERATED_CASES)) cases.set(file, expected)
  return cases
}

describe('bad input through the built CLI', () => {
  let registry: TestRegistry
  let workspace: string
  let good: ReturnType<typeof goodManifests>

  beforeAll(async () => {
    await ensureBuilt()
    registry = await startRegistry()
    await pushImage(registry, 'team/web', '1.0', { kind: 'docker-schema2' })
    await pushImage(registry, 'team/api', '2.0', { kind: 'oci-index', platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }] })
    await pushImage(registry, 'team/worker', '3.2', { kind: 'docker-list', platforms: [{ os: 'linux', architecture: 'amd64' }] })
    workspace = await mkdtemp(path.join(tmpdir(), 'pullcheck-bad-input-'))
    await cp(path.join(repoRoot, 'fixtures', 'bad'), path.join(workspace, 'bad'), { recursive: true })
    await writeGeneratedCases(workspace)
    good = goodManifests(registry.host)
    for (const [file, { text }] of Object.entries(good)) {
      await mkdir(path.dirname(path.join(workspace, file)), { recursive: true })
      await writeFile(path.join(workspace, file), text)
    }
    // Only the local registry may be contacted: the corpus's Docker Hub images are refused, never fetched.
    await writeFile(path.join(workspace, '.pullcheck.yaml'), `allowedRegistries:\n  - "${registry.host}"\n`)
  }, 120_000)
  afterAll(async () => {
    await registry?.stop()
    if (workspace !== undefined) await rm(workspace, { recursive: true, force: true })
  })

  it('has an expectation for every committed file of the corpus', async () => {
    const committed = (await readdir(path.join(repoRoot, 'fixtures', 'bad'))).sort()
    expect(committed).toEqual(Object.keys(COMMITTED_CASES).sort())
  })

  it('takes the --max-file-size flag that the size-limit message names', async () => {
    const run = await runCli(['scan', '--format', 'json', '--max-file-size', '250', 'good/ok'], { cwd: workspace, env: { HOME: workspace } })
    expectNoStackTrace(run.stderr)
    expect(run.code).toBe(0)
    const report = JSON.parse(run.stdout) as { findings: JsonFinding[] }
    expect(report.findings.map((finding) => [finding.file, finding.line, finding.rule, finding.severity])).toEqual([
      ['good/ok/more.yaml', 1, 'skipped-file', 'notice'],
      ['good/ok/web.yaml', 1, 'skipped-file', 'notice']
    ])
    for (const finding of report.findings) expect(finding.message).toMatch(/over the 250 bytes limit \(--max-file-size, or maxFileSize in \.pullcheck\.yaml\)$/)
  })

  it('reports a directory named like a manifest that a glob matches as unreadable, and reads the other matches', async () => {
    const run = await runCli(['images', '--format', 'json', 'generated/*.yaml'], { cwd: workspace, env: { HOME: workspace } })
    expectNoStackTrace(run.stderr)
    expect(run.code).toBe(0)
    const report = JSON.parse(run.stdout) as { images: JsonImage[]; diagnostics: JsonDiagnostic[] }
    expect(report.diagnostics.filter((diagnostic) => diagnostic.file === 'generated/x.yaml').map((diagnostic) => [diagnostic.code, diagnostic.line, diagnostic.message])).toEqual([
      ['unreadable', 1, 'cannot read: it is a directory, not a file (pass it as a path to scan the files in it)']
    ])
    expect(report.images.map((image) => image.file).sort()).toEqual(['generated/evil\n::error file=a.yaml,line=1::from-a-file-name ##[warning]legacy.yaml', 'generated/long-single-line.yaml'])
  })

  for (const runtime of nodeRuntimes) {
    describe(runtime.label, () => {
      it('lists every diagnostic with file and line and every image still read (pullcheck images)', async () => {
        const run = await runCliMeasured(['images', '--format', 'json', '.'], { node: runtime.binary, cwd: workspace, env: { HOME: workspace } })
        console.info(`[hardening] ${runtime.label}: images over the bad corpus: peak RSS ${(run.peakRssBytes / 1024 / 1024).toFixed(0)} MiB with a ${HUGE_FILE_BYTES / 1024 / 1024} MB file present`)
        expectNoStackTrace(run.stderr)
        expect(run.code).toBe(0)
        expect(run.peakRssBytes).toBeLessThan(PEAK_RSS_LIMIT)
        expectNoWorkflowCommands(run.stdout)
        const report = JSON.parse(run.stdout) as { images: JsonImage[]; diagnostics: JsonDiagnostic[] }
        assertMatchesSchema('images.schema.json', report)
        // The escapes that keep the output inert are JSON escapes: the values are exactly what was written.
        expect(report.images.find((image) => image.file === 'bad/control-characters-escapes.yaml' && image.line === 21)?.image).toBe('nginx:1.27 ##[error]legacy')

        for (const [file, expected] of expectedCases()) {
          const diagnostics = report.diagnostics.filter((diagnostic) => diagnostic.file === file).map((diagnostic) => [diagnostic.code, diagnostic.line])
          expect(diagnostics, `diagnostics of ${file}`).toEqual(expected.diagnostics)
          const images = report.images.filter((image) => image.file === file).map((image) => [image.line, image.reference !== null || image.templated])
          expect(images, `images of ${file}`).toEqual(expected.images)
        }
        for (const [file, { images }] of Object.entries(good)) {
          expect(report.images.filter((image) => image.file === file).map((image) => image.line)).toEqual(images.map((image) => image.line))
        }
        // Every diagnostic names a file and a line, and says something.
        for (const diagnostic of report.diagnostics) {
          expect(diagnostic.file).not.toBe('')
          expect(diagnostic.line).toBeGreaterThanOrEqual(1)
          expect(diagnostic.message.length).toBeGreaterThan(10)
        }
        const hugeDiagnostic = report.diagnostics.find((diagnostic) => diagnostic.file === 'generated/huge.yaml')
        expect(hugeDiagnostic?.message).toBe('not read: the file is 200 MiB, over the 50 MiB limit (--max-file-size, or maxFileSize in .pullcheck.yaml)')
      })

      it('checks every good image, reports every bad case, and fails on the findings (pullcheck scan --format json)', async () => {
        const run = await runCliMeasured(['scan', '--format', 'json', '.'], { node: runtime.binary, cwd: workspace, env: { HOME: workspace } })
        console.info(`[hardening] ${runtime.label}: scan over the bad corpus: peak RSS ${(run.peakRssBytes / 1024 / 1024).toFixed(0)} MiB`)
        expectNoStackTrace(run.stderr)
        // Nothing on stderr but pullcheck's own warnings (no runtime warnings either).
        for (const line of run.stderr.split('\n').filter((text) => text !== '')) expect(line).toMatch(/^pullcheck: /)
        expect(run.code).toBe(1)
        expect(run.peakRssBytes).toBeLessThan(PEAK_RSS_LIMIT)
        expectNoWorkflowCommands(run.stdout)
        const report = JSON.parse(run.stdout) as { findings: JsonFinding[]; diagnostics: JsonDiagnostic[]; images: JsonImage[] }
        assertMatchesSchema('scan.schema.json', report)

        for (const [file, { images }] of Object.entries(good)) {
          expect(report.images.filter((image) => image.file === file).map((image) => [image.line, image.status])).toEqual(images.map((image) => [image.line, image.status]))
        }
        expect(report.findings.filter((finding) => finding.file.startsWith('good/')).map((finding) => [finding.file, finding.line, finding.rule])).toEqual([
          ['good/missing.yaml', 10, 'tag-not-found'],
          ['good/missing.yaml', 12, 'tag-not-found']
        ])
        // Every case is reported at its line: as a finding, or as a diagnostic no rule turns into one.
        for (const [file, expected] of expectedCases()) {
          for (const [code, line] of expected.diagnostics) {
            const reported =
              report.findings.some((finding) => finding.file === file && finding.line === line) ||
              report.diagnostics.some((diagnostic) => diagnostic.file === file && diagnostic.line === line && diagnostic.code === code)
            expect(reported, `${code} at ${file}:${line}`).toBe(true)
          }
          // Each image still read gets a verdict at its line: invalid, templated, or refused by allowedRegistries.
          for (const [line, valid] of expected.images) {
            const rules = report.findings.filter((finding) => finding.file === file && finding.line === line).map((finding) => finding.rule)
            expect(rules.length, `a finding for the image at ${file}:${line}`).toBeGreaterThan(0)
            if (!valid) expect(rules).toContain('invalid-reference')
          }
        }
        const blocked = report.findings.filter((finding) => finding.rule === 'registry-blocked')
        for (const finding of blocked) expect(finding.message).toContain('is not in the allowed registries (allowedRegistries)')
      })

      it('refuses 200 MB piped into stdin without holding it (pullcheck scan -)', async () => {
        const run = await runCliMeasured(['scan', '--format', 'json', '-'], { node: runtime.binary, cwd: workspace, env: { HOME: workspace }, stdinFile: path.join(workspace, 'generated', 'huge.yaml') })
        console.info(`[hardening] ${runtime.label}: 200 MB on stdin: peak RSS ${(run.peakRssBytes / 1024 / 1024).toFixed(0)} MiB`)
        expectNoStackTrace(run.stderr)
        // Skipped like a file over the limit: a notice, not a failure to read.
        expect(run.code).toBe(0)
        expect(run.peakRssBytes).toBeLessThan(PEAK_RSS_LIMIT)
        const report = JSON.parse(run.stdout) as { findings: JsonFinding[] }
        expect(report.findings.map((finding) => [finding.file, finding.line, finding.rule, finding.message])).toEqual([
          ['<stdin>', 1, 'skipped-file', 'Not checked: not read: stdin is 200 MiB, over the 50 MiB limit (--max-file-size, or maxFileSize in .pullcheck.yaml)']
        ])
      })

      it('prints one inert line per finding, exits by the findings, and never 2 or 3 for bad files (pullcheck scan)', async () => {
        const run = await runCli(['scan', '.'], { node: runtime.binary, cwd: workspace, env: { HOME: workspace } })
        expectNoStackTrace(run.stderr)
        expect(run.code).toBe(1)
        expectInertLines(run.stdout)
        expectInertLines(run.stderr)
        // A megabyte-long reference is not echoed whole.
        for (const line of run.stdout.split('\n')) expect(line.length).toBeLessThan(4000)
        expect(run.stdout).toMatch(/^bad\/control-characters\.yaml:9:14 +error +invalid-reference +InvalidImageName: couldn't parse image reference "nginx:1\.27\\n::error file=x\.yaml,line=1::injected"/m)

        const never = await runCli(['scan', '--fail-on', 'never', '.'], { node: runtime.binary, cwd: workspace, env: { HOME: workspace } })
        expect(never.code).toBe(0)
        const clean = await runCli(['scan', 'good/ok'], { node: runtime.binary, cwd: workspace, env: { HOME: workspace } })
        expect(clean.code).toBe(0)
        expect(clean.stdout).toMatch(/^no problems in 10 images \(3 unique\) across 2 files/m)
      })
    })
  }
})

describe('ten thousand tiny files', () => {
  let registry: TestRegistry
  let workspace: string

  beforeAll(async () => {
    await ensureBuilt()
    registry = await startRegistry()
    await pushImage(registry, 'team/web', '1.0', { kind: 'docker-schema2' })
    await pushImage(registry, 'team/api', '2.0', { kind: 'docker-schema2', seed: 'api' })
    workspace = await mkdtemp(path.join(tmpdir(), 'pullcheck-many-files-'))
    const images = ['team/web:1.0', 'team/api:2.0', 'team/web:1.1', 'team/api:2.0', 'team/web:1.0'].map((image) => `${registry.host}/${image}`)
    await writeManyTinyFiles(path.join(workspace, 'many'), 10_000, images)
  }, 120_000)
  afterAll(async () => {
    await registry?.stop()
    if (workspace !== undefined) await rm(workspace, { recursive: true, force: true })
  })

  for (const runtime of nodeRuntimes) {
    it(`scans them all with one registry question per unique image (${runtime.label})`, async () => {
      const started = Date.now()
      const run = await runCliMeasured(['scan', '--format', 'json', 'many'], { node: runtime.binary, cwd: workspace, env: { HOME: workspace }, timeoutMs: 120_000 })
      const wallMs = Date.now() - started
      console.info(`[hardening] ${runtime.label}: 10 000 files scanned in ${(wallMs / 1000).toFixed(1)} s, peak RSS ${(run.peakRssBytes / 1024 / 1024).toFixed(0)} MiB`)
      expectNoStackTrace(run.stderr)
      expect(run.code).toBe(1)
      const report = JSON.parse(run.stdout) as { findings: JsonFinding[]; summary: { files: number; images: number; uniqueImages: number; errors: number } }
      expect(report.summary).toMatchObject({ files: 10_000, images: 10_000, uniqueImages: 3, errors: 2000 })
      // Every third image of five is the missing tag: files p2, p7, p12, …
      const missing = report.findings.filter((finding) => finding.rule === 'tag-not-found')
      expect(missing).toHaveLength(2000)
      for (const finding of missing) {
        expect(finding.line).toBe(8)
        expect(Number(/p(\d+)\.yaml$/.exec(finding.file)?.[1]) % 5).toBe(2)
      }
      expect(run.peakRssBytes).toBeLessThan(512 * 1024 * 1024)
    })
  }
})
