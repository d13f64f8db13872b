// Where the rule fixtures live and which entries of a rule's directory are fixtures.
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { repoRoot } from '../support/node-binaries.js'

/** fixtures/rules: one directory per rule id. */
export const fixturesRoot = path.join(repoRoot, 'fixtures', 'rules')

/** Fixture entries of a rule: pass* and fail* files or directories, sorted. */
export function fixturesOf(ruleId: string): string[] {
  const dir = path.join(fixturesRoot, ruleId)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((name) => /^(pass|fail)/.test(name))
    .sort()
}
