// `pullcheck resolve REF…`: how the kubelet resolves each image reference (registry, repository,
// tag, digest, and what it filled in), or why it rejects it. Text for a person or JSON
// (schemas/resolve.schema.json). Exit 0 when every reference is valid, 1 when one is not, 2 for
// usage errors. All resolution is done by src/reference/; this file only renders it.
import type { ImpliedPart } from '../../model.js'
import { ConfigurationError } from '../../errors.js'
import { describeImplied, parseReference, type ParseResult } from '../../reference/index.js'
import { formatFlag, parseCommandArgs } from '../args.js'
import { EXIT_FINDINGS, EXIT_OK, type CliCommand } from '../io.js'

/** One entry of `pullcheck resolve --format json`; every field but input and valid is null when invalid. */
export interface ResolvedReference {
  input: string
  valid: boolean
  error: string | null
  canonical: string | null
  registry: string | null
  repository: string | null
  tag: string | null
  digest: string | null
  implied: ImpliedPart[] | null
}

/** An input and what the kubelet makes of it. */
export interface Resolution {
  input: string
  result: ParseResult
}

/** Resolves each input, in order. */
export function resolveAll(inputs: string[]): Resolution[] {
  return inputs.map((input) => ({ input, result: parseReference(input) }))
}

/** The JSON contract's entry for one resolution. */
export function toResolvedReference({ input, result }: Resolution): ResolvedReference {
  if (!result.ok) {
    return { input, valid: false, error: result.error, canonical: null, registry: null, repository: null, tag: null, digest: null, implied: null }
  }
  const { canonical, registry, repository, tag, digest, implied } = result.reference
  return { input, valid: true, error: null, canonical, registry, repository, tag, digest, implied: [...implied] }
}

// A longer input overflows the column rather than pushing every other line to its width.
const WIDEST_ALIGNED_INPUT = 40

/** The text report: `input  →  canonical  (implied: …)`, or `input  ✗  why`, one line per input. */
export function renderResolveText(resolutions: Resolution[]): string {
  const shown = resolutions.map(({ input }) => showInput(input))
  const width = Math.max(0, ...shown.map((text) => text.length).filter((length) => length <= WIDEST_ALIGNED_INPUT))
  const lines = resolutions.map(({ result }, index) => {
    const input = (shown[index] ?? '').padEnd(width)
    if (!result.ok) return `${input}  ✗  ${result.error}`
    const reference = result.reference
    const notes: string[] = []
    const implied = describeImplied(reference)
    if (implied.length > 0) notes.push(`implied: ${implied.join(', ')}`)
    if (reference.tag !== null && reference.digest !== null) notes.push(`tag ${reference.tag} ignored: the kubelet pulls the digest`)
    return `${input}  →  ${reference.canonical}${notes.length === 0 ? '' : `  (${notes.join('; ')})`}`
  })
  return `${lines.join('\n')}\n`
}

/** An input as a person can see it: quoted when empty or when whitespace or control characters would hide. */
function showInput(input: string): string {
  return input === '' || /[\s\x00-\x1f\x7f]/.test(input) ? JSON.stringify(input) : input
}

export const resolveCommand: CliCommand = {
  name: 'resolve',
  summary: 'Show how the kubelet resolves image references (registry, repository, tag, digest, what was implied).',
  usage: `Usage: pullcheck resolve REF… [--format text|json]

Shows how the kubelet resolves each image reference: the registry, repository, tag and digest,
what was implied (the Docker Hub registry, library/, :latest), and the reference it pulls (with a
digest, the tag is ignored). An invalid reference says why, as the kubelet would.

Options:
  --format text|json  output format (default: text)
  --                  end of options: every later argument is a reference

Exit codes: 0 every reference is valid, 1 some reference is invalid, 2 usage error.
`,
  async run(argv, io) {
    const args = parseCommandArgs(argv, { format: { type: 'string' } })
    const format = formatFlag(args, ['text', 'json'] as const)
    if (args.positionals.length === 0) {
      throw new ConfigurationError('expected one or more image references (REF…), e.g. pullcheck resolve nginx ghcr.io/org/app:1.2')
    }
    const resolutions = resolveAll(args.positionals)
    const report = format === 'json' ? `${JSON.stringify({ references: resolutions.map(toResolvedReference) }, null, 2)}\n` : renderResolveText(resolutions)
    io.stdout(report)
    return resolutions.every(({ result }) => result.ok) ? EXIT_OK : EXIT_FINDINGS
  }
}
