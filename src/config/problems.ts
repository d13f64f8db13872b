// Turns what is wrong with a configuration file into plain sentences that name the key and the line:
// ajv's errors (mapped keyword by keyword, never shown raw) and the loader's own checks alike.
// Positions come from the parsed YAML document, so a message points at the exact line to edit.
import type { ErrorObject } from 'ajv'
import { closest, distance } from 'fastest-levenshtein'
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml'
import { CONFIG_PATTERNS } from './schema.js'
import { describeValue } from './units.js'

/** A path into the configuration data: keys and list indexes. */
export type ConfigPath = Array<string | number>

/** One thing wrong with the configuration. */
export interface ConfigProblem {
  path: ConfigPath
  /** The sentence after the key: "expected …; got …". */
  message: string
  /** True when the key itself is at fault (unknown or misspelt), so the position is the key's, not the value's. */
  atKey?: boolean
}

/** A problem with its position in the file, ready to print. */
export interface LocatedProblem extends ConfigProblem {
  key: string
  line: number | null
  column: number | null
}

const PATTERN_MEANINGS = new Map<string, string>(Object.values(CONFIG_PATTERNS).map((p) => [p.pattern, p.meaning]))

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of keys to values',
  null: 'nothing'
}

/** `rules.latest-tag`, `registries.mirrors.docker.io[0]`: how a path is named in messages. */
export function formatConfigPath(path: ConfigPath): string {
  let text = ''
  for (const segment of path) {
    text += typeof segment === 'number' ? `[${segment}]` : text === '' ? segment : `.${segment}`
  }
  return text === '' ? '(top level)' : text
}

/** The closest candidate when it is close enough to be a likely typo, else undefined. */
export function suggestClosest(input: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined
  const best = closest(input, candidates)
  const limit = Math.max(2, Math.floor(best.length / 3))
  return distance(input.toLowerCase(), best.toLowerCase()) <= limit ? best : undefined
}

/** "; did you mean "x"?" or "", for appending to a message. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const suggestion = suggestClosest(input, candidates)
  return suggestion === undefined ? '' : `; did you mean "${suggestion}"?`
}

function pointerToPath(pointer: string, data: unknown): ConfigPath {
  const path: ConfigPath = []
  let current: unknown = data
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(current)) {
      const index = Number(segment)
      path.push(index)
      current = current[index]
    } else {
      path.push(segment)
      current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[segment] : undefined
    }
  }
  return path
}

function expectedTypes(type: unknown): string {
  const types = Array.isArray(type) ? type : [type]
  return types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(' or ')
}

function actualType(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (an empty value)'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  if (typeof value === 'string') return `text ${JSON.stringify(value)}`
  if (typeof value === 'number') return Number.isInteger(value) ? `the whole number ${value}` : `the number ${value}`
  return String(value)
}

function firstExample(schema: unknown): string {
  const examples = (schema as { examples?: unknown[] } | undefined)?.examples
  if (!Array.isArray(examples) || examples.length === 0) return ''
  const example = examples[0]
  const shown = typeof example === 'string' ? example : JSON.stringify(example)
  return ` (for example ${shown})`
}

/** Maps one ajv error to a plain sentence and the path it concerns; null for errors that only wrap others. */
function describeAjvError(error: ErrorObject, data: unknown): ConfigProblem | null {
  const path = pointerToPath(error.instancePath, data)
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty)
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {})
      const hint = didYouMean(key, known) || (known.length > 0 ? `; known keys here: ${known.join(', ')}` : '')
      return { path: [...path, key], message: `unknown key${hint}`, atKey: true }
    }
    case 'propertyNames':
      return null
    case 'pattern': {
      const meaning = PATTERN_MEANINGS.get(String(params.pattern)) ?? `text matching ${String(params.pattern)}`
      if (error.propertyName !== undefined) {
        return { path: [...path, error.propertyName], message: `this key should be ${meaning}`, atKey: true }
      }
      return { path, message: `expected ${meaning}; got ${describeValue(error.data)}` }
    }
    case 'type':
      return {
        path,
        message: `expected ${expectedTypes(params.type)}${firstExample(error.parentSchema)}; got ${actualType(error.data)}`
      }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String)
      const hint = typeof error.data === 'string' ? didYouMean(error.data, allowed) : ''
      return { path, message: `expected one of ${allowed.join(', ')}; got ${describeValue(error.data)}${hint}` }
    }
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum': {
      const words = { minimum: 'at least', exclusiveMinimum: 'greater than', maximum: 'at most', exclusiveMaximum: 'less than' }
      return { path, message: `expected a number ${words[error.keyword]} ${String(params.limit)}; got ${describeValue(error.data)}` }
    }
    case 'minItems':
      return { path, message: `expected a list with at least ${String(params.limit)} entr${params.limit === 1 ? 'y' : 'ies'}; got an empty list` }
    case 'uniqueItems': {
      const list = error.data as unknown[]
      // ajv names the two positions; the later one is the repetition to remove.
      const second = Math.max(Number(params.i), Number(params.j))
      return { path: [...path, second], message: `${describeValue(list[second])} is listed twice` }
    }
    case 'minLength':
      return { path, message: 'expected a value; got empty text' }
    case 'maxLength':
      return { path, message: `expected at most ${String(params.limit)} characters; got ${describeValue(error.data)}` }
    default:
      return { path, message: error.message ?? 'invalid value' }
  }
}

/** Plain-word problems for ajv's errors, one per distinct path and sentence. */
export function problemsFromAjv(errors: readonly ErrorObject[], data: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  const seen = new Set<string>()
  for (const error of errors) {
    const problem = describeAjvError(error, data)
    if (problem === null) continue
    const id = `${formatConfigPath(problem.path)}\u0000${problem.message}`
    if (seen.has(id)) continue
    seen.add(id)
    problems.push(problem)
  }
  return problems
}

function nodeAt(document: Document, path: ConfigPath, atKey: boolean): Node | null {
  let node: unknown = document.contents
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment))
      if (pair === undefined) return isMap(node) ? (node as Node) : null
      const last = i === path.length - 1
      node = last && atKey ? pair.key : pair.value
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment]
      if (item === undefined) return node as Node
      node = item
    } else {
      break
    }
  }
  return node !== null && typeof node === 'object' && 'range' in node ? (node as Node) : null
}

/** Attaches a printable key and the line and column (1-based) of the offending key or value. */
export function locateProblem(problem: ConfigProblem, document: Document | null, lineCounter: LineCounter | null): LocatedProblem {
  const located: LocatedProblem = { ...problem, key: formatConfigPath(problem.path), line: null, column: null }
  if (document === null || lineCounter === null) return located
  const node = nodeAt(document, problem.path, problem.atKey === true)
  const offset = node?.range?.[0]
  if (offset === undefined) return located
  const position = lineCounter.linePos(offset)
  return { ...located, line: position.line, column: position.col }
}
