// Temporary directories for the harness's servers (registry storage, configs, certificates), each
// removed by the server's stop() so that no test leaves files behind.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

/** Creates a fresh directory under the system temp dir, named after what it holds. */
export function makeTempDir(purpose: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `pullcheck-${purpose}-`))
}

/** Removes a directory made by makeTempDir, ignoring one that is already gone. */
export function removeTempDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true })
}
