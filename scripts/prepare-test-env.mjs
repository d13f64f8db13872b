// Installs what the tests need beyond npm packages, so that the README's test command works on a
// fresh Debian/Ubuntu machine: the CNCF distribution registry and openssl (real registries on
// 127.0.0.1), skopeo (the benchmark's reference), and a Node 24 binary (the Actions runtime) from
// the npm registry for the end-to-end tests.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const NODE24_VERSION = '24.21.0'
export const node24Dir = path.join(root, '.cache', 'node24')
export const node24Binary = path.join(node24Dir, 'node_modules', `node-linux-${process.arch}`, 'bin', 'node')

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0
}

function installDebianPackages(packages) {
  const missing = packages.filter(([command]) => !onPath(command)).map(([, pkg]) => pkg)
  if (missing.length === 0) return
  if (process.getuid?.() !== 0) {
    console.error(`pullcheck tests need: ${missing.join(' ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}`)
    process.exit(1)
  }
  console.log(`Installing ${missing.join(' ')} with apt-get…`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env })
}

function installNode24() {
  if (existsSync(node24Binary)) return
  console.log(`Installing Node ${NODE24_VERSION} (npm package node-linux-${process.arch}) into .cache/node24…`)
  execFileSync(
    'npm',
    ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', node24Dir, `node-linux-${process.arch}@${NODE24_VERSION}`],
    { stdio: 'inherit' }
  )
  if (!existsSync(node24Binary)) {
    console.error(`Node 24 was not installed at ${node24Binary}`)
    process.exit(1)
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.platform !== 'linux') {
    console.error('The test set-up script supports Linux (Debian/Ubuntu) only.')
    process.exit(1)
  }
  installDebianPackages([
    ['docker-registry', 'docker-registry'],
    ['openssl', 'openssl'],
    ['skopeo', 'skopeo']
  ])
  installNode24()
  console.log(`Test environment ready: docker-registry, openssl, skopeo, Node ${NODE24_VERSION}.`)
}
