// The image inventory: files → documents → every image use with its pod context, plus the Secrets
// and ServiceAccounts the pull-secret rules follow, plus a diagnostic for everything that could not
// be read. This is the offline stage every later one builds on; it never throws for user input.
import type { Diagnostic, Inventory } from '../model.js'
import { silentLogger, type Logger } from '../logger.js'
import type { ParseStrategy } from '../documents/index.js'
import { DEFAULT_MAX_FILE_SIZE, discoverFiles, isJsonPath, readManifestFile, STDIN_PATH, type DiscoveredFile } from '../files/index.js'
import { inventoryFromText } from './text.js'

export { inventoryFromText } from './text.js'
export type { TextInventory, TextInventoryOptions } from './text.js'
export { isTemplatedImage } from './templated.js'
export { kindCanMatter } from './kinds.js'
export { discoverFiles } from '../files/index.js'
export type { DiscoveredFile } from '../files/index.js'

export interface InventoryOptions {
  /** Files, directories (recursive) and globs; '-' reads stdin. */
  paths: string[]
  /** Directory that paths are resolved against and reported relative to (the CLI passes process cwd; the action the repository root). */
  cwd: string
  /** Reads stdin when '-' is among the paths. */
  readStdin?: () => Promise<string | Uint8Array>
  /** Largest file read, in bytes (default 50 MiB). */
  maxFileSize?: number
  logger?: Logger
  /**
   * 'fast' (default): documents whose kind cannot hold an image are only checked for syntax (no
   * tree), and plain YAML is read by the fast parser. 'reference': every document through the
   * `yaml` package — slower; the yardstick the fast path is verified against (same diagnostics).
   */
  strategy?: ParseStrategy
}

/** Files read ahead of the one being parsed, so disk waits overlap parsing. */
const READ_AHEAD = 8

/** True when stdin text looks like JSON (kubectl get -o json), so it is split as a JSON stream. */
function looksLikeJson(text: string): boolean {
  const first = /\S/.exec(text)?.[0]
  return first === '{' || first === '['
}

/** Builds the inventory of everything under `options.paths`. */
export async function buildInventory(options: InventoryOptions): Promise<Inventory> {
  const logger = options.logger ?? silentLogger
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE
  const discovery = await discoverFiles(options.paths, { cwd: options.cwd, logger })
  const inventory: Inventory = { files: [], images: [], secrets: [], serviceAccounts: [], diagnostics: [...discovery.diagnostics] }
  const files = discovery.files
  const reads: Array<ReturnType<typeof readManifestFile> | undefined> = []
  const readOptions = { maxFileSize, ...(options.readStdin !== undefined ? { readStdin: options.readStdin } : {}) }
  const startRead = (index: number): void => {
    const file = files[index]
    if (file !== undefined && reads[index] === undefined) reads[index] = readManifestFile(file, readOptions)
  }
  for (let index = 0; index < Math.min(READ_AHEAD, files.length); index++) startRead(index)
  for (let index = 0; index < files.length; index++) {
    const file = files[index] as DiscoveredFile
    const read = await (reads[index] as ReturnType<typeof readManifestFile>)
    reads[index] = undefined
    startRead(index + READ_AHEAD)
    if (!read.ok) {
      inventory.diagnostics.push(read.diagnostic)
      continue
    }
    const json = file.path === STDIN_PATH ? looksLikeJson(read.text) : isJsonPath(file.path)
    const started = performance.now()
    const part = inventoryFromText(read.text, file.path, { json, strategy: options.strategy ?? 'fast' })
    logger.debug(`${file.path}: ${part.images.length} images in ${(performance.now() - started).toFixed(1)} ms`)
    inventory.files.push(file.path)
    appendAll(inventory.images, part.images)
    appendAll(inventory.secrets, part.secrets)
    appendAll(inventory.serviceAccounts, part.serviceAccounts)
    appendAll(inventory.diagnostics, part.diagnostics)
    if (file.explicit && part.objectCount === 0 && part.diagnostics.length === 0) {
      inventory.diagnostics.push(notAManifest(file.path))
    }
  }
  return inventory
}

/** push(...items) without the argument-count limit that a 100 000-image file would hit. */
function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item)
}

function notAManifest(file: string): Diagnostic {
  return {
    file,
    line: 1,
    code: 'not-a-manifest',
    severity: 'notice',
    message: 'no Kubernetes object (a document with apiVersion and kind) in this file; nothing to check'
  }
}
