// Reads what a rule fixture expects from comments in it (documented in fixtures/rules/README.md):
//   `# expect: rule[=severity][, …]`    a finding of that rule (default severity unless given)
//   `# expect@LINE: rule[=severity]`     the same, for an explicit line (e.g. line 1 of a file)
//   `# related: rule`                     a finding of that rule points at this line in `related`
//   `# fixture-config: {json}`            ScanConfig fields for this fixture's scan
// A marker after other text on its line means that line; a marker alone on its line means the next.
import type { Severity } from '../../src/model.js'

export interface ExpectedFinding {
  file: string
  line: number
  rule: string
  /** null: the rule's default severity. */
  severity: Severity | null
}

export interface ExpectedRelated {
  file: string
  line: number
  rule: string
}

export interface FixtureExpectations {
  findings: ExpectedFinding[]
  related: ExpectedRelated[]
  /** The parsed `fixture-config` JSON, or an empty object. */
  config: Record<string, unknown>
}

const MARKER = /#\s*(expect(?:@(\d+))?|related|fixture-config):\s*(.+?)\s*$/

/** Collects the markers of every file of a fixture (`files` maps reported path → text). */
export function readExpectations(files: ReadonlyMap<string, string>): FixtureExpectations {
  const expectations: FixtureExpectations = { findings: [], related: [], config: {} }
  for (const [file, text] of files) {
    const lines = text.split(/\r?\n/)
    lines.forEach((line, index) => {
      const match = MARKER.exec(line)
      if (match === null) return
      const [, kind, explicitLine, body] = match as unknown as [string, string, string | undefined, string]
      if (kind === 'fixture-config') {
        expectations.config = JSON.parse(body) as Record<string, unknown>
        return
      }
      const standsAlone = line.slice(0, match.index).trim() === ''
      const target = explicitLine !== undefined ? Number(explicitLine) : standsAlone ? index + 2 : index + 1
      for (const item of body.split(',').map((part) => part.trim())) {
        if (kind === 'related') {
          expectations.related.push({ file, line: target, rule: item })
          continue
        }
        const [rule, severity] = item.split('=') as [string, string | undefined]
        if (severity !== undefined && !['error', 'warning', 'notice'].includes(severity)) throw new Error(`${file}:${index + 1}: bad severity ${severity}`)
        expectations.findings.push({ file, line: target, rule, severity: (severity as Severity | undefined) ?? null })
      }
    })
  }
  return expectations
}

/** The 1-based column where the value of the `image:` key on `line` starts, or null when the line has none. */
export function imageValueColumn(line: string): number | null {
  const match = /\bimage:\s*/.exec(line)
  return match === null ? null : match.index + match[0].length + 1
}
