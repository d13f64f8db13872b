// Property-based mutation of valid manifests for the inventory: the seeds are the repository's own
// fixtures (every workload kind, Helm output, Lists, JSON, anchors, CRLF), and each case applies a
// few random edits — characters inserted, deleted or replaced, lines duplicated or dropped,
// indentation shifted, documents duplicated, template markers injected, the text truncated. The
// property: inventoryFromText never throws, and every position it reports lies inside the text.
import fc from 'fast-check'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { ParseStrategy } from '../../../src/documents/index.js'
import type { Inventory } from '../../../src/model.js'
import { inventoryFromText } from '../../../src/inventory/index.js'
import { repoRoot } from '../../support/node-binaries.js'

/** A valid manifest text to mutate, and whether it is JSON. */
export interface FuzzSeed {
  name: string
  text: string
  json: boolean
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry)
    return statSync(full).isDirectory() ? filesUnder(full) : [full]
  })
}

/** The manifests and rendered Helm output under fixtures/ (not the bad corpus, not chart templates). */
export function loadSeeds(): FuzzSeed[] {
  const roots = ['fixtures/manifests', 'fixtures/helm/rendered', 'fixtures/action/chart-repo/rendered', 'fixtures/demo']
  return roots
    .flatMap((root) => filesUnder(path.join(repoRoot, root)))
    .filter((file) => /\.(ya?ml|json)$/.test(file))
    .sort()
    .map((file) => ({ name: path.relative(repoRoot, file), text: readFileSync(file, 'utf8'), json: file.endsWith('.json') }))
}

/** Bits of YAML, JSON and template syntax that edits insert: the characters parsers trip on. */
const PIECES = [
  ' ', '  ', '\t', '\n', '\r\n', '\r', ':', ': ', '-', '- ', '#', '"', "'", '|', '|-', '>', '[', ']', '{', '}', ',', '&a', '*a', '<<: *a', '!', '!!str ', '!!binary ',
  '?', '%', '@', '`', '\\', '\\n', '...', '---', '---\n', '\n---\n', 'null', '~', '1.10', 'yes', '0x1F', '.inf', 'é', '😀', '\u2028', '\u0000', '\u001b[31m', '\uFEFF',
  '{{ .Values.image }}', '{{- if .Values.x }}', '{{ end }}', '${IMAGE}', '$(params.image)', 'ko://x', 'image: ', 'containers:\n', 'kind: Pod\n', 'items:\n  - '
]

type Edit =
  | { kind: 'insert'; at: number; piece: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'replace'; at: number; length: number; piece: string }
  | { kind: 'duplicate-line'; line: number; to: number }
  | { kind: 'delete-line'; line: number }
  | { kind: 'indent'; line: number; delta: number }
  | { kind: 'duplicate-document'; document: number }
  | { kind: 'truncate'; at: number }

const position = fc.nat({ max: 1_000_000 })
const piece = fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 6, unit: 'binary' }))

const editArbitrary: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: position, piece }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('replace' as const), at: position, length: fc.integer({ min: 1, max: 10 }), piece }),
  fc.record({ kind: fc.constant('duplicate-line' as const), line: position, to: position }),
  fc.record({ kind: fc.constant('delete-line' as const), line: position }),
  fc.record({ kind: fc.constant('indent' as const), line: position, delta: fc.integer({ min: -6, max: 6 }) }),
  fc.record({ kind: fc.constant('duplicate-document' as const), document: position }),
  fc.record({ kind: fc.constant('truncate' as const), at: position })
)

/** Applies one edit; positions are taken modulo the text's size so every edit lands somewhere. */
export function applyEdit(text: string, edit: Edit): string {
  const at = (offset: number): number => offset % (text.length + 1)
  switch (edit.kind) {
    case 'insert':
      return text.slice(0, at(edit.at)) + edit.piece + text.slice(at(edit.at))
    case 'delete':
      return text.slice(0, at(edit.at)) + text.slice(at(edit.at) + edit.length)
    case 'replace':
      return text.slice(0, at(edit.at)) + edit.piece + text.slice(at(edit.at) + edit.length)
    case 'truncate':
      return text.slice(0, at(edit.at))
    case 'duplicate-document': {
      const documents = text.split(/^---[^\n]*\n/m)
      const chosen = documents[edit.document % documents.length] ?? ''
      return `${text}${text.endsWith('\n') ? '' : '\n'}---\n${chosen}`
    }
    default: {
      const lines = text.split('\n')
      const line = edit.line % lines.length
      if (edit.kind === 'delete-line') lines.splice(line, 1)
      else if (edit.kind === 'duplicate-line') lines.splice(edit.to % (lines.length + 1), 0, lines[line] ?? '')
      else {
        const current = lines[line] ?? ''
        const indent = /^ */.exec(current)![0].length
        lines[line] = ' '.repeat(Math.max(0, indent + edit.delta)) + current.trimStart()
      }
      return lines.join('\n')
    }
  }
}

/** A seed and the edits to apply to it. */
export function mutatedManifest(seeds: readonly FuzzSeed[]): fc.Arbitrary<{ seed: FuzzSeed; text: string }> {
  return fc
    .record({ seed: fc.constantFrom(...seeds), edits: fc.array(editArbitrary, { minLength: 1, maxLength: 6 }) })
    .map(({ seed, edits }) => ({ seed, text: edits.reduce(applyEdit, seed.text) }))
}

/** Why a reported position is outside `text`, or null when it is inside. */
function outside(lines: readonly string[], what: string, line: number, column: number | undefined, endColumn?: number | null): string | null {
  if (!Number.isInteger(line) || line < 1 || line > lines.length) return `${what}: line ${line} of ${lines.length}`
  const length = lines[line - 1]!.replace(/\r$/, '').length
  if (column !== undefined && (!Number.isInteger(column) || column < 1 || column > length + 1)) return `${what}: column ${column} on line ${line} of length ${length}`
  if (endColumn !== undefined && endColumn !== null && (endColumn < (column ?? 1) || endColumn > length + 1)) {
    return `${what}: end column ${endColumn} on line ${line} of length ${length}`
  }
  return null
}

/** Every position of `inventory` that is not inside `text`, and every message that is not one line, as sentences. */
export function positionViolations(inventory: Inventory, text: string): string[] {
  // The inventory reports positions in the text without a leading byte-order mark.
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split('\n')
  const problems: Array<string | null> = []
  for (const image of inventory.images) {
    problems.push(outside(lines, `image ${JSON.stringify(image.image)}`, image.line, image.column, image.endColumn))
    for (const ref of image.pod.imagePullSecrets ?? []) problems.push(outside(lines, `pull secret ${ref.name}`, ref.line, ref.column))
  }
  for (const secret of inventory.secrets) problems.push(outside(lines, `secret ${secret.name}`, secret.line, secret.column))
  for (const account of inventory.serviceAccounts) {
    problems.push(outside(lines, `service account ${account.name}`, account.line, account.column))
    for (const ref of account.imagePullSecrets) problems.push(outside(lines, `pull secret ${ref.name}`, ref.line, ref.column))
  }
  for (const diagnostic of inventory.diagnostics) {
    problems.push(outside(lines, `diagnostic ${diagnostic.code}`, diagnostic.line, diagnostic.column))
    // A message is one line: it may quote the file, never break the report it lands in.
    if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(diagnostic.message)) problems.push(`diagnostic ${diagnostic.code}: control character in ${JSON.stringify(diagnostic.message)}`)
  }
  return problems.filter((problem): problem is string => problem !== null)
}

/** Every way the inventory of `text` breaks the property (it throws, or reports outside the text). */
export function inventoryViolations(text: string, json: boolean, strategy: ParseStrategy): string[] {
  let inventory: Inventory
  try {
    inventory = inventoryFromText(text, 'fuzz.yaml', { json, strategy })
  } catch (error) {
    return [`threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`]
  }
  return positionViolations(inventory, text)
}

export interface FuzzRunOptions {
  runs: number
  seed: number
  /** Give up after this long (soak runs); fast-check's own `interruptAfterTimeLimit`. */
  timeLimitMs?: number
}

/**
 * Runs the property over both parse strategies in a worker thread, and returns the number of cases
 * run. Throws with the counterexample when the property fails, and with the case when one runs
 * longer than `caseTimeoutMs` (the worker is then stopped: a synchronous hang cannot be interrupted
 * in the thread it runs in).
 */
export function runInventoryFuzz(options: FuzzRunOptions & { caseTimeoutMs?: number }): Promise<number> {
  const caseTimeoutMs = options.caseTimeoutMs ?? 10_000
  const worker = new Worker(new URL('./fuzz-worker.mjs', import.meta.url), {
    workerData: { runs: options.runs, seed: options.seed, ...(options.timeLimitMs === undefined ? {} : { timeLimitMs: options.timeLimitMs }) }
  })
  return new Promise((resolve, reject) => {
    let current: { seed: string; text: string } | null = null
    let timer: NodeJS.Timeout | undefined
    const finish = (outcome: () => void): void => {
      clearTimeout(timer)
      void worker.terminate()
      outcome()
    }
    const arm = (): void => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        const what = current === null ? 'before the first case' : `on ${current.seed}, mutated:\n${JSON.stringify(current.text)}`
        finish(() => reject(new Error(`the inventory did not finish within ${caseTimeoutMs} ms ${what}`)))
      }, caseTimeoutMs)
    }
    arm()
    worker.on('message', (message: { kind: 'case'; seed: string; text: string } | { kind: 'done'; cases: number } | { kind: 'failed'; message: string }) => {
      if (message.kind === 'case') {
        current = message
        arm()
      } else if (message.kind === 'done') finish(() => resolve(message.cases))
      else finish(() => reject(new Error(message.message)))
    })
    worker.on('error', (error) => finish(() => reject(error)))
  })
}
