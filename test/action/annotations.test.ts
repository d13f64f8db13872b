// Annotations: built from reported findings (traced ones on the values.yaml line, duplicates merged,
// credentials and control characters never raw) and chosen under GitHub's caps, most important first.
import { describe, expect, it } from 'vitest'
import { buildAnnotations, selectAnnotations, sanitizeInline, type Annotation, type ReportedFinding } from '../../src/reports/annotations.js'
import { aFinding } from './builders.js'

function reported(overrides: Partial<ReportedFinding> & { finding?: ReturnType<typeof aFinding> } = {}): ReportedFinding {
  const finding = overrides.finding ?? aFinding()
  return { finding, trace: null, location: { file: finding.file, line: finding.line, column: finding.column }, inChange: false, notCounted: null, ...overrides }
}

function annotation(level: Annotation['level'], file: string, line: number, inChange: boolean): Annotation {
  return { level, file, startLine: line, title: `${level}-${file}-${line}`, message: 'm', inChange }
}

describe('buildAnnotations', () => {
  it('turns a finding into an annotation with title, position and the fix', () => {
    const finding = aFinding({ endColumn: 40 })
    expect(buildAnnotations([reported({ finding, location: { file: './deploy/app.yaml', line: 10, column: 18, endColumn: 40 }, inChange: true })])).toEqual([
      {
        level: 'error',
        file: 'deploy/app.yaml',
        startLine: 10,
        startColumn: 18,
        endColumn: 40,
        title: 'tag-not-found: ghcr.io/acme/web:1.4.3',
        message: 'manifest unknown: tag 1.4.3 does not exist in ghcr.io/acme/web\nFix: Use an existing tag: did you mean 1.4.2?',
        inChange: true
      }
    ])
  })

  it('puts a traced finding on the values line and keeps the rendered position in the message', () => {
    const finding = aFinding({ file: 'rendered/web.yaml', line: 33, column: 18, source: 'web/templates/deployment.yaml', image: 'registry.pullcheck.test/acme/web:1.4.3' })
    const trace = {
      via: 'helm-values' as const,
      lines: [
        { file: 'charts/web/values.yaml', line: 6, column: 15, role: 'repository' as const, message: 'image.repository sets the repository "acme/web"' },
        { file: 'charts/web/values.yaml', line: 7, column: 8, endColumn: 15, role: 'tag' as const, message: 'image.tag sets the tag "1.4.3"' }
      ]
    }
    const [built] = buildAnnotations([reported({ finding, trace, location: { file: 'charts/web/values.yaml', line: 7, column: 8, endColumn: 15 } })])
    expect(built).toMatchObject({ file: 'charts/web/values.yaml', startLine: 7, startColumn: 8, endColumn: 15 })
    expect(built!.message).toBe(
      [
        'manifest unknown: tag 1.4.3 does not exist in ghcr.io/acme/web',
        'Fix: Use an existing tag: did you mean 1.4.2?',
        'Rendered at rendered/web.yaml:33:18 from web/templates/deployment.yaml.',
        'Also: image.repository sets the repository "acme/web" (charts/web/values.yaml:6).'
      ].join('\n')
    )
  })

  it('merges findings that land on the same line with the same title, and skips findings that do not count', () => {
    const location = { file: 'charts/web/values.yaml', line: 7, column: 8 }
    const built = buildAnnotations([
      reported({ finding: aFinding({ file: 'rendered/a.yaml', line: 5 }), location }),
      reported({ finding: aFinding({ file: 'rendered/b.yaml', line: 9 }), location, inChange: true }),
      reported({ finding: aFinding({ file: 'deploy/other.yaml' }), notCounted: 'outside-change' })
    ])
    expect(built).toHaveLength(1)
    expect(built[0]!.inChange).toBe(true)
    expect(built[0]!.message.split('\n').at(-1)).toBe('Used 2 times: rendered/a.yaml:5:18, rendered/b.yaml:9:18.')
  })

  it('never carries credentials from an image string, nor raw control characters', () => {
    const leaky = aFinding({ rule: 'credentials-in-reference', image: 'bob:hunter2@registry.example.com/app:1', message: 'the image bob:hunter2@registry.example.com/app:1 carries credentials' })
    const [built] = buildAnnotations([reported({ finding: leaky })])
    expect(built!.title).toBe('credentials-in-reference: ***@registry.example.com/app:1')
    expect(JSON.stringify(built)).not.toContain('hunter2')

    const hostile = aFinding({ image: 'evil:1\n::add-mask::x\r\u001b[31m', message: 'bad image evil:1\n::error::boom' })
    const [safe] = buildAnnotations([reported({ finding: hostile })])
    expect(safe!.title).toBe('tag-not-found: evil:1\\u000a::add-mask::x\\u000d\\u001b[31m')
    expect(safe!.message.split('\n')[0]).toBe('bad image evil:1')
    expect(safe!.message).not.toMatch(/[\r\u001b]/)
  })
})

describe('sanitizeInline', () => {
  it('escapes C0, C1 and Unicode line separators, and nothing else', () => {
    expect(sanitizeInline('a\tb\u0085c\u2028d é ::')).toBe('a\\u0009b\\u0085c\\u2028d é ::')
  })
})

describe('selectAnnotations', () => {
  it('shows at most 10 per level, errors and changed lines first, and returns the rest in order', () => {
    const errors = Array.from({ length: 25 }, (_, i) => annotation('error', `f${String(i).padStart(2, '0')}.yaml`, 1, i % 5 === 4))
    const warnings = Array.from({ length: 3 }, (_, i) => annotation('warning', `w${i}.yaml`, 1, false))
    const notices = Array.from({ length: 12 }, (_, i) => annotation('notice', `n${String(i).padStart(2, '0')}.yaml`, 1, false))
    const { shown, overflow } = selectAnnotations([...notices, ...warnings, ...errors])
    const shownErrors = shown.filter((a) => a.level === 'error').map((a) => a.file)
    // The five changed-line errors (f04, f09, f14, f19, f24) first, then the first others by file.
    expect(shownErrors).toEqual(['f04.yaml', 'f09.yaml', 'f14.yaml', 'f19.yaml', 'f24.yaml', 'f00.yaml', 'f01.yaml', 'f02.yaml', 'f03.yaml', 'f05.yaml'])
    expect(shown.filter((a) => a.level === 'warning')).toHaveLength(3)
    expect(shown.filter((a) => a.level === 'notice').map((a) => a.file)).toEqual(notices.slice(0, 10).map((a) => a.file))
    expect(shown).toHaveLength(23)
    expect(overflow.map((a) => a.file)).toEqual([
      'f06.yaml', 'f07.yaml', 'f08.yaml', 'f10.yaml', 'f11.yaml', 'f12.yaml', 'f13.yaml', 'f15.yaml',
      'f16.yaml', 'f17.yaml', 'f18.yaml', 'f20.yaml', 'f21.yaml', 'f22.yaml', 'f23.yaml', 'n10.yaml', 'n11.yaml'
    ])
  })

  it('respects the per-job cap across levels', () => {
    const many = [...Array.from({ length: 8 }, (_, i) => annotation('error', `e${i}`, 1, false)), ...Array.from({ length: 8 }, (_, i) => annotation('warning', `w${i}`, 1, false))]
    const { shown, overflow } = selectAnnotations(many, { perLevel: 10, perJob: 12 })
    expect(shown.map((a) => a.file)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'w0', 'w1', 'w2', 'w3'])
    expect(overflow.map((a) => a.file)).toEqual(['w4', 'w5', 'w6', 'w7'])
  })
})
