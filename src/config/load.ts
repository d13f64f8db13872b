// Loads the scan configuration: finds the file (discover.ts), parses it with positions, validates it
// against the schema with ajv and with the checks a schema cannot express (rule ids, files that must
// exist), then merges the CLI flags or action inputs over it. Every mistake is one ConfigurationError
// naming the key, the line and what was expected; nothing here prints or exits.
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { ValidateFunction } from 'ajv'
import { LineCounter, parseDocument, visit, type Document } from 'yaml'
import { ConfigurationError, getErrorMessage } from '../errors.js'
import { silentLogger, type Logger } from '../logger.js'
import type { Severity } from '../model.js'
import { defaultScanConfig } from './defaults.js'
import { findConfigFile } from './discover.js'
import { displayPath, rebaseGlobs } from './paths.js'
import { didYouMean, formatConfigPath, locateProblem, problemsFromAjv, type ConfigPath, type ConfigProblem, type LocatedProblem } from './problems.js'
import { configSchema } from './schema.js'
import type { FailOn, ScanConfig } from './types.js'
import { parseSeconds, parseSize } from './units.js'
import { formatPlatform, parsePlatform } from '../kube/platform.js'

/**
 * Settings given on the command line or as action inputs. Lists marked "adds" extend the file's
 * list; everything else replaces the file's value.
 */
export interface ConfigOverrides {
  /** Merged over the file's `rules`; these win. */
  rules?: Record<string, Severity | 'off'>
  /** Replaces `platforms` (`--platform`, repeated). */
  platforms?: string[]
  maxImageSize?: number
  /** Adds. */
  knownSecrets?: string[]
  /** Adds (`--insecure-registry`). */
  insecureRegistries?: string[]
  /** Adds (`--ca-file`); relative paths are relative to `cwd`. */
  caFiles?: string[]
  /** Per registry, these mirrors come first, then the file's. */
  mirrors?: Record<string, string[]>
  /** Adds. */
  nodeCredentials?: string[]
  allowedRegistries?: string[]
  concurrency?: number
  timeoutSeconds?: number
  deadlineSeconds?: number
  failOn?: FailOn
  defaultNamespace?: string
  maxFileSize?: number
}

export interface LoadConfigOptions {
  /** The scan's working directory: discovery starts here and `ignore.paths` are rebased onto it. */
  cwd: string
  /** An explicit configuration file (`--config`, action input `config`), relative to `cwd`. It must exist. */
  configPath?: string
  /** How the explicit path was given, for the error when it is missing: `--config`, `input config`. */
  configPathKey?: string
  overrides?: ConfigOverrides
  /** How the overrides that are checked here were given, for errors: default `--platform` and `--ca-file`. */
  overrideKeys?: { platforms?: string; caFiles?: string }
  /** The ids of every rule, to reject unknown ids in `rules:` (passed in so this module does not import the rules). */
  ruleIds: readonly string[]
  logger?: Logger
}

/** The shape of a valid configuration file, as ajv has checked it. */
interface ConfigFileData {
  rules?: Record<string, Severity | 'off'>
  platforms?: string[]
  maxImageSize?: number | string
  knownSecrets?: string[]
  ignore?: { images?: string[]; paths?: string[] }
  registries?: { insecure?: string[]; caFile?: string; caFiles?: string[]; mirrors?: Record<string, string[]> }
  nodeCredentials?: string[]
  allowedRegistries?: string[]
  concurrency?: number
  timeout?: number | string
  deadline?: number | string
  failOn?: FailOn
  defaultNamespace?: string
  maxFileSize?: number | string
}

/** Hosts that name Docker Hub; the kubelet and containerd treat them as `docker.io`. */
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io'])

/** At most this many problems are listed in one error; the rest are counted. */
const PROBLEMS_SHOWN = 5

let compiledValidator: ValidateFunction | undefined

function validator(): ValidateFunction {
  compiledValidator ??= new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true }).compile(
    configSchema as unknown as Record<string, unknown>
  )
  return compiledValidator
}

function canonicalRegistryHost(host: string): string {
  return DOCKER_HUB_ALIASES.has(host.toLowerCase()) ? 'docker.io' : host
}

function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)]
}

/** `os/arch[/variant]` normalised as containerd compares platforms (`linux/aarch64` → `linux/arm64`). */
function normalisePlatform(text: string, key: string): string {
  return formatPlatform(parsePlatform(text.trim(), key))
}

/** The message of a ConfigurationError without its `key: ` prefix (the caller names the key itself). */
function bareMessage(error: unknown, key: string): string {
  const message = getErrorMessage(error)
  return message.startsWith(`${key}: `) ? message.slice(key.length + 2) : message
}

function formatProblems(problems: LocatedProblem[], file: string): ConfigurationError {
  const sorted = [...problems].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0))
  const where = (problem: LocatedProblem): string =>
    problem.line === null ? ` (in ${file})` : ` (${file}:${problem.line}:${problem.column ?? 1})`
  const [first, ...others] = sorted as [LocatedProblem, ...LocatedProblem[]]
  const lines = [`${first.message}${where(first)}`]
  for (const other of others.slice(0, PROBLEMS_SHOWN - 1)) lines.push(`  also ${other.key}: ${other.message}${where(other)}`)
  if (others.length >= PROBLEMS_SHOWN) lines.push(`  and ${others.length - (PROBLEMS_SHOWN - 1)} more`)
  return new ConfigurationError(lines.join('\n'), first.key)
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => null))?.isFile() === true
}

/** Parses the file text into a YAML document with positions; syntax errors name file, line and column. */
function parseConfigText(text: string, shownPath: string): { document: Document; lineCounter: LineCounter; data: unknown } {
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const syntaxError = document.errors[0]
  if (syntaxError !== undefined) {
    const position = lineCounter.linePos(syntaxError.pos[0])
    const detail = syntaxError.message.replace(/\s*at line \d+, column \d+:[\s\S]*$/, '')
    throw new ConfigurationError(`${shownPath}:${position.line}:${position.col}: YAML syntax error: ${detail}`)
  }
  let data: unknown
  try {
    data = document.toJS({ maxAliasCount: 100 })
  } catch (error) {
    // toJS fails on aliases without an anchor; point at the first such alias.
    let offset: number | undefined
    visit(document, {
      Alias(_key, alias) {
        if (alias.resolve(document) !== undefined) return undefined
        offset = alias.range?.[0]
        return visit.BREAK
      }
    })
    const where = offset === undefined ? '' : `:${lineCounter.linePos(offset).line}:${lineCounter.linePos(offset).col}`
    throw new ConfigurationError(`${shownPath}${where}: cannot read the YAML: ${getErrorMessage(error)}`)
  }
  return { document, lineCounter, data: data ?? {} }
}

/** Checks the schema cannot express: known rule ids, sizes and durations in range, CA files that exist. */
async function semanticProblems(data: ConfigFileData, ruleIds: readonly string[], configDir: string): Promise<ConfigProblem[]> {
  const problems: ConfigProblem[] = []
  const knownIds = new Set(ruleIds)
  const rules = data.rules !== null && typeof data.rules === 'object' && !Array.isArray(data.rules) ? data.rules : {}
  for (const id of Object.keys(rules)) {
    if (!knownIds.has(id)) problems.push({ path: ['rules', id], message: `unknown rule${didYouMean(id, ruleIds)}`, atKey: true })
  }
  const attempt = (path: ConfigPath, parse: (key: string) => unknown): void => {
    const key = path.join('.')
    try {
      parse(key)
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error
      problems.push({ path, message: bareMessage(error, key) })
    }
  }
  for (const key of ['maxImageSize', 'maxFileSize'] as const) {
    const value = data[key]
    if (typeof value === 'string') attempt([key], (k) => parseSize(value, k))
  }
  for (const key of ['timeout', 'deadline'] as const) {
    const value = data[key]
    if (typeof value === 'string') attempt([key], (k) => parseSeconds(value, k))
  }
  if (Array.isArray(data.platforms)) {
    data.platforms.forEach((platform, index) => {
      if (typeof platform === 'string') attempt(['platforms', index], (k) => normalisePlatform(platform, k))
    })
  }
  const caFile = data.registries?.caFile
  if (typeof caFile === 'string' && !(await isFile(path.resolve(configDir, caFile)))) {
    problems.push({ path: ['registries', 'caFile'], message: `CA file not found: ${path.resolve(configDir, caFile)}` })
  }
  const caFiles = Array.isArray(data.registries?.caFiles) ? data.registries.caFiles : []
  for (const [index, file] of caFiles.entries()) {
    if (typeof file === 'string' && !(await isFile(path.resolve(configDir, file)))) {
      problems.push({ path: ['registries', 'caFiles', index], message: `CA file not found: ${path.resolve(configDir, file)}` })
    }
  }
  return problems
}

/** Validates the parsed file; throws one ConfigurationError listing what is wrong, with positions. */
async function validateConfigData(
  parsed: { document: Document; lineCounter: LineCounter; data: unknown },
  shownPath: string,
  ruleIds: readonly string[],
  configDir: string
): Promise<ConfigFileData> {
  const { document, lineCounter, data } = parsed
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigurationError(
      `${shownPath}: expected a mapping of settings (such as "failOn: warning"); got ${Array.isArray(data) ? 'a list' : 'a single value'}`
    )
  }
  const validate = validator()
  const problems = validate(data) ? [] : problemsFromAjv(validate.errors ?? [], data)
  // A value the schema already rejected gets one message, not a second from the deeper checks.
  const rejected = new Set(problems.map((problem) => formatConfigPath(problem.path)))
  for (const problem of await semanticProblems(data as ConfigFileData, ruleIds, configDir)) {
    if (!rejected.has(formatConfigPath(problem.path))) problems.push(problem)
  }
  if (problems.length > 0) {
    throw formatProblems(
      problems.map((problem) => locateProblem(problem, document, lineCounter)),
      shownPath
    )
  }
  return data as ConfigFileData
}

function mergeMirrors(first: Record<string, string[]>, then: Record<string, string[]>): Record<string, string[]> {
  const merged: Record<string, string[]> = {}
  for (const source of [first, then]) {
    for (const [registry, mirrors] of Object.entries(source)) {
      const host = canonicalRegistryHost(registry)
      merged[host] = unique([...(merged[host] ?? []), ...mirrors])
    }
  }
  return merged
}

/** Applies the file's settings over the defaults. */
function fromFile(data: ConfigFileData, file: string, cwd: string): ScanConfig {
  const config = defaultScanConfig()
  const configDir = path.dirname(file)
  config.configFile = file
  if (data.rules !== undefined) config.rules = { ...data.rules }
  if (data.platforms !== undefined) config.platforms = data.platforms.map((p, i) => normalisePlatform(p, `platforms[${i}]`))
  if (data.maxImageSize !== undefined) config.maxImageSize = parseSize(data.maxImageSize, 'maxImageSize')
  if (data.knownSecrets !== undefined) config.knownSecrets = [...data.knownSecrets]
  config.ignore = {
    images: [...(data.ignore?.images ?? [])],
    paths: rebaseGlobs(data.ignore?.paths ?? [], configDir, cwd)
  }
  config.insecureRegistries = [...(data.registries?.insecure ?? [])]
  const caFiles = [...(data.registries?.caFile === undefined ? [] : [data.registries.caFile]), ...(data.registries?.caFiles ?? [])]
  config.caFiles = unique(caFiles.map((caFile) => path.resolve(configDir, caFile)))
  config.mirrors = mergeMirrors({}, data.registries?.mirrors ?? {})
  if (data.nodeCredentials !== undefined) config.nodeCredentials = [...data.nodeCredentials]
  if (data.allowedRegistries !== undefined) config.allowedRegistries = [...data.allowedRegistries]
  if (data.concurrency !== undefined) config.concurrency = data.concurrency
  if (data.timeout !== undefined) config.timeoutSeconds = parseSeconds(data.timeout, 'timeout')
  if (data.deadline !== undefined) config.deadlineSeconds = parseSeconds(data.deadline, 'deadline')
  if (data.failOn !== undefined) config.failOn = data.failOn
  if (data.defaultNamespace !== undefined) config.defaultNamespace = data.defaultNamespace
  if (data.maxFileSize !== undefined) config.maxFileSize = parseSize(data.maxFileSize, 'maxFileSize')
  return config
}

/** Applies flags or inputs over the configuration (see ConfigOverrides for which lists add). */
async function applyOverrides(
  config: ScanConfig,
  overrides: ConfigOverrides,
  keys: NonNullable<LoadConfigOptions['overrideKeys']>,
  ruleIds: readonly string[],
  cwd: string
): Promise<ScanConfig> {
  const merged: ScanConfig = { ...config, ignore: { ...config.ignore } }
  for (const id of Object.keys(overrides.rules ?? {})) {
    if (!ruleIds.includes(id)) throw new ConfigurationError(`unknown rule${didYouMean(id, ruleIds)}`, `rules.${id}`)
  }
  if (overrides.rules !== undefined) merged.rules = { ...config.rules, ...overrides.rules }
  if (overrides.platforms !== undefined && overrides.platforms.length > 0) {
    merged.platforms = unique(overrides.platforms.map((platform) => normalisePlatform(platform, keys.platforms ?? '--platform')))
  }
  if (overrides.knownSecrets !== undefined) merged.knownSecrets = unique([...config.knownSecrets, ...overrides.knownSecrets])
  if (overrides.insecureRegistries !== undefined) {
    merged.insecureRegistries = unique([...config.insecureRegistries, ...overrides.insecureRegistries])
  }
  if (overrides.caFiles !== undefined) {
    const added = overrides.caFiles.map((file) => path.resolve(cwd, file))
    for (const file of added) {
      if (!(await isFile(file))) throw new ConfigurationError(`CA file not found: ${file}`, keys.caFiles ?? '--ca-file')
    }
    merged.caFiles = unique([...config.caFiles, ...added])
  }
  if (overrides.mirrors !== undefined) merged.mirrors = mergeMirrors(overrides.mirrors, config.mirrors)
  if (overrides.nodeCredentials !== undefined) merged.nodeCredentials = unique([...config.nodeCredentials, ...overrides.nodeCredentials])
  if (overrides.allowedRegistries !== undefined) merged.allowedRegistries = [...overrides.allowedRegistries]
  for (const key of ['maxImageSize', 'concurrency', 'timeoutSeconds', 'deadlineSeconds', 'failOn', 'defaultNamespace', 'maxFileSize'] as const) {
    const value = overrides[key]
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value
  }
  return merged
}

/**
 * Loads the configuration of a scan: the file found from `cwd` (or `configPath`), validated, with
 * `overrides` applied on top; the defaults when there is no file. Throws a ConfigurationError for any
 * mistake, naming the key (`rules.latest-tag`, `registries.mirrors.docker.io[0]`), the file and line,
 * and what was expected.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<ScanConfig> {
  const cwd = path.resolve(options.cwd)
  const logger = options.logger ?? silentLogger
  const file = await findConfigFile(cwd, options.configPath, options.configPathKey)
  let config = defaultScanConfig()
  if (file !== null) {
    const shownPath = displayPath(file, cwd)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      throw new ConfigurationError(`cannot read ${shownPath}: ${getErrorMessage(error)}`, options.configPathKey ?? 'config')
    }
    const parsed = parseConfigText(text, shownPath)
    const data = await validateConfigData(parsed, shownPath, options.ruleIds, path.dirname(file))
    config = fromFile(data, file, cwd)
    logger.debug(`configuration: ${shownPath}`)
  } else {
    logger.debug('configuration: no .pullcheck.yaml found; using the defaults')
  }
  return applyOverrides(config, options.overrides ?? {}, options.overrideKeys ?? {}, options.ruleIds, cwd)
}
