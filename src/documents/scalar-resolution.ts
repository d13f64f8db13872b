// Plain scalars resolved the way the rest of the toolchain reads them: YAML 1.1 (kubectl's
// YAML-to-JSON goes through go-yaml, where `yes` is true, `1.10` a float and `010` octal). The rules
// come from the `yaml` package's own yaml-1.1 schema, so the fast parser and the full parser cannot
// disagree about what a value is.
import { Document, type ScalarTag } from 'yaml'

/** Options every `yaml` parse in the documents stage uses. */
export const YAML_OPTIONS = {
  version: '1.1',
  // Duplicate keys are reported by the adapter (last one wins, as kubectl's conversion does).
  uniqueKeys: false,
  prettyErrors: false,
  keepSourceTokens: false
} as const

const schemaDocument = new Document(null, YAML_OPTIONS)
const scalarTags = schemaDocument.schema.tags.filter(
  (tag): tag is ScalarTag => !('collection' in tag && tag.collection !== undefined) && tag.test !== undefined
)
const valueTags = scalarTags.filter((tag) => tag.default === true)
const keyTags = scalarTags.filter((tag) => tag.default === true || tag.default === 'key')
const resolveOptions = schemaDocument.options

function resolveWith(tags: ScalarTag[], text: string): unknown {
  const tag = tags.find((candidate) => candidate.test?.test(text) === true)
  if (tag === undefined) return text
  let failed = false
  const value = tag.resolve(text, () => (failed = true), resolveOptions)
  // The schema's tags never reject a value their own test matched; keep the text if one ever does.
  if (failed) return text
  return typeof value === 'object' && value !== null && 'value' in value && !(value instanceof Date)
    ? (value as { value: unknown }).value
    : value
}

const resolvedValues = new Map<string, unknown>()

/** The value of a plain (unquoted) scalar in a value position. Short values repeat, so they are cached. */
export function resolvePlainScalar(text: string): unknown {
  if (text.length > 40) return resolveWith(valueTags, text)
  if (resolvedValues.has(text)) return resolvedValues.get(text)
  const value = resolveWith(valueTags, text)
  // A Date is an object a caller could change; only immutable values are shared.
  if (resolvedValues.size < 10_000 && !(value instanceof Date)) resolvedValues.set(text, value)
  return value
}

const plainKeyIsString = new Map<string, boolean>()

/**
 * True when a plain scalar used as a mapping key reads as the string it is written as (not `yes`,
 * `1`, `null` or the merge key `<<`). Keys repeat a lot, so the answer is cached.
 */
export function isPlainStringKey(text: string): boolean {
  let answer = plainKeyIsString.get(text)
  if (answer === undefined) {
    answer = keyTags.every((tag) => tag.test?.test(text) !== true)
    if (plainKeyIsString.size < 10_000) plainKeyIsString.set(text, answer)
  }
  return answer
}
