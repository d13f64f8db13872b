// Runs once before the test files: the tests use real programs, and a missing one must fail the
// run with a clear message, never skip tests silently.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { node24Binary } from './node-binaries.js'

export default function setup(): void {
  const missing: string[] = []
  for (const command of ['docker-registry', 'openssl']) {
    if (spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status !== 0) missing.push(command)
  }
  if (!existsSync(node24Binary)) missing.push(`Node 24 (${node24Binary})`)
  if (missing.length > 0) {
    throw new Error(`The tests need ${missing.join(', ')}. Run \`npm run test:prepare\` first (see README.md).`)
  }
}
