// Every rule's pass and fail fixtures, scanned against the real local registries (open, Basic auth,
// token auth, untrusted TLS, a closed port, a silent listener, a 429 proxy). Each fixture says in
// comments which findings it must produce — rule, line, severity — and the scan must produce
// exactly those, at the column of the `image:` value, and nothing else.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { allRules } from '../../src/rules/index.js'
import { startRuleEnvironment, type RuleEnvironment } from './environment.js'
import { imageValueColumn } from './fixture-markers.js'
import { fixturesOf, fixturesRoot } from './fixture-files.js'
import { runFixture, type FixtureRun } from './run-fixture.js'
const defaultSeverity = new Map(allRules.map((rule) => [rule.id, rule.defaultSeverity]))

let environment: RuleEnvironment | undefined
beforeAll(async () => {
  environment = await startRuleEnvironment()
}, 120_000)
afterAll(async () => {
  await environment?.stop()
})

/** Message details a fixture's findings must carry, beyond rule, line and severity. */
const MESSAGE_EXPECTATIONS: Record<string, Array<{ rule: string; line: number; includes: string[] }>> = {
  'repository-not-found/fail.yaml': [{ rule: 'repository-not-found', line: 35, includes: ['not found', 'has no repository team/wbe', 'Did you mean', '/team/web (used elsewhere'] }],
  'tag-not-found/fail.yaml': [{ rule: 'tag-not-found', line: 17, includes: ['has no tag "v2.0.1"; did you mean v2.0.0?'] }],
  'tag-not-found/fail-never-pulled.yaml': [
    { rule: 'tag-not-found', line: 19, includes: ['is not present with pull policy of Never (ErrImageNeverPull) unless it is preloaded on the node', 'did you mean v2.0.0?'] }
  ],
  'digest-not-found/fail.yaml': [
    { rule: 'digest-not-found', line: 17, includes: ['ignores the tag "1.4.2"', 'which now points to sha256:', 'Pin the digest the tag points to now'] },
    { rule: 'digest-not-found', line: 19, includes: ['has no manifest with this digest'] }
  ],
  'tag-digest-mismatch/fail.yaml': [
    { rule: 'tag-digest-mismatch', line: 17, includes: ['the tag "v1" now points to sha256:'] },
    { rule: 'tag-digest-mismatch', line: 19, includes: ['the pinned digest is the linux/amd64 image inside the tag\'s multi-platform index'] }
  ],
  'auth-required/fail.yaml': [{ rule: 'auth-required', line: 17, includes: ['pull access denied, repository does not exist or may require authorization', 'passes in CI and fails in the cluster'] }],
  'pull-secret-wrong-host/fail.yaml': [{ rule: 'pull-secret-wrong-host', line: 27, includes: ['the kubelet compares ports exactly'] }],
  'pull-secret-not-attached/fail-overridden.yaml': [
    { rule: 'pull-secret-not-attached', line: 43, includes: ['ServiceAccount "builder" lists it, but the pod\'s own imagePullSecrets replace the ServiceAccount\'s'] }
  ],
  'pull-secret-rejected/fail.yaml': [{ rule: 'pull-secret-rejected', line: 27, includes: ['refused the credentials of pull secret "regcred"'] }],
  'platform-mismatch/fail.yaml': [
    { rule: 'platform-mismatch', line: 17, includes: ['single-platform linux/arm64', 'exec format error'] },
    { rule: 'platform-mismatch', line: 37, includes: ['no match for platform in manifest', 'linux/arm64'] }
  ],
  'image-too-large/fail.yaml': [{ rule: 'image-too-large', line: 17, includes: ['3.0 GiB compressed, over the limit of 1.0 GiB'] }],
  'registry-tls-error/fail.yaml': [{ rule: 'registry-tls-error', line: 17, includes: ['x509: certificate signed by unknown authority', '--ca-file'] }],
  'registry-unreachable/fail.yaml': [{ rule: 'registry-unreachable', line: 17, includes: ['connection refused', 'This is not a verdict on the image'] }],
  'registry-timeout/fail.yaml': [{ rule: 'registry-timeout', line: 18, includes: ['i/o timeout'] }],
  'pull-secret-malformed/fail-auth.yaml': [{ rule: 'pull-secret-malformed', line: 27, includes: ['must be formatted as base64(username:password)', 'every pull of this pod fails'] }],
  'pull-secret-not-found/fail.yaml': [{ rule: 'pull-secret-not-found', line: 20, includes: ['the pull works only if it exists in the cluster', 'could not be verified'] }],
  'pull-secret-not-found/fail-public.yaml': [{ rule: 'pull-secret-not-found', line: 19, includes: ['the image also pulls without credentials'] }],
  'auth-required/fail-node-credentials.yaml': [{ rule: 'auth-required', line: 18, includes: ['matches nodeCredentials'] }],
  'rate-limited/fail.yaml': [{ rule: 'rate-limited', line: 17, includes: ['Could not verify'] }]
}

describe.each(allRules.map((rule) => rule.id))('rule %s', (ruleId) => {
  const fixtures = fixturesOf(ruleId)
  it.each(fixtures)('%s', async (name) => {
    const run: FixtureRun = await runFixture(path.join(fixturesRoot, ruleId, name), environment!)
    const { result, expectations, texts } = run
    const describe = (finding: { file: string; line: number; rule: string; severity: string }): string =>
      `${finding.file}:${finding.line} ${finding.rule}=${finding.severity}`
    const expected = expectations.findings.map((finding) =>
      describe({ ...finding, severity: finding.severity ?? defaultSeverity.get(finding.rule) ?? '?' })
    )
    const actual = result.findings.map(describe)
    expect(actual.sort(), result.findings.map((finding) => `${describe(finding)}: ${finding.message}`).join('\n')).toEqual(expected.sort())

    // Image findings sit on the column of the `image:` value.
    for (const finding of result.findings) {
      if (finding.image === null) continue
      const line = texts.get(finding.file)?.split(/\r?\n/)[finding.line - 1] ?? ''
      expect(finding.column, `${describe(finding)} column`).toBe(imageValueColumn(line))
    }
    // Pull-secret findings point at the secret reference.
    for (const related of expectations.related) {
      const pointing = result.findings.filter(
        (finding) => finding.rule === related.rule && finding.related?.some((place) => place.file === related.file && place.line === related.line)
      )
      expect(pointing.length, `a ${related.rule} finding pointing at ${related.file}:${related.line}`).toBeGreaterThan(0)
    }
    for (const detail of MESSAGE_EXPECTATIONS[`${ruleId}/${name}`] ?? []) {
      const finding = result.findings.find((candidate) => candidate.rule === detail.rule && candidate.line === detail.line)
      expect(finding, `${detail.rule} at line ${detail.line}`).toBeDefined()
      for (const text of detail.includes) expect(`${finding!.message}\n${finding!.fix}`).toContain(text)
    }
  })
})
