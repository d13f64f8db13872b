// Inline `# pullcheck-ignore: rule-id[, …] - reason` comments: which ids a line names, and which
// findings they drop (on the flagged line or the line above, nothing else).
import { describe, expect, it } from 'vitest'
import type { Finding } from '../../src/model.js'
import { applySuppressions, suppressedRuleIds } from '../../src/scan/suppress.js'

describe('suppressedRuleIds', () => {
  it.each([
    ['        image: nginx # pullcheck-ignore: latest-tag', ['latest-tag']],
    ['# pullcheck-ignore: latest-tag, tag-not-found', ['latest-tag', 'tag-not-found']],
    ['# pullcheck-ignore: latest-tag - pinned by the platform team', ['latest-tag']],
    ['# pullcheck-ignore: latest-tag -- reason', ['latest-tag']],
    ['# pullcheck-ignore: latest-tag — reason with an em dash', ['latest-tag']],
    ['#pullcheck-ignore:image-too-large,platform-mismatch–why', ['image-too-large', 'platform-mismatch']],
    ['image: nginx', []],
    ['# pullcheck-ignore latest-tag', []]
  ])('%s', (line, ids) => {
    expect(suppressedRuleIds(line)).toEqual(ids)
  })
})

function finding(rule: string, line: number, file = 'deploy.yaml'): Finding {
  return { rule, severity: 'error', file, line, column: 16, image: 'nginx', canonical: null, message: rule, fix: '', source: null }
}

describe('applySuppressions', () => {
  const text = [
    'spec:', //                                                  1
    '  containers:', //                                          2
    '    - name: a', //                                          3
    '      # pullcheck-ignore: latest-tag - tracked in INFRA-12', // 4
    '      image: nginx', //                                     5
    '    - name: b', //                                          6
    '      image: nginx # pullcheck-ignore: tag-not-found', //   7
    '    - name: c', //                                          8
    '', //                                                       9
    '      image: nginx' //                                      10
  ].join('\n')
  const read = async (file: string): Promise<string | null> => (file === 'deploy.yaml' ? text : null)

  it('drops exactly the findings named on the line or the line above', async () => {
    const findings = [finding('latest-tag', 5), finding('tag-not-found', 5), finding('tag-not-found', 7), finding('latest-tag', 7), finding('latest-tag', 10)]
    const kept = await applySuppressions(findings, read)
    expect(kept.map((f) => `${f.rule}@${f.line}`)).toEqual(['tag-not-found@5', 'latest-tag@7', 'latest-tag@10'])
  })

  it('keeps findings of files it cannot read', async () => {
    const findings = [finding('latest-tag', 5, 'gone.yaml')]
    expect(await applySuppressions(findings, read)).toEqual(findings)
  })
})
