// `npm run demo`: starts the local registries the tests use, pushes the demo images, scans a copy of
// fixtures/demo/ with this run's registry addresses filled in, prints the text report, and stops
// everything it started — also on Ctrl-C and on errors. Works offline: every registry is local.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { main } from '../src/cli/main.js'
import { startRuleEnvironment, type RuleEnvironment } from '../test/rules/environment.js'
import { copyFixture } from '../test/rules/run-fixture.js'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

async function runDemo(): Promise<number> {
  process.stderr.write('Starting local registries and pushing the demo images…\n')
  const starting = startRuleEnvironment()
  let workDir: string | undefined
  const cleanUp = async (): Promise<void> => {
    // Also when interrupted while the registries are still starting: wait for them, then stop them.
    await starting.then((environment) => environment.stop(), () => undefined)
    if (workDir !== undefined) await rm(workDir, { recursive: true, force: true })
  }
  const interrupted = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\n${signal}: stopping the demo registries…\n`)
    void cleanUp().finally(() => process.exit(130))
  }
  process.once('SIGINT', interrupted)
  process.once('SIGTERM', interrupted)
  try {
    const environment: RuleEnvironment = await starting
    workDir = await mkdtemp(path.join(tmpdir(), 'pullcheck-demo-'))
    // The copy keeps the relative path, so the report reads fixtures/demo/… as in the repository.
    await copyFixture(path.join(repoRoot, 'fixtures', 'demo'), path.join(workDir, 'fixtures', 'demo'), environment, 'fixtures/demo')
    const registryAuth = path.join(workDir, 'registry-auth.json')
    await writeFile(registryAuth, environment.registryAuth, { mode: 0o600 })
    const args = ['scan', 'fixtures/demo', '--registry-auth', registryAuth, '--timeout', '2']
    process.stderr.write(`$ pullcheck ${args.map((arg) => (arg === registryAuth ? 'registry-auth.json' : arg)).join(' ')}\n\n`)
    const code = await main(args, {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      stdin: process.stdin,
      stderrIsTTY: process.stderr.isTTY === true,
      cwd: workDir,
      env: { ...process.env, DOCKER_CONFIG: workDir }
    })
    // Findings are the point of the demo: exit 1 ("findings at the fail level") is success here.
    return code === 0 || code === 1 ? 0 : code
  } finally {
    process.off('SIGINT', interrupted)
    process.off('SIGTERM', interrupted)
    await cleanUp()
  }
}

process.exitCode = await runDemo()
