// The Node binaries the end-to-end tests run the built CLI and action under: the one running the
// tests (Node 20 on the development machines) and Node 24 (the Actions runtime).
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const node24Binary = path.join(repoRoot, '.cache', 'node24', 'node_modules', `node-linux-${process.arch}`, 'bin', 'node')

/** Node binaries to run end-to-end tests under, with a label for test names. */
export const nodeRuntimes: Array<{ label: string; binary: string }> = [
  { label: `node ${process.versions.node}`, binary: process.execPath },
  { label: 'node 24', binary: node24Binary }
]
