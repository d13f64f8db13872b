// `pullcheck images [PATH…]`: the image inventory — every image use with its exact position, kind,
// container and resolved reference, and every diagnostic about files that could not be read.
// Text for a person or JSON (schemas/images.schema.json). Always exit 0 unless the invocation is
// wrong (2): the inventory lists, `pullcheck scan` is the command that fails a build.
import type { ContainerType, Diagnostic, ImageUse, Inventory } from '../../model.js'
import { parseSize } from '../../config/units.js'
import { DEFAULT_MAX_FILE_SIZE } from '../../files/index.js'
import { buildInventory } from '../../inventory/index.js'
import { formatFlag, parseCommandArgs, stringFlag } from '../args.js'
import { EXIT_OK, type CliCommand } from '../io.js'
import { stderrLogger } from '../logger.js'
import { readStdinWithin } from '../stdin.js'

const FORMATS = ['text', 'json'] as const

const USAGE = `Usage: pullcheck images [PATH…] [--format text|json] [--max-file-size BYTES]

Lists every container image in the Kubernetes manifests and Helm-rendered YAML under PATH (files,
directories searched recursively, globs such as 'deploy/**/*.yaml'; '-' reads stdin; default: the
current directory), with the line and column of each image value, its workload and container, the
reference the kubelet would pull, and the pod's service account, pull secrets and placement.
Files pullcheck cannot read (YAML errors, unrendered templates, binary files, files over the size
limit) are listed as diagnostics; the other files are still read.

Options:
  --format text|json     output format (default: text); JSON follows schemas/images.schema.json
  --max-file-size BYTES  largest file read (default: 50MiB; units such as 10MB or 1GiB are accepted)

Exit codes: 0 the inventory was built (even with diagnostics: \`pullcheck scan\` is the command
that fails), 2 usage error.
`

/** The reference fields of the JSON contract. */
interface JsonReference {
  canonical: string
  registry: string
  repository: string
  tag: string | null
  digest: string | null
  implied: string[]
}

function jsonImage(use: ImageUse): Record<string, unknown> {
  const reference: JsonReference | null =
    use.reference === null
      ? null
      : {
          canonical: use.reference.canonical,
          registry: use.reference.registry,
          repository: use.reference.repository,
          tag: use.reference.tag,
          digest: use.reference.digest,
          implied: [...use.reference.implied]
        }
  return {
    file: use.file,
    line: use.line,
    column: use.column,
    endColumn: use.endColumn ?? null,
    document: use.document,
    apiVersion: use.apiVersion,
    kind: use.kind,
    namespace: use.namespace,
    name: use.name,
    containerType: use.containerType,
    container: use.container,
    image: use.image,
    templated: use.templated,
    reference,
    referenceError: use.referenceError,
    source: use.source,
    imagePullPolicy: use.imagePullPolicy,
    pod: use.pod
  }
}

function jsonDiagnostic(diagnostic: Diagnostic): Record<string, unknown> {
  return {
    file: diagnostic.file,
    line: diagnostic.line,
    ...(diagnostic.column !== undefined ? { column: diagnostic.column } : {}),
    code: diagnostic.code,
    severity: diagnostic.severity,
    message: diagnostic.message
  }
}

/**
 * The JSON document of `pullcheck images --format json`. Secrets are listed by name, type and key
 * names only: their values never leave the process.
 */
export function renderImagesJson(inventory: Inventory): string {
  const document = {
    images: inventory.images.map(jsonImage),
    diagnostics: inventory.diagnostics.map(jsonDiagnostic),
    files: inventory.files,
    secrets: inventory.secrets.map((secret) => ({
      file: secret.file,
      line: secret.line,
      column: secret.column,
      document: secret.document,
      kind: secret.kind,
      name: secret.name,
      namespace: secret.namespace,
      type: secret.type,
      keys: Object.keys(secret.data),
      opaqueContents: secret.opaqueContents
    })),
    serviceAccounts: inventory.serviceAccounts.map((account) => ({
      file: account.file,
      line: account.line,
      column: account.column,
      document: account.document,
      name: account.name,
      namespace: account.namespace,
      imagePullSecrets: account.imagePullSecrets
    }))
  }
  return `${JSON.stringify(document, null, 2)}\n`
}

const CONTAINER_LABELS: Readonly<Record<ContainerType, string>> = {
  container: '',
  initContainer: 'init',
  sidecar: 'sidecar',
  ephemeralContainer: 'ephemeral',
  step: 'step',
  script: 'script',
  template: 'template',
  imageVolume: 'image volume'
}

/** Longest manifest value shown in text output; JSON always has the whole value. */
const SHOWN_LENGTH = 160

/** A value as a person can read it on one line: control characters escaped, very long manifest values cut. */
function showValue(value: string, limit = SHOWN_LENGTH): string {
  const visible = /[\x00-\x1f\x7f\u2028\u2029]/.test(value) || value === '' ? JSON.stringify(value) : value
  return visible.length > limit ? `${visible.slice(0, limit)}… (${value.length} characters)` : visible
}

function describeImage(use: ImageUse): string {
  const image = showValue(use.image)
  if (use.templated) return `${image}  (template: not checked)`
  if (use.reference === null) return `${image}  ✗  ${showValue(use.referenceError ?? 'invalid reference')}`
  return `${image}  →  ${use.reference.canonical}`
}

function describeContainer(use: ImageUse): string {
  const name = use.container === null ? '-' : showValue(use.container)
  const label = CONTAINER_LABELS[use.containerType]
  return label === '' ? name : `${name} (${label})`
}

function describeObject(use: ImageUse): string {
  if (use.kind === null) return '-'
  return use.name === null ? showValue(use.kind) : `${showValue(use.kind)}/${showValue(use.name)}`
}

function padColumns(rows: string[][]): string[] {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)))
  return rows.map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0))).join('  '))
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

/** The text report: images grouped by file, then diagnostics, then a one-line summary. */
export function renderImagesText(inventory: Inventory): string {
  const lines: string[] = []
  const byFile = new Map<string, ImageUse[]>()
  for (const use of inventory.images) {
    const uses = byFile.get(use.file) ?? []
    uses.push(use)
    byFile.set(use.file, uses)
  }
  for (const [file, uses] of byFile) {
    lines.push(showValue(file))
    const rows = uses.map((use) => [`${use.line}:${use.column}`, describeObject(use), describeContainer(use), describeImage(use)])
    for (const row of padColumns(rows)) lines.push(`  ${row}`)
    lines.push('')
  }
  if (inventory.diagnostics.length > 0) {
    lines.push('Diagnostics')
    const rows = inventory.diagnostics.map((diagnostic) => [
      `${showValue(diagnostic.file)}:${diagnostic.line}${diagnostic.column !== undefined ? `:${diagnostic.column}` : ''}`,
      diagnostic.severity,
      diagnostic.code,
      showValue(diagnostic.message, Infinity)
    ])
    for (const row of padColumns(rows)) lines.push(`  ${row}`)
    lines.push('')
  }
  const templated = inventory.images.filter((use) => use.templated).length
  const invalid = inventory.images.filter((use) => !use.templated && use.reference === null).length
  const notes = [templated > 0 ? `${templated} templated` : '', invalid > 0 ? `${invalid} invalid` : ''].filter(Boolean)
  const bySeverity = ['error', 'warning', 'notice']
    .map((severity) => [severity, inventory.diagnostics.filter((d) => d.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}${count === 1 ? '' : 's'}`)
  lines.push(
    `${plural(inventory.images.length, 'image')}${notes.length > 0 ? ` (${notes.join(', ')})` : ''} in ${plural(inventory.files.length, 'file')}` +
      (inventory.diagnostics.length > 0 ? `; ${plural(inventory.diagnostics.length, 'diagnostic')} (${bySeverity.join(', ')})` : '')
  )
  return `${lines.join('\n')}\n`
}

export const imagesCommand: CliCommand = {
  name: 'images',
  summary: 'List every image in the manifests, with its exact position, pod context and resolved reference.',
  usage: USAGE,
  async run(argv, io) {
    const args = parseCommandArgs(argv, { format: { type: 'string' }, 'max-file-size': { type: 'string' } })
    const format = formatFlag(args, FORMATS)
    const maxFileSizeFlag = stringFlag(args, 'max-file-size')
    const maxFileSize = maxFileSizeFlag === undefined ? undefined : parseSize(maxFileSizeFlag, '--max-file-size')
    const inventory = await buildInventory({
      paths: args.positionals.length > 0 ? args.positionals : ['.'],
      cwd: io.cwd,
      readStdin: () => readStdinWithin(io.stdin, maxFileSize ?? DEFAULT_MAX_FILE_SIZE),
      ...(maxFileSize !== undefined ? { maxFileSize } : {}),
      // Timing lines per file with PULLCHECK_DEBUG=1 (or RUNNER_DEBUG=1).
      logger: stderrLogger(io)
    })
    io.stdout(format === 'json' ? renderImagesJson(inventory) : renderImagesText(inventory))
    return EXIT_OK
  }
}
