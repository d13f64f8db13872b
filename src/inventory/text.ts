// The inventory of one text: parse its documents, turn their problems into diagnostics with
// positions, and extract each document. Pure and synchronous, so fuzz tests and the action's Helm
// provenance can call it directly on a string.
import { getErrorMessage } from '../errors.js'
import type { Inventory } from '../model.js'
import { LineIndex, parseManifestDocuments, type ParseStrategy } from '../documents/index.js'
import { escapeControlCharacters, type ExtractionContext } from './context.js'
import { extractDocument } from './extract.js'
import { kindCanMatter } from './kinds.js'

export interface TextInventoryOptions {
  /** Read the text as JSON (a value or a stream of values); otherwise YAML. */
  json?: boolean
  /** 'fast' (default) or 'reference' (every document through the `yaml` package; for verification). */
  strategy?: ParseStrategy
}

/** What inventoryFromText learned beyond the inventory itself. */
export interface TextInventory extends Inventory {
  /** How many documents hold a Kubernetes object (a mapping with a `kind`), skipped ones included. */
  objectCount: number
}

/**
 * Builds the inventory of one file's text. `file` is the path to report. Never throws for any
 * input: every problem becomes a diagnostic.
 */
export function inventoryFromText(text: string, file: string, options: TextInventoryOptions = {}): TextInventory {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const documents = parseManifestDocuments(source, {
    json: options.json === true,
    strategy: options.strategy ?? 'fast',
    wanted: (header) => kindCanMatter(header.apiVersion, header.kind)
  })
  const lines = new LineIndex(source)
  const inventory: TextInventory = { files: [file], images: [], secrets: [], serviceAccounts: [], diagnostics: [], objectCount: 0 }
  for (const document of documents) {
    for (const problem of document.problems) {
      const { line, column } = lines.position(problem.offset)
      // Parser messages quote the file (keys, alias names, tokens): never raw control characters.
      inventory.diagnostics.push({ file, line, column, code: problem.code, severity: problem.severity, message: escapeControlCharacters(problem.message) })
    }
    if (document.skipped !== null) {
      inventory.objectCount++
      continue
    }
    if (document.root === null) continue
    if (document.root.type === 'map' && document.root.entries.has('kind')) inventory.objectCount++
    const context: ExtractionContext = {
      file,
      text: source,
      lines,
      document: document.index,
      source: document.source,
      images: inventory.images,
      secrets: inventory.secrets,
      serviceAccounts: inventory.serviceAccounts,
      diagnostics: inventory.diagnostics
    }
    try {
      extractDocument(context, document.root)
    } catch (error) {
      // A bug must not cost the other documents; it is reported as one, on this document.
      const { line } = lines.position(document.start)
      const message = `internal error while reading this document (please report it): ${getErrorMessage(error)}`
      inventory.diagnostics.push({ file, line, code: 'unreadable', severity: 'error', message })
    }
  }
  const byPosition = <T extends { line: number; column?: number }>(a: T, b: T): number =>
    a.line - b.line || (a.column ?? 0) - (b.column ?? 0)
  inventory.images.sort((a, b) => a.document - b.document || byPosition(a, b))
  inventory.diagnostics.sort(byPosition)
  return inventory
}
