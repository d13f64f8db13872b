// Every rule is complete: metadata, its own source file, a generated docs page, and pass and fail
// fixtures that announce (or do not announce) its findings. Also: no rule file is left out of
// `allRules`, and no fixture directory belongs to a rule that does not exist.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { allRules } from '../../src/rules/index.js'
import { repoRoot } from '../support/node-binaries.js'
import { fixturesOf, fixturesRoot } from './fixture-files.js'

/** Files under src/rules/ that are shared helpers, not rules. */
const HELPER_FILES = new Set(['index.ts', 'rule.ts', 'types.ts', 'wording.ts', 'support.ts', 'could-not-verify.ts'])

function textsOf(entry: string): string[] {
  if (!statSync(entry).isDirectory()) return [readFileSync(entry, 'utf8')]
  return readdirSync(entry).flatMap((name) => textsOf(path.join(entry, name)))
}

function announces(text: string, ruleId: string): boolean {
  return new RegExp(`#\\s*expect(?:@\\d+)?:[^\\n]*\\b${ruleId}\\b`).test(text)
}

describe('rule catalogue', () => {
  it('has unique ids', () => {
    const ids = allRules.map((rule) => rule.id)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('lists every rule file in src/rules/', () => {
    const files = readdirSync(path.join(repoRoot, 'src', 'rules')).filter((name) => name.endsWith('.ts') && !HELPER_FILES.has(name))
    expect(files.map((name) => name.replace(/\.ts$/, '')).sort()).toEqual(allRules.map((rule) => rule.id).sort())
  })

  it('has no fixture directory without a rule', () => {
    const directories = readdirSync(fixturesRoot).filter((name) => statSync(path.join(fixturesRoot, name)).isDirectory())
    expect(directories.filter((name) => !allRules.some((rule) => rule.id === name))).toEqual([])
  })
})

describe.each(allRules)('rule $id', (rule) => {
  it('has complete metadata', () => {
    expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    expect(['error', 'warning', 'notice']).toContain(rule.defaultSeverity)
    expect(['offline', 'registry', 'pull-secrets']).toContain(rule.requires)
    expect(rule.summary.length).toBeGreaterThan(20)
    expect(rule.description.length).toBeGreaterThan(100)
    // SARIF's fullDescription, which GitHub code scanning limits to 1024 characters.
    expect(rule.description.length).toBeLessThanOrEqual(1024)
    expect(rule.description).not.toContain('\n')
    expect(rule.fix.length).toBeGreaterThan(20)
    expect(rule.checkImage ?? rule.checkDiagnostic).toBeTypeOf('function')
  })

  it('is defined in src/rules/<id>.ts', () => {
    const source = readFileSync(path.join(repoRoot, 'src', 'rules', `${rule.id}.ts`), 'utf8')
    expect(source).toContain(`id: '${rule.id}'`)
  })

  it('has a generated docs page docs/rules/<id>.md', () => {
    expect(existsSync(path.join(repoRoot, 'docs', 'rules', `${rule.id}.md`))).toBe(true)
  })

  it('has pass fixtures that do not announce it and fail fixtures that do', () => {
    const fixtures = fixturesOf(rule.id)
    const pass = fixtures.filter((name) => name.startsWith('pass'))
    const fail = fixtures.filter((name) => name.startsWith('fail'))
    expect(pass.length).toBeGreaterThan(0)
    expect(fail.length).toBeGreaterThan(0)
    for (const name of pass) expect(textsOf(path.join(fixturesRoot, rule.id, name)).some((text) => announces(text, rule.id)), name).toBe(false)
    for (const name of fail) expect(textsOf(path.join(fixturesRoot, rule.id, name)).some((text) => announces(text, rule.id)), name).toBe(true)
  })
})
