// `pullcheck inspect REF…`: the "can I pull it from outside the cluster?" check in one command. Asks
// the registry about each reference with the tool's own credentials and prints the facts (digest,
// media type, platforms, sizes) or the classified failure, one result per input in input order.
// An invalid reference is a result (status `invalid-reference`), not a usage error.
import { readFile } from 'node:fs/promises'
import { ConfigurationError, getErrorMessage } from '../../errors.js'
import { formatPlatform, parsePlatform, selectPlatform, type NormalizedPlatform } from '../../kube/platform.js'
import { stderrLogger } from '../logger.js'
import type { LookupResult, PlatformImage, RateLimitInfo, UnreachableCause } from '../../model.js'
import { parseReference } from '../../reference/index.js'
import { loadCaCertificates, loadToolCredentials, RegistryClient } from '../../registry/index.js'
import { formatBytes } from '../../reports/format.js'
import { formatFlag, listFlag, parseCommandArgs, stringFlag, type OptionSpec } from '../args.js'
import { EXIT_FINDINGS, EXIT_OK, type CliCommand } from '../io.js'

const options: OptionSpec = {
  platform: { type: 'string', multiple: true },
  format: { type: 'string' },
  'insecure-registry': { type: 'string', multiple: true },
  'ca-file': { type: 'string', multiple: true },
  'registry-auth': { type: 'string' },
  'docker-config': { type: 'string' },
  timeout: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' }
}

const usage = `Usage: pullcheck inspect REF… [options]

Asks the registry about each image reference, with pullcheck's own credentials, and prints what it
found (digest, media type, platforms and their compressed sizes) or why it could not: not found
(repository, tag or digest), needs credentials, credentials rejected, forbidden, rate-limited, or
unreachable (DNS, connection refused, timeout, TLS/x509). \`--\` ends the options.

Options:
  --platform OS/ARCH[/VARIANT]  platform whose size is reported (repeatable; default linux/amd64)
  --format text|json            output format (default text)
  --insecure-registry HOST[:PORT]  allow plain HTTP or unverified TLS for this host (repeatable)
  --ca-file FILE                trust the CA certificates in FILE (PEM; repeatable)
  --registry-auth FILE          credentials: YAML/JSON list of {registry, username, password} or {registry, token}
                                (default: env PULLCHECK_REGISTRY_AUTH)
  --docker-config DIR           Docker config directory or config.json (default: $DOCKER_CONFIG or ~/.docker)
  --timeout SECONDS             per-request timeout (default 10)
  -v, --verbose                 log each registry request on stderr

Exit codes: 0 every reference found, 1 any not found or not verifiable, 2 usage error.
`

/** One result of the JSON output (schemas/inspect.schema.json). */
export interface InspectResult {
  input: string
  canonical: string | null
  status: 'found' | 'invalid-reference' | Exclude<LookupResult['status'], 'found'>
  detail: string | null
  cause: UnreachableCause | null
  digest: string | null
  mediaType: string | null
  isIndex: boolean | null
  platforms: PlatformImage[] | null
  /** For each platform asked with --platform: the image a node of it would pull, or null. */
  selected: Array<{ platform: string; digest: string | null; size: number | null; exact: boolean | null }> | null
  /** Compressed size of the image(s) selected for the asked platforms (the largest); null when any is missing or unknown. */
  size: number | null
  mirror: string | null
  rateLimit: RateLimitInfo | null
}

function parseTimeout(text: string | undefined): number {
  if (text === undefined) return 10_000
  const seconds = Number(text)
  if (!Number.isFinite(seconds) || seconds <= 0) throw new ConfigurationError(`expected a number of seconds greater than 0, got "${text}"`, '--timeout')
  return Math.round(seconds * 1000)
}

function failureResult(input: string, canonical: string | null, status: InspectResult['status'], detail: string, cause: UnreachableCause | null, rateLimit: RateLimitInfo | null): InspectResult {
  return { input, canonical, status, detail, cause, digest: null, mediaType: null, isIndex: null, platforms: null, selected: null, size: null, mirror: null, rateLimit }
}

function resultFor(input: string, canonical: string, answer: LookupResult, platforms: NormalizedPlatform[]): InspectResult {
  if (answer.status !== 'found') return failureResult(input, canonical, answer.status, answer.detail, answer.cause ?? null, answer.rateLimit ?? null)
  const selected = platforms.map((platform) => {
    const choice = selectPlatform(answer.platforms, platform)
    return { platform: formatPlatform(platform), digest: choice?.image.digest ?? null, size: choice?.image.size ?? null, exact: choice?.exact ?? null }
  })
  const sizes = selected.map((entry) => entry.size)
  return {
    input,
    canonical,
    status: 'found',
    detail: answer.mirror === null ? null : `served by the mirror ${answer.mirror}`,
    cause: null,
    digest: answer.digest,
    mediaType: answer.mediaType,
    isIndex: answer.isIndex,
    platforms: answer.platforms,
    selected,
    size: sizes.some((size) => size === null) ? null : Math.max(...(sizes as number[])),
    mirror: answer.mirror,
    rateLimit: answer.rateLimit
  }
}

function renderText(results: InspectResult[]): string {
  const lines: string[] = []
  for (const result of results) {
    lines.push(result.canonical === null || result.canonical === result.input ? result.input : `${result.input}  →  ${result.canonical}`)
    if (result.status !== 'found') {
      lines.push(`  ${result.status}: ${result.detail ?? ''}`)
    } else {
      const kind = result.isIndex === true ? `index of ${result.platforms!.length} platform${result.platforms!.length === 1 ? '' : 's'}` : 'single-platform image'
      lines.push(`  found ${result.digest}  (${result.mediaType}, ${kind})`)
      if (result.detail !== null) lines.push(`  ${result.detail}`)
      const width = Math.max(0, ...result.platforms!.map((p) => formatPlatform(p).length))
      for (const platform of result.platforms!) {
        const size = platform.size === null ? 'size unknown' : formatBytes(platform.size)
        lines.push(`    ${formatPlatform(platform).padEnd(width)}  ${platform.digest}  ${size}`)
      }
      if (result.platforms!.length === 0) lines.push('    no runnable platform (an artifact, or attestations only)')
      for (const choice of result.selected!) {
        if (choice.digest === null) lines.push(`  ${choice.platform}: no match for platform in manifest`)
        else {
          const how = choice.exact === true ? '' : ' (nearest compatible platform)'
          lines.push(`  ${choice.platform}: ${choice.size === null ? 'size unknown' : formatBytes(choice.size)}${how}`)
        }
      }
    }
    if (result.rateLimit !== null && (result.rateLimit.remaining !== null || result.rateLimit.retryAfterSeconds !== null)) {
      const { remaining, limit, windowSeconds, retryAfterSeconds } = result.rateLimit
      const budget = remaining === null ? '' : `${remaining}${limit === null ? '' : ` of ${limit}`} pulls left${windowSeconds === null ? '' : ` per ${windowSeconds} s`}`
      const wait = retryAfterSeconds === null ? '' : `retry after ${retryAfterSeconds} s`
      lines.push(`  rate limit: ${[budget, wait].filter(Boolean).join(', ')}`)
    }
  }
  const found = results.filter((result) => result.status === 'found').length
  lines.push('', `${results.length} reference${results.length === 1 ? '' : 's'}: ${found} found, ${results.length - found} not`)
  return `${lines.join('\n')}\n`
}

export const inspectCommand: CliCommand = {
  name: 'inspect',
  summary: 'Ask the registry about image references: digest, platforms, sizes, or why not',
  usage,
  async run(argv, io) {
    const args = parseCommandArgs(argv, options)
    const format = formatFlag(args, ['text', 'json'] as const)
    if (args.positionals.length === 0) throw new ConfigurationError('expected at least one image reference, e.g. pullcheck inspect nginx:1.27')
    const platforms = listFlag(args, 'platform').map((text) => parsePlatform(text, '--platform'))
    if (platforms.length === 0) platforms.push(parsePlatform('linux/amd64'))
    const timeoutMs = parseTimeout(stringFlag(args, 'timeout'))
    const logger = stderrLogger(io, { prefix: 'pullcheck inspect', verbose: args.values.verbose === true ? true : undefined })

    const authFile = stringFlag(args, 'registry-auth')
    let registryAuth: string | undefined
    if (authFile !== undefined) {
      try {
        registryAuth = await readFile(authFile, 'utf8')
      } catch (error) {
        throw new ConfigurationError(`cannot read ${authFile}: ${getErrorMessage(error)}`, '--registry-auth')
      }
    }
    const dockerConfig = stringFlag(args, 'docker-config')
    const credentials = await loadToolCredentials({
      ...(registryAuth === undefined ? {} : { registryAuth, registryAuthSource: `--registry-auth ${authFile}` }),
      ...(dockerConfig === undefined ? {} : { dockerConfig }),
      env: io.env,
      logger
    })
    const caCertificates = await loadCaCertificates(listFlag(args, 'ca-file'), io.env)

    const client = new RegistryClient({
      credentials,
      insecureRegistries: listFlag(args, 'insecure-registry'),
      caCertificates,
      timeoutMs,
      logger
    })
    let results: InspectResult[]
    try {
      results = await Promise.all(
        args.positionals.map(async (input): Promise<InspectResult> => {
          const parsed = parseReference(input)
          if (!parsed.ok) return failureResult(input, null, 'invalid-reference', parsed.error, null, null)
          return resultFor(input, parsed.reference.canonical, await client.lookup(parsed.reference, { kind: 'tool' }), platforms)
        })
      )
    } finally {
      await client.close()
    }

    io.stdout(format === 'json' ? `${JSON.stringify({ results }, null, 2)}\n` : renderText(results))
    return results.every((result) => result.status === 'found') ? EXIT_OK : EXIT_FINDINGS
  }
}
