// action.yml is the single source of the action's interface: its shape, the inputs the code reads,
// the outputs it sets, and the README section generated from it (scripts/action-readme.ts).
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { readActionInputs } from '../../src/action/inputs.js'
import { END_MARKER, START_MARKER, renderActionSection, replaceActionSection } from '../../scripts/action-readme.js'
import { repoRoot } from '../support/node-binaries.js'

const actionText = readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')
const action = parse(actionText) as {
  name: string
  description: string
  branding: { icon: string; color: string }
  inputs: Record<string, { description: string; required: boolean; default: string }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}

describe('action.yml', () => {
  it('runs the bundled action on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    expect(action.name).toBe('pullcheck')
    expect(action.description.length).toBeGreaterThan(40)
    expect(action.branding).toEqual({ icon: 'package', color: 'blue' })
  })

  it('documents every input with a description and a default, and the code reads exactly those inputs', () => {
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description.length, name).toBeGreaterThan(10)
      expect(typeof input.default, name).toBe('string')
      expect(input.required, name).toBe(false)
    }
    const read = new Set<string>()
    readActionInputs((name) => {
      read.add(name)
      return ''
    })
    expect([...read].sort()).toEqual(Object.keys(action.inputs).sort())
    expect(action.inputs['github-token']!.default).toBe('${{ github.token }}')
  })

  it('documents exactly the outputs the action sets', () => {
    const main = readFileSync(path.join(repoRoot, 'src', 'action', 'main.ts'), 'utf8')
    const set = [...main.matchAll(/core\.setOutput\('([^']+)'/g)].map((match) => match[1])
    expect(set.sort()).toEqual(Object.keys(action.outputs).sort())
  })
})

describe('README', () => {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8')

  it('holds the action section generated from action.yml (run `node --import tsx scripts/action-readme.ts` when this fails)', () => {
    const section = renderActionSection(actionText)
    expect(readme).toContain(section)
    expect(replaceActionSection(readme, section)).toBe(readme)
  })

  it('has a table row for every input and output, and the five workflow examples', () => {
    const section = readme.slice(readme.indexOf(START_MARKER), readme.indexOf(END_MARKER))
    for (const name of Object.keys(action.inputs)) expect(section).toContain(`| \`${name}\` |`)
    for (const name of Object.keys(action.outputs)) expect(section).toContain(`| \`${name}\` |`)
    for (const example of ['Pull request check:', 'SARIF upload', 'workflow_dispatch', 'docker/login-action@v3', 'helm template']) expect(section).toContain(example)
  })

  it('replaces only what is between the markers', () => {
    expect(replaceActionSection(`intro\n${START_MARKER}\nold\n${END_MARKER}\nafter\n`, 'NEW')).toBe('intro\nNEW\nafter\n')
    expect(replaceActionSection('intro\n', 'NEW')).toBe('intro\n\nNEW\n')
  })
})
