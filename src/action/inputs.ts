// The action's inputs (action.yml), read once into a typed settings object. Each value is checked
// here, so a mistake fails the run with a ConfigurationError naming the input and what was expected,
// before any file is read or any registry is asked. The reader is passed in (core.getInput in the
// action, a plain map in tests).
import { parse as parseYaml } from 'yaml'
import { ConfigurationError } from '../errors.js'
import type { FailOn } from '../config/types.js'
import { describeValue, parseFailOn, parseSeconds, parseSize } from '../config/units.js'

/** When the Checks API is used for annotations. */
export type CheckRunMode = 'auto' | 'always' | 'never'

/** Which files of a pull request are scanned. */
export type ScanScope = 'changed' | 'all'

/** Every input of action.yml, parsed. `undefined` means "not given: use the configuration file, else the default". */
export interface ActionInputs {
  /** Files, directories or globs, relative to the repository root. */
  paths: string[]
  scope: ScanScope
  /** Globs of files an earlier step rendered (helm template, kustomize build); always scanned. */
  rendered: string[]
  checkTouchedWorkloads: boolean
  /** `os/arch[/variant]` as written; the configuration loader checks them (key `input platforms`). */
  platforms: string[]
  maxImageSize: number | undefined
  failOn: FailOn | undefined
  timeoutSeconds: number | undefined
  configPath: string | undefined
  /** The raw YAML/JSON text of `registry-auth`. */
  registryAuth: string | undefined
  dockerConfig: string | undefined
  githubToken: string | undefined
  insecureRegistries: string[]
  /** registry host → mirror hosts, in the order given. */
  mirrors: Record<string, string[]>
  sarifFile: string | undefined
  annotations: boolean
  summary: boolean
  checkRun: CheckRunMode
}

/** Reads one input by its action.yml name; returns '' when it is not set. */
export type InputReader = (name: string) => string

const TRUE_WORDS = new Set(['true', 'True', 'TRUE'])
const FALSE_WORDS = new Set(['false', 'False', 'FALSE'])

/** Keys of a registry-auth entry that are not secret. Everything else is masked. */
const PUBLIC_AUTH_KEYS = new Set(['registry', 'server', 'serveraddress'])
/** Usernames and the like shorter than this are not masked: the runner would star out every such letter pair in the log. */
const SHORTEST_MASKED_NON_SECRET = 3
const ALWAYS_MASKED_KEYS = new Set(['password', 'token', 'auth', 'identitytoken', 'registrytoken', 'secret'])

/** The key used in ConfigurationErrors for an input. */
export function inputKey(name: string): string {
  return `input ${name}`
}

/**
 * Splits a list input: entries are separated by newlines or commas; blank entries and lines starting
 * with `#` are dropped; each entry is trimmed.
 */
export function parseListInput(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((line) => !line.trim().startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
}

function parseBooleanInput(text: string, name: string, fallback: boolean): boolean {
  if (text === '') return fallback
  if (TRUE_WORDS.has(text)) return true
  if (FALSE_WORDS.has(text)) return false
  throw new ConfigurationError(`expected true or false; got ${describeValue(text)}`, inputKey(name))
}

function parseChoice<T extends string>(text: string, name: string, choices: readonly T[], fallback: T): T {
  if (text === '') return fallback
  const value = text.toLowerCase()
  const match = choices.find((choice) => choice === value)
  if (match === undefined) {
    throw new ConfigurationError(`expected one of ${choices.join(', ')}; got ${describeValue(text)}`, inputKey(name))
  }
  return match
}

function parseCheckRunMode(text: string): CheckRunMode {
  // `true`/`false` read naturally in a workflow file; they mean always/never.
  if (TRUE_WORDS.has(text)) return 'always'
  if (FALSE_WORDS.has(text)) return 'never'
  return parseChoice(text, 'check-run', ['auto', 'always', 'never'] as const, 'auto')
}

/** Parses `registry=mirror` entries into containerd's shape: registry host → mirrors in order. */
export function parseMirrorsInput(text: string): Record<string, string[]> {
  const mirrors: Record<string, string[]> = {}
  for (const entry of parseListInput(text)) {
    const separator = entry.indexOf('=')
    const registry = separator === -1 ? '' : entry.slice(0, separator).trim()
    const mirror = separator === -1 ? '' : entry.slice(separator + 1).trim()
    if (registry === '' || mirror === '' || /\s/.test(registry) || /\s/.test(mirror)) {
      throw new ConfigurationError(
        `expected registry=mirror entries such as docker.io=mirror.gcr.io; got ${describeValue(entry)}`,
        inputKey('registry-mirrors')
      )
    }
    ;(mirrors[registry] ??= []).push(mirror)
  }
  return mirrors
}

function optional(text: string): string | undefined {
  return text === '' ? undefined : text
}

/** Reads and checks every input. Throws a ConfigurationError naming the first input that is wrong. */
export function readActionInputs(read: InputReader): ActionInputs {
  const text = (name: string): string => read(name).trim()
  const paths = parseListInput(text('paths'))
  const maxImageSize = optional(text('max-image-size'))
  const failOn = optional(text('fail-on'))
  const timeout = optional(text('timeout'))
  return {
    paths: paths.length === 0 ? ['.'] : paths,
    scope: parseChoice(text('scope'), 'scope', ['changed', 'all'] as const, 'changed'),
    rendered: parseListInput(text('rendered')),
    checkTouchedWorkloads: parseBooleanInput(text('check-touched-workloads'), 'check-touched-workloads', false),
    platforms: parseListInput(text('platforms')),
    maxImageSize: maxImageSize === undefined ? undefined : parseSize(maxImageSize, inputKey('max-image-size')),
    failOn: failOn === undefined ? undefined : parseFailOn(failOn, inputKey('fail-on')),
    timeoutSeconds: timeout === undefined ? undefined : parseSeconds(timeout, inputKey('timeout')),
    configPath: optional(text('config')),
    // Not trimmed line by line: YAML indentation is significant.
    registryAuth: optional(read('registry-auth').trim() === '' ? '' : read('registry-auth')),
    dockerConfig: optional(text('docker-config')),
    githubToken: optional(text('github-token')),
    insecureRegistries: parseListInput(text('insecure-registries')),
    mirrors: parseMirrorsInput(text('registry-mirrors')),
    sarifFile: optional(text('sarif-file')),
    annotations: parseBooleanInput(text('annotations'), 'annotations', true),
    summary: parseBooleanInput(text('summary'), 'summary', true),
    checkRun: parseCheckRunMode(text('check-run'))
  }
}

/**
 * The strings of a `registry-auth` value that must be masked in the log: every value except the
 * registry names (masking `ghcr.io` would star out half the report). When the text does not parse,
 * every line and every `key: value` value is returned, so a malformed secret is still masked.
 * Credentials are also masked in the base64 `user:password` form an Authorization header would carry.
 */
export function registryAuthSecrets(text: string): string[] {
  const secrets = new Set<string>()
  const add = (value: string, alwaysSecret: boolean): void => {
    const trimmed = value.trim()
    if (trimmed === '') return
    if (!alwaysSecret && trimmed.length < SHORTEST_MASKED_NON_SECRET) return
    secrets.add(trimmed)
  }
  let parsed: unknown
  let parsedCleanly = true
  try {
    parsed = parseYaml(text, { prettyErrors: false })
  } catch {
    parsedCleanly = false
  }
  if (parsedCleanly) {
    const visit = (node: unknown, key: string | null): void => {
      if (Array.isArray(node)) {
        for (const item of node) visit(item, key)
      } else if (node !== null && typeof node === 'object') {
        const entry = node as Record<string, unknown>
        for (const [childKey, value] of Object.entries(entry)) visit(value, childKey.toLowerCase())
        const username = entry['username']
        const password = entry['password']
        if (typeof username === 'string' && typeof password === 'string') {
          add(Buffer.from(`${username}:${password}`).toString('base64'), true)
        }
      } else if (typeof node === 'string' || typeof node === 'number') {
        if (key !== null && PUBLIC_AUTH_KEYS.has(key)) return
        add(String(node), key !== null && ALWAYS_MASKED_KEYS.has(key))
      }
    }
    visit(parsed, null)
  } else {
    for (const line of text.split(/\r?\n/)) {
      add(line, true)
      const separator = line.indexOf(':')
      if (separator !== -1) add(line.slice(separator + 1).replace(/^\s*["']?|["']?,?\s*$/g, ''), true)
    }
  }
  return [...secrets]
}
