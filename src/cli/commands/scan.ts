// `pullcheck scan [PATH…]`: the full pre-deploy check. Parses the flags, loads and merges the
// configuration, loads pullcheck's own registry credentials, runs the library's runScan, renders
// the report (text, JSON or SARIF) and maps the findings to the exit code.
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { loadConfig, type ConfigOverrides } from '../../config/load.js'
import type { FailOn } from '../../config/types.js'
import { parseFailOn, parsePositiveInteger, parseSeconds, parseSize } from '../../config/units.js'
import { ConfigurationError, getErrorMessage } from '../../errors.js'
import { stderrLogger } from '../logger.js'
import type { ScanResult } from '../../model.js'
import { loadToolCredentials } from '../../registry/index.js'
import { renderJson } from '../../reports/json.js'
import { renderSarif } from '../../reports/sarif.js'
import { renderText } from '../../reports/text.js'
import { allRules, ruleIds } from '../../rules/index.js'
import { runScan, type ScanProgress } from '../../scan/index.js'
import { VERSION } from '../../version.js'
import { formatFlag, listFlag, parseCommandArgs, stringFlag, type OptionSpec } from '../args.js'
import { readStdinWithin } from '../stdin.js'
import { EXIT_FINDINGS, EXIT_OK, type CliCommand, type CliIO } from '../io.js'

const FORMATS = ['text', 'json', 'sarif'] as const

const OPTIONS: OptionSpec = {
  format: { type: 'string' },
  config: { type: 'string' },
  platform: { type: 'string', multiple: true },
  'max-image-size': { type: 'string' },
  'max-file-size': { type: 'string' },
  'fail-on': { type: 'string' },
  'insecure-registry': { type: 'string', multiple: true },
  'ca-file': { type: 'string', multiple: true },
  'registry-auth': { type: 'string' },
  'docker-config': { type: 'string' },
  timeout: { type: 'string' },
  concurrency: { type: 'string' },
  output: { type: 'string' }
}

const USAGE = `Usage: pullcheck scan [PATH…] [options]

Checks every container image in the Kubernetes manifests and Helm-rendered YAML under PATH (files,
directories, globs; '-' reads stdin; default: the current directory) against the real registries:
does the tag or digest exist, can the pod's pull secrets get in, does it run on the pod's platforms,
how large is it.

Options:
  --format text|json|sarif      report format (default text)
  --output FILE                 write the report to FILE instead of stdout
  --config FILE                 configuration file (default .pullcheck.yaml here or at the git root)
  --platform OS/ARCH[/VARIANT]  platform pods may land on; repeat for several (default linux/amd64)
  --max-image-size SIZE         largest compressed image, e.g. 1GiB, 500MB (default 1GiB)
  --max-file-size SIZE          largest manifest file read; larger ones are skipped (default 50MiB)
  --fail-on error|warning|never exit 1 at findings of this severity or worse (default error)
  --insecure-registry HOST      allow plain HTTP / unverified TLS for HOST[:PORT]; repeatable
  --ca-file FILE                trust this CA certificate (PEM) too; repeatable
  --registry-auth FILE          pullcheck's own credentials: YAML/JSON list of {registry, username, password} or {registry, token}
  --docker-config DIR           Docker config directory or config.json (default $DOCKER_CONFIG or ~/.docker)
  --timeout SECONDS             per-request timeout (default 10)
  --concurrency N               concurrent requests per registry (default 8)

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or configuration error, 3 internal error.
`

/** `pullcheck scan`: exit 0 clean, 1 findings at or above --fail-on, 2 usage or configuration error. */
export const scanCommand: CliCommand = {
  name: 'scan',
  summary: 'check every image against the registries, the pull secrets and the platforms (the pre-deploy check)',
  usage: USAGE,
  async run(argv, io) {
    const args = parseCommandArgs(argv, OPTIONS)
    const format = formatFlag(args, FORMATS)
    const logger = stderrLogger(io)
    const config = await loadConfig({
      cwd: io.cwd,
      configPath: stringFlag(args, 'config'),
      configPathKey: '--config',
      overrides: overridesFrom(args),
      ruleIds,
      logger
    })
    const registryAuthFile = stringFlag(args, 'registry-auth')
    const credentials = await loadToolCredentials({
      registryAuth: registryAuthFile === undefined ? undefined : await readFlagFile(registryAuthFile, io.cwd, '--registry-auth'),
      registryAuthSource: '--registry-auth FILE',
      dockerConfig: resolveFlagPath(stringFlag(args, 'docker-config'), io.cwd),
      env: io.env,
      logger
    })
    const progress = progressLine(io)
    let result: ScanResult
    try {
      result = await runScan({
        paths: args.positionals.length > 0 ? args.positionals : ['.'],
        cwd: io.cwd,
        config,
        credentials,
        env: io.env,
        logger,
        readStdin: async () => Buffer.from(await readStdinWithin(io.stdin, config.maxFileSize)).toString('utf8'),
        onProgress: progress.update
      })
    } finally {
      progress.clear()
    }
    const report =
      format === 'json'
        ? renderJson(result)
        : format === 'sarif'
          ? renderSarif(result, allRules, { toolVersion: VERSION, cwd: io.cwd })
          : renderText(result)
    const output = stringFlag(args, 'output')
    if (output === undefined) io.stdout(report.endsWith('\n') ? report : `${report}\n`)
    else await writeReport(path.resolve(io.cwd, output), report)
    return failsAt(result, config.failOn) ? EXIT_FINDINGS : EXIT_OK
  }
}

/**
 * The configuration the flags override. Values are checked here so errors name the flag; an absent
 * flag (undefined, or an empty list) leaves the configuration's value alone.
 */
function overridesFrom(args: ReturnType<typeof parseCommandArgs>): ConfigOverrides {
  const parsed = <T>(name: string, parse: (text: string, key: string) => T): T | undefined => {
    const value = stringFlag(args, name)
    return value === undefined ? undefined : parse(value, `--${name}`)
  }
  return {
    platforms: listFlag(args, 'platform'),
    maxImageSize: parsed('max-image-size', parseSize),
    maxFileSize: parsed('max-file-size', parseSize),
    failOn: parsed('fail-on', parseFailOn),
    insecureRegistries: listFlag(args, 'insecure-registry'),
    caFiles: listFlag(args, 'ca-file'),
    timeoutSeconds: parsed('timeout', parseSeconds),
    concurrency: parsed('concurrency', parsePositiveInteger)
  }
}

/** True when a finding reaches the fail level. */
export function failsAt(result: ScanResult, failOn: FailOn): boolean {
  if (failOn === 'never') return false
  const failing = failOn === 'warning' ? ['error', 'warning'] : ['error']
  return result.findings.some((finding) => failing.includes(finding.severity))
}

function resolveFlagPath(value: string | undefined, cwd: string): string | undefined {
  return value === undefined ? undefined : path.resolve(cwd, value)
}

async function readFlagFile(file: string, cwd: string, flag: string): Promise<string> {
  try {
    return await readFile(path.resolve(cwd, file), 'utf8')
  } catch (error) {
    throw new ConfigurationError(`cannot read ${file}: ${getErrorMessage(error)}`, flag)
  }
}

async function writeReport(file: string, report: string): Promise<void> {
  try {
    await writeFile(file, report.endsWith('\n') ? report : `${report}\n`)
  } catch (error) {
    throw new ConfigurationError(`cannot write ${file}: ${getErrorMessage(error)}`, '--output')
  }
}

/** A progress line on stderr, shown only on a terminal and only once the run has taken a second. */
function progressLine(io: CliIO): { update: (progress: ScanProgress) => void; clear: () => void } {
  if (!io.stderrIsTTY) return { update: () => undefined, clear: () => undefined }
  const started = Date.now()
  let shown = false
  let last = 0
  return {
    update: ({ done, total }) => {
      const now = Date.now()
      if (now - started < 1000 || now - last < 100) return
      last = now
      shown = true
      io.stderr(`\r\u001b[2Kchecking images: ${done}/${total} registry requests answered`)
    },
    clear: () => {
      if (shown) io.stderr('\r\u001b[2K')
    }
  }
}
