// What the adapter does beyond the `yaml` package: aliases resolved to the anchored node, merge
// keys, duplicate keys (last wins), and bounded work on hostile documents.
import { parseDocument } from 'yaml'
import { describe, expect, it } from 'vitest'
import { adaptYamlDocument, childAt, stringValue, type YamlNode } from '../../src/documents/index.js'
import { YAML_OPTIONS } from '../../src/documents/scalar-resolution.js'

const adapt = (text: string) => adaptYamlDocument(parseDocument(text, YAML_OPTIONS), text, 0)

function expectRoot(text: string): YamlNode {
  const adapted = adapt(text)
  if (adapted.root === null) throw new Error(JSON.stringify(adapted.problems))
  return adapted.root
}

describe('adaptYamlDocument', () => {
  it('resolves an alias to the anchored node itself (same offset)', () => {
    const text = 'a: &x value\nb: *x\n'
    const root = expectRoot(text)
    expect(childAt(root, 'b')).toBe(childAt(root, 'a'))
    expect(childAt(root, 'b')?.start).toBe(text.indexOf('value'))
  })

  it('merges << keys with explicit keys winning and earlier sources winning', () => {
    const text = 'base: &b {p: 1, q: 1}\nother: &o {q: 2, r: 2}\nm:\n  <<: [*b, *o]\n  p: 3\n'
    const merged = childAt(expectRoot(text), 'm')
    expect(merged?.type === 'map' ? Object.fromEntries([...merged.entries].map(([key, value]) => [key, value.start])) : null).toEqual({
      p: text.indexOf('3'),
      q: text.indexOf('1}'),
      r: text.indexOf('2}')
    })
  })

  it('keeps the last of duplicate keys and reports the duplicate', () => {
    const text = 'a: 1\nb: first\nb: last\n'
    const adapted = adapt(text)
    expect(stringValue(childAt(adapted.root ?? undefined, 'b'))).toBe('last')
    expect(adapted.problems).toEqual([
      { code: 'duplicate-key', severity: 'warning', offset: 14, message: 'duplicate key "b": this later value is the one kubectl uses, the earlier one is ignored' }
    ])
  })

  it('refuses an alias with no anchor, and a cycle', () => {
    expect(adapt('a: *nowhere\n').problems.map((problem) => [problem.code, problem.offset])).toEqual([['yaml-syntax', 3]])
    expect(adapt('a: &x {b: *x}\n').problems.map((problem) => [problem.code, problem.offset])).toEqual([['alias-limit', 10]])
  })

  it('measures an alias bomb without expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (let level = 1; level < 8; level++) {
      const previous = String.fromCharCode(96 + level)
      levels.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(10).fill(`*${previous}`).join(', ')}]`)
    }
    const started = performance.now()
    const adapted = adapt(`${levels.join('\n')}\n`)
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(adapted.root).toBeNull()
    expect(adapted.problems.map((problem) => problem.code)).toEqual(['alias-limit'])
  })
})
