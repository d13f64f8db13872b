// Helpers for the inventory tests: build the inventory of fixture paths, pick image uses by
// container, and read a fixture's text at a position to prove that a reported position really
// holds the value (a check independent of the code that computed it).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { expect } from 'vitest'
import { buildInventory } from '../../src/inventory/index.js'
import type { ImageUse, Inventory } from '../../src/model.js'
import { repoRoot } from '../support/node-binaries.js'

/** The inventory of paths relative to the repository root, as the CLI run from there builds it. */
export function inventoryOf(...paths: string[]): Promise<Inventory> {
  return buildInventory({ paths, cwd: repoRoot })
}

/** The single image use of a container (throws when there is not exactly one). */
export function useOf(inventory: Inventory, container: string | null, kind?: string): ImageUse {
  const matches = inventory.images.filter((use) => use.container === container && (kind === undefined || use.kind === kind))
  if (matches.length !== 1) throw new Error(`expected one image use for container ${String(container)}, found ${matches.length}`)
  return matches[0] as ImageUse
}

/** The text of a fixture starting at a 1-based line and column (to the end of that line). */
export function textAt(file: string, line: number, column: number): string {
  const text = readFileSync(path.join(repoRoot, file), 'utf8').replace(/^\uFEFF/, '')
  const lines = text.split('\n')
  return (lines[line - 1] ?? '').replace(/\r$/, '').slice(column - 1)
}

/** Asserts an image use's place, and that the file really has `written` there. */
export function expectPlace(use: ImageUse, line: number, column: number, written: string): void {
  expect({ line: use.line, column: use.column }).toEqual({ line, column })
  expect(textAt(use.file, line, column).startsWith(written)).toBe(true)
  expect(use.endColumn).toBe(column + written.length)
}
