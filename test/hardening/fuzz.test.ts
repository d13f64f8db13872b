// Property-based test of the inventory on mutated manifests: whatever a pull request does to a valid
// file, reading it never throws and every reported position is inside the file. 300 seeded cases in
// the default suite (seconds); scripts/reliability.ts runs the same property for many more.
import { describe, expect, it } from 'vitest'
import { inventoryFromText } from '../../src/inventory/index.js'
import { loadSeeds, positionViolations, runInventoryFuzz } from './support/inventory-fuzz.js'

describe('inventory on mutated manifests', () => {
  const seeds = loadSeeds()

  it('has real manifests to mutate, JSON among them', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(20)
    expect(seeds.some((seed) => seed.json)).toBe(true)
  })

  it('never throws, never hangs, and reports only positions inside the file (300 seeded cases, both parse strategies)', async () => {
    expect(await runInventoryFuzz({ runs: 300, seed: 6_2024 })).toBe(300)
  })

  it('reads a manifest that starts with a blank line (found by this fuzz: it hung the inventory)', async () => {
    const text = '\napiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: a\n      image: nginx:1.27\n'
    expect(inventoryFromText(text, 'blank-first.yaml').images.map((image) => [image.line, image.column])).toEqual([[9, 14]])
  })

  it('keeps diagnostic messages on one line when they quote the file (found by this fuzz)', () => {
    const pod = (image: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: a\n      image: ${image}\n`
    const separator = inventoryFromText(pod('"\u2028{{ .Values.image }}"'), 'a.yaml').diagnostics
    expect(separator.map((diagnostic) => [diagnostic.code, diagnostic.message])).toEqual([
      ['templated-image', 'the image of container "a" of Pod/a is a template (\\u2028{{ .Values.image }}), not a reference: not checked; scan the rendered output to check it']
    ])
    const escape = inventoryFromText('a: *x\u001bq\n', 'b.yaml').diagnostics
    expect(escape.map((diagnostic) => [diagnostic.code, diagnostic.message])).toEqual([['yaml-syntax', 'YAML syntax error: the alias *x\\u001bq has no anchor']])
  })

  it('would notice a position outside the file, and a message that is not one line', () => {
    // The check must be able to fail: an inventory judged against a shorter text than it was built from.
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: a\n      image: nginx:1.27\n'
    const inventory = inventoryFromText(text, 'fuzz.yaml')
    expect(positionViolations(inventory, text)).toEqual([])
    expect(positionViolations(inventory, text.slice(0, text.indexOf('      image')))).toEqual(['image "nginx:1.27": column 14 on line 8 of length 0'])
    expect(positionViolations(inventory, 'apiVersion: v1\n')).toEqual(['image "nginx:1.27": line 8 of 2'])
    const withNewline = { ...inventory, diagnostics: [{ file: 'fuzz.yaml', line: 1, column: 1, code: 'yaml-syntax' as const, severity: 'error' as const, message: 'bad\nline' }] }
    expect(positionViolations(withNewline, text)).toEqual(['diagnostic yaml-syntax: control character in "bad\\nline"'])
  })
})
