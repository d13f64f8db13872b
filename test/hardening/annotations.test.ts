// Image strings and file names with line breaks, control characters and workflow-command text
// through the built action's annotation path, under Node 20 and 24: every line the action prints is
// either one well-formed workflow command with its data and properties escaped, or a plain line the
// runner cannot read as a command (new `::` form or legacy `##[` form); the job summary stays inert too.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runBuiltAction, type ActionRun } from '../action/run-action.js'
import { nodeRuntimes, repoRoot } from '../support/node-binaries.js'
import { ensureBuilt, expectNoStackTrace } from './support/process.js'

/** A file name with the characters workflow-command properties must escape, and a line break. */
const HOSTILE_NAME = 'odd,name:with%25 and\nbreak ##[warning]x.yaml'
const KNOWN_COMMANDS = new Set(['add-mask', 'debug', 'error', 'warning', 'notice', 'group', 'endgroup'])

let workspace: string
beforeAll(async () => {
  await ensureBuilt()
  workspace = await mkdtemp(path.join(tmpdir(), 'pullcheck-annotations-'))
  for (const file of ['control-characters.yaml', 'control-characters-escapes.yaml']) {
    await cp(path.join(repoRoot, 'fixtures', 'bad', file), path.join(workspace, file))
  }
  await writeFile(path.join(workspace, HOSTILE_NAME), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: hostile\nspec:\n  containers:\n    - name: app\n      image: "nginx:1.27\\n::error::from-the-name-file"\n')
})
afterAll(async () => {
  if (workspace !== undefined) await rm(workspace, { recursive: true, force: true })
})

for (const runtime of nodeRuntimes) {
  describe(`the action's workflow commands with hostile text (${runtime.label})`, () => {
    let run: ActionRun

    beforeAll(async () => {
      const payload = JSON.parse(await readFile(path.join(repoRoot, 'fixtures', 'action', 'events', 'workflow_dispatch.json'), 'utf8')) as Record<string, unknown>
      run = await runBuiltAction({ node: runtime.binary, workspace, eventName: 'workflow_dispatch', payload, sha: 'b'.repeat(40), githubToken: 'not-used-token', env: { RUNNER_DEBUG: '1' } })
    }, 120_000)
    afterAll(async () => {
      if (run !== undefined) await rm(run.runnerTemp, { recursive: true, force: true })
    })

    it('prints only well-formed, escaped commands and inert lines', () => {
      expectNoStackTrace(run.stderr)
      expect(run.code, run.stderr).toBe(1)
      // The runner splits output at CR as well as LF.
      for (const line of run.stdout.split(/\r\n|\r|\n/)) {
        // A line that is not a command must not be readable as the legacy form either (the runner
        // tries that only on lines that are not `::` commands).
        if (!line.trimStart().startsWith('::')) {
          expect(line.includes('##['), `a legacy command in: ${line}`).toBe(false)
          continue
        }
        const match = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line)
        expect(match, `not a well-formed command: ${line}`).not.toBeNull()
        expect(KNOWN_COMMANDS.has(match![1]!), `an unexpected command: ${line}`).toBe(true)
        // Properties are `key=value` pairs whose values carry no raw `,` or `:` (escaped as %2C, %3A).
        for (const pair of (match![2] ?? '').split(',').filter((part) => part !== '')) expect(pair).toMatch(/^[A-Za-z]+=[^,:]*$/)
        expect(/[\u0000-\u001f\u007f]/.test(line), `a control character in: ${JSON.stringify(line)}`).toBe(false)
      }
    })

    it('puts each hostile image on its own line as an error, with the text shown and never executed', () => {
      // core.setFailed adds one `::error::` of its own, without a file.
      const failed = run.commands.filter((command) => command.command === 'error' && command.properties['file'] === undefined)
      expect(failed.map((command) => command.message)).toHaveLength(1)
      const errors = run.commands.filter((command) => command.command === 'error' && command.properties['file'] !== undefined)
      // GitHub shows ten error annotations per step; the action chooses ten and says so in the summary.
      expect(errors).toHaveLength(10)
      const places = errors.map((command) => `${command.properties['file']}:${command.properties['line']}`)
      expect(places).toEqual(expect.arrayContaining(['control-characters.yaml:9', 'control-characters-escapes.yaml:11', 'control-characters-escapes.yaml:19', 'control-characters-escapes.yaml:21']))
      const byPlace = (place: string): string => errors.find((command) => `${command.properties['file']}:${command.properties['line']}` === place)!.message
      expect(byPlace('control-characters.yaml:9')).toContain(`couldn't parse image reference "nginx:1.27\\n::error file=x.yaml,line=1::injected"`)
      expect(byPlace('control-characters-escapes.yaml:11')).toContain(`"nginx:1.27\\r\\n::warning::injected"`)
      // Inside a command's data, legacy command text is only text: the runner parses a line once.
      expect(byPlace('control-characters-escapes.yaml:21')).toContain(`"nginx:1.27 ##[error]legacy"`)
      for (const command of errors) expect(command.properties['title']).toMatch(/^invalid-reference: /)
    })

    it('keeps the job summary free of raw control characters and command text at line starts', () => {
      expect(run.summary).toContain('invalid-reference')
      for (const line of run.summary.split(/\r\n|\r|\n/)) {
        expect(/[\u0000-\u0008\u000b-\u001f\u007f]/.test(line), `a control character in the summary: ${JSON.stringify(line)}`).toBe(false)
        expect(line.trimStart().startsWith('::')).toBe(false)
      }
    })
  })
}
