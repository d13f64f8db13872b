// Generates the README's GitHub Action section (between `<!-- action:start -->` and
// `<!-- action:end -->`) from action.yml: the usage block with every input and its default, the
// inputs and outputs tables, then the permissions, limits and workflow examples. Run
// `node --import tsx scripts/action-readme.ts` to rewrite it, or with `--check` to fail when it is
// stale (test/action/readme.test.ts does the same check in the test suite).
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const START_MARKER = '<!-- action:start -->'
export const END_MARKER = '<!-- action:end -->'

interface ActionInput {
  description: string
  required?: boolean
  default?: string
}

interface ActionMetadata {
  name: string
  description: string
  inputs: Record<string, ActionInput>
  outputs: Record<string, { description: string }>
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Reads action.yml into the fields the README documents. */
export function parseActionMetadata(text: string): ActionMetadata {
  const data = parse(text) as ActionMetadata
  return { name: data.name, description: data.description, inputs: data.inputs ?? {}, outputs: data.outputs ?? {} }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

function tableCell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|')
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let current = ''
  for (const word of oneLine(text).split(' ')) {
    if (current !== '' && current.length + 1 + word.length > width) {
      lines.push(current)
      current = word
    } else {
      current = current === '' ? word : `${current} ${word}`
    }
  }
  if (current !== '') lines.push(current)
  return lines
}

function usageBlock(action: ActionMetadata): string[] {
  const lines = ['```yaml', '- uses: pullcheck/pullcheck@v1', '  with:']
  for (const [name, input] of Object.entries(action.inputs)) {
    for (const line of wrap(input.description, 92)) lines.push(`    # ${line}`)
    lines.push(`    # Default: ${input.default === undefined || input.default === '' ? "''" : input.default}`)
    lines.push(`    ${name}: ''`, '')
  }
  lines.pop()
  lines.push('```')
  return lines
}

function inputsTable(action: ActionMetadata): string[] {
  const lines = ['| Input | Default | Description |', '|---|---|---|']
  for (const [name, input] of Object.entries(action.inputs)) {
    const fallback = input.default === undefined || input.default === '' ? '—' : `\`${input.default}\``
    lines.push(`| \`${name}\` | ${fallback} | ${tableCell(input.description)} |`)
  }
  return lines
}

function outputsTable(action: ActionMetadata): string[] {
  const lines = ['| Output | Description |', '|---|---|']
  for (const [name, output] of Object.entries(action.outputs)) lines.push(`| \`${name}\` | ${tableCell(output.description)} |`)
  return lines
}

const PERMISSIONS = `### Recommended permissions

\`\`\`yaml
permissions:
  contents: read        # check out the repository
  pull-requests: read   # list the pull request's changed files (else: git diff, with fetch-depth: 0)
  checks: write         # optional: a check run that holds every annotation when there are more than 10 per level
  packages: read        # optional: check private ghcr.io images with github-token
\`\`\`

Add \`security-events: write\` only to the job that uploads the SARIF file. On pull requests from
forks GitHub gives the workflow a read-only token and no secrets: pullcheck still runs, annotates
with workflow commands instead of a check run, and lists in the summary the private images it could
not verify, without failing for them.`

const LIMITS = `### Annotations and limits

- Each finding is an annotation on the line of the image: \`file\` (repository-relative), line,
  start and end column, the title \`rule-id: image\`, and a message with the fix.
- For rendered output (the \`rendered\` input), the annotation goes on the repository line that
  produced the image: the \`values.yaml\` key (\`image.repository\`, \`image.tag\`, \`image.registry\`,
  \`image.digest\`, inline \`image: repo:tag\`, sub-chart values such as \`cache.image.tag\`, a global
  registry, or \`appVersion\` in Chart.yaml for a defaulted tag), the \`kustomization.yaml\` \`images:\`
  entry (\`newName\`, \`newTag\`, \`digest\`), or else the chart template named by \`# Source:\`. Lines
  are matched by value, so only a line that really produced the image is named; the rendered
  position is kept in the message.
- GitHub shows at most 10 annotations of each level (error, warning, notice) per step and 50 per
  job, and drops the rest silently. When there are more, pullcheck creates a check run named
  \`pullcheck\` on the pull request's head commit with all of them (50 per request), if the token may
  write checks; otherwise it annotates the most important first — errors, then lines the pull
  request changed — and lists the others in the job summary.
- On pull requests with \`scope: changed\` only the YAML/JSON files the pull request changed are
  scanned (plus \`rendered\`), and the check is about what the pull request did: an image is asked
  about only when the pull request changed its \`image:\` line or one of its pod's pull-secret
  references, and every image of \`rendered\` is (it stands for the chart or overlay the pull
  request may have edited). The other images of those files were checked when they were written:
  they cost no registry request (no Docker Hub pull) and the summary lists them as not checked.
  Offline findings on their lines (\`latest-tag\`, \`invalid-reference\`) are listed in the summary
  without failing the check. \`check-touched-workloads: true\` checks every image of every workload
  in the changed files against the registries and lets all their problems count, since tags can be
  deleted upstream. GitHub lists at most 3000 files of a pull request; beyond that pullcheck uses
  git (check out with \`fetch-depth: 0\`) or says which part was not scanned.
- The job summary stays under GitHub's 1 MiB per step: the per-file tables are cut first, with a
  note; every finding is always in the JSON report (\`findings-json\` output).
- A registry that could not be asked (unreachable, timeout, TLS, rate limit) gives "could not
  verify", never "not found".`

const EXAMPLES = `### Workflow examples

Pull request check:

\`\`\`yaml
name: images
on:
  pull_request:
permissions:
  contents: read
  pull-requests: read
  checks: write
jobs:
  pullcheck:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: pullcheck/pullcheck@v1
        with:
          paths: deploy
\`\`\`

Pull request check with a SARIF upload to code scanning:

\`\`\`yaml
jobs:
  pullcheck:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: read
      security-events: write
    steps:
      - uses: actions/checkout@v5
      - uses: pullcheck/pullcheck@v1
        id: pullcheck
        with:
          paths: deploy
          sarif-file: pullcheck.sarif
      - uses: github/codeql-action/upload-sarif@v4
        if: always() && steps.pullcheck.outputs.sarif-file != ''
        with:
          sarif_file: \${{ steps.pullcheck.outputs.sarif-file }}
          category: pullcheck
\`\`\`

Manual full scan (and weekly, since tags can be deleted upstream):

\`\`\`yaml
on:
  workflow_dispatch:
  schedule:
    - cron: '0 6 * * 1'
jobs:
  pullcheck:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v5
      - uses: pullcheck/pullcheck@v1
        with:
          paths: |
            deploy
            clusters/**/*.yaml
          fail-on: warning
\`\`\`

Private registries: log in with \`docker/login-action\` in an earlier step (pullcheck reads the
Docker configuration it writes), or pass credentials with \`registry-auth\`; each credential is only
ever sent to the registry it names. \`ghcr.io\` uses \`github-token\` (grant \`packages: read\`).

\`\`\`yaml
    steps:
      - uses: actions/checkout@v5
      - uses: docker/login-action@v3
        with:
          registry: registry.example.com
          username: \${{ secrets.REGISTRY_USER }}
          password: \${{ secrets.REGISTRY_PASSWORD }}
      - uses: pullcheck/pullcheck@v1
        with:
          paths: deploy
          registry-auth: |
            - registry: quay.io
              username: \${{ secrets.QUAY_ROBOT }}
              password: \${{ secrets.QUAY_TOKEN }}
\`\`\`

Helm chart repository: render the chart in a prior step and pass the output as \`rendered\`;
findings land on the \`values.yaml\` lines that set each image.

\`\`\`yaml
    steps:
      - uses: actions/checkout@v5
      - uses: azure/setup-helm@v4
      - run: |
          helm dependency build charts/web
          helm template shop charts/web --values charts/web/values.yaml > "$RUNNER_TEMP/web.yaml"
      - uses: pullcheck/pullcheck@v1
        with:
          paths: charts
          rendered: \${{ runner.temp }}/web.yaml
\`\`\``

/** The README section for action.yml's text. */
export function renderActionSection(actionYml: string): string {
  const action = parseActionMetadata(actionYml)
  return [
    START_MARKER,
    '## GitHub Action',
    '',
    `${oneLine(action.description)} Lists are newline- or comma-separated, sizes take units (\`1GiB\`, \`500MB\`), times are in seconds.`,
    '',
    ...usageBlock(action),
    '',
    '### Inputs',
    '',
    ...inputsTable(action),
    '',
    '### Outputs',
    '',
    ...outputsTable(action),
    '',
    PERMISSIONS,
    '',
    LIMITS,
    '',
    EXAMPLES,
    END_MARKER
  ].join('\n')
}

/** The README with its action section replaced, or appended at the end when the markers are missing. */
export function replaceActionSection(readme: string, section: string): string {
  const start = readme.indexOf(START_MARKER)
  const end = readme.indexOf(END_MARKER)
  if (start === -1 || end === -1 || end < start) return `${readme.trimEnd()}\n\n${section}\n`
  return `${readme.slice(0, start)}${section}${readme.slice(end + END_MARKER.length)}`
}

async function main(): Promise<void> {
  const readmePath = path.join(root, 'README.md')
  const readme = await readFile(readmePath, 'utf8')
  const updated = replaceActionSection(readme, renderActionSection(await readFile(path.join(root, 'action.yml'), 'utf8')))
  if (process.argv.includes('--check')) {
    if (updated !== readme) {
      console.error('README.md: the GitHub Action section is stale. Run: node --import tsx scripts/action-readme.ts')
      process.exit(1)
    }
    return
  }
  if (updated !== readme) await writeFile(readmePath, updated)
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main()
}
