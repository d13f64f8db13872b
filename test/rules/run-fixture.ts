// Scans one rule fixture (a file or a directory under fixtures/) against the running rule
// environment: copies it into a temp dir with the placeholders substituted, applies its
// `fixture-config`, runs the library's runScan with pullcheck's CI credentials, and returns the
// result with the texts the markers were read from.
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { defaultScanConfig } from '../../src/config/defaults.js'
import type { ScanConfig } from '../../src/config/types.js'
import type { ScanResult } from '../../src/model.js'
import { loadToolCredentials } from '../../src/registry/index.js'
import { runScan } from '../../src/scan/index.js'
import { substitutePlaceholders, type RuleEnvironment } from './environment.js'
import { readExpectations, type FixtureExpectations } from './fixture-markers.js'

export interface FixtureRun {
  result: ScanResult
  expectations: FixtureExpectations
  /** Reported path → substituted text, for every file of the fixture. */
  texts: Map<string, string>
}

/** Substitutes placeholders in a copy of `source` (file or directory) under `target`; returns reported path → text. */
export async function copyFixture(source: string, target: string, environment: RuleEnvironment, reportedBase: string): Promise<Map<string, string>> {
  const texts = new Map<string, string>()
  if ((await stat(source)).isDirectory()) {
    await mkdir(target, { recursive: true })
    for (const entry of await readdir(source)) {
      const nested = await copyFixture(path.join(source, entry), path.join(target, entry), environment, `${reportedBase}/${entry}`)
      for (const [file, text] of nested) texts.set(file, text)
    }
    return texts
  }
  if (!/\.(ya?ml|json)$/.test(source)) {
    await cp(source, target)
    return texts
  }
  const text = substitutePlaceholders(await readFile(source, 'utf8'), environment.placeholders)
  await writeFile(target, text)
  texts.set(reportedBase, text)
  return texts
}

/** Runs the scan of one fixture. */
export async function runFixture(fixture: string, environment: RuleEnvironment): Promise<FixtureRun> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'pullcheck-fixture-'))
  try {
    const name = path.basename(fixture)
    const texts = await copyFixture(fixture, path.join(workDir, name), environment, name)
    const expectations = readExpectations(texts)
    // `ciCredentials: false` runs the scan as a CI without registry credentials; the rest is ScanConfig.
    const { ciCredentials = true, ...configFields } = expectations.config
    const config: ScanConfig = { ...defaultScanConfig(), ...(configFields as Partial<ScanConfig>) }
    // An empty Docker config: the machine's own ~/.docker must not change what the fixtures see.
    const dockerConfig = path.join(workDir, '.docker')
    await mkdir(dockerConfig)
    await writeFile(path.join(dockerConfig, 'config.json'), '{}')
    const credentials = await loadToolCredentials({ registryAuth: ciCredentials === false ? '[]' : environment.registryAuth, dockerConfig, env: {} })
    const result = await runScan({ paths: [name], cwd: workDir, config, credentials, env: {} })
    return { result, expectations, texts }
  } finally {
    await rm(workDir, { recursive: true, force: true })
  }
}
