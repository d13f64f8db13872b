// Which files a run scans. On pull requests and merge queues with `scope: changed`: the YAML/JSON
// files the change touched inside `paths` (from the pull request files API, else `git diff
// base...head`), plus the `rendered` globs; otherwise everything under `paths`. Also keeps the lines
// each changed file gained, so findings can be put first (and judged) by whether the change made
// them, and — without check-touched-workloads — only the images the change touched cost registry requests.
import { stat } from 'node:fs/promises'
import path from 'node:path'
import picomatch from 'picomatch'
import { getErrorMessage } from '../errors.js'
import { addedLinesFromPatch, changedFilesBetween, changedLinesBetween, hasCommit, isLineChanged, type ChangedLines } from '../git/index.js'
import type { Logger } from '../logger.js'
import { plural } from '../reports/format.js'
import type { UseSelection } from '../scan/index.js'
import { CHANGE_EVENTS, type EventContext } from './event.js'
import { listPullRequestFiles, PULL_REQUEST_FILES_LIMIT, type GitHubClient } from './github-api.js'
import type { ActionInputs } from './inputs.js'

/** File names the inventory reads as manifests. */
const MANIFEST_FILE = /\.(?:ya?ml|json)$/i

/** What a pull request or merge group changed. */
export interface ChangeSet {
  /** Repository-relative paths of the files that exist after the change. */
  files: string[]
  /** Lines each changed file gained (every changed file, not only manifests: values.yaml matters too). */
  lines: ChangedLines
  /** Where the list came from. */
  source: 'api' | 'git'
}

/** What to scan and how to describe it. */
export interface ScanPlan {
  /** Paths for runScan, relative to the workspace. Empty: nothing to scan. */
  paths: string[]
  /** The change, when the run is about one and it could be listed. */
  changes: ChangeSet | null
  /** Only findings on changed lines count (scope changed, check-touched-workloads false). */
  onlyChangedLines: boolean
  /** In words, for the summary: "2 changed files of pull request #7, 1 rendered file". */
  description: string
  /** Fallbacks taken and limits hit. */
  notes: string[]
}

function normaliseSpec(spec: string): string {
  const trimmed = spec.trim().replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+$/, '')
  return trimmed === '.' ? '' : trimmed
}

/**
 * True when a repository-relative file is selected by a `paths` entry: `.` selects everything, a
 * directory selects what is below it, a glob matches with picomatch, anything else must be equal.
 */
export function matchesPathSpecs(file: string, specs: readonly string[]): boolean {
  const normalisedFile = file.replace(/\\/g, '/').replace(/^\.\/+/, '')
  return specs.some((spec) => {
    const normalised = normaliseSpec(spec)
    if (normalised === '') return true
    if (picomatch.scan(normalised).isGlob) return picomatch(normalised, { dot: true })(normalisedFile)
    return normalisedFile === normalised || normalisedFile.startsWith(`${normalised}/`)
  })
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => null))?.isFile() === true
}

/**
 * True for the YAML of a Helm chart that is not a template: Chart.yaml, values*.yaml, anything of a
 * chart directory outside templates/. They are not manifests; the images they set are checked
 * through the rendered output (and traced back to them).
 */
async function isChartSupportFile(workspace: string, file: string): Promise<boolean> {
  const segments = file.split('/')
  for (let depth = segments.length - 1; depth >= 0; depth--) {
    const directory = segments.slice(0, depth).join('/')
    if (await isFile(path.join(workspace, directory, 'Chart.yaml'))) return segments[depth] !== 'templates'
  }
  return false
}

/** The change from git: `base...head`, with GITHUB_SHA (the merge commit) standing in for a head the checkout lacks. */
async function changesFromGit(base: string, heads: Array<string | null>, cwd: string, notes: string[]): Promise<ChangeSet | null> {
  if (!(await hasCommit(cwd, base))) {
    notes.push(`The base commit ${base.slice(0, 12)} is not in the checkout, so the changed files could not be listed with git; use actions/checkout with fetch-depth: 0, or give the action a github-token.`)
    return null
  }
  for (const head of heads) {
    if (head === null || !(await hasCommit(cwd, head))) continue
    const files = await changedFilesBetween({ cwd, base, head })
    const lines = await changedLinesBetween({ cwd, base, head })
    for (const file of files) if (!lines.has(file)) lines.set(file, new Set())
    return { files, lines, source: 'git' }
  }
  notes.push('The head commit is not in the checkout, so the changed files could not be listed with git.')
  return null
}

/** Lists what the pull request or merge group changed; null when neither the API nor git could tell. */
export async function findChanges(context: EventContext, client: GitHubClient | null, logger: Logger, notes: string[]): Promise<ChangeSet | null> {
  const { pullRequest, mergeGroup, repository } = context
  if (pullRequest !== null && client !== null && repository !== null) {
    try {
      const { files, truncated } = await listPullRequestFiles(client, { ...repository, pullNumber: pullRequest.number })
      const present = files.filter((file) => file.status !== 'removed')
      const lines: ChangedLines = new Map(present.map((file) => [file.filename, file.patch === undefined ? null : addedLinesFromPatch(file.patch)]))
      const fromApi: ChangeSet = { files: present.map((file) => file.filename), lines, source: 'api' }
      if (!truncated && (pullRequest.changedFiles === null || pullRequest.changedFiles < PULL_REQUEST_FILES_LIMIT)) return fromApi
      const fromGit = await changesFromGit(pullRequest.baseSha, [pullRequest.headSha, context.sha], context.workspace, []).catch(() => null)
      notes.push(
        fromGit === null
          ? `GitHub lists at most ${PULL_REQUEST_FILES_LIMIT} files of a pull request; files beyond them were not scanned (check out with fetch-depth: 0 to list them all with git).`
          : `GitHub lists at most ${PULL_REQUEST_FILES_LIMIT} files of a pull request; the full list came from git.`
      )
      return fromGit ?? fromApi
    } catch (error) {
      logger.warning(`could not list the pull request's files through the GitHub API (${getErrorMessage(error)}); trying git`)
      notes.push(`The GitHub API did not list the changed files (${getErrorMessage(error)}); they came from git.`)
    }
  }
  const base = pullRequest?.baseSha ?? mergeGroup?.baseSha
  if (base === undefined) return null
  try {
    return await changesFromGit(base, [pullRequest?.headSha ?? mergeGroup?.headSha ?? null, context.sha], context.workspace, notes)
  } catch (error) {
    notes.push(`git could not list the changed files: ${getErrorMessage(error)}`)
    return null
  }
}

/** Decides what to scan for this event and these inputs. */
export async function planScan(inputs: ActionInputs, context: EventContext, client: GitHubClient | null, logger: Logger): Promise<ScanPlan> {
  const notes: string[] = []
  const renderedPart = inputs.rendered.length === 0 ? '' : `, plus the rendered files (${inputs.rendered.join(', ')})`
  const scanAll = (why: string): ScanPlan => ({
    paths: [...inputs.paths, ...inputs.rendered],
    changes: null,
    onlyChangedLines: false,
    description: `${why}: everything under ${inputs.paths.join(', ')}${renderedPart}`,
    notes
  })
  if (!CHANGE_EVENTS.has(context.eventName)) return scanAll(context.eventName === '' ? 'Full scan' : `Full scan (${context.eventName})`)
  const changes = await findChanges(context, client, logger, notes)
  const subject = context.pullRequest !== null ? `pull request #${context.pullRequest.number}` : 'the merge group'
  if (inputs.scope === 'all') return { ...scanAll(`Full scan of ${subject} (scope: all)`), changes }
  if (changes === null) {
    notes.push('The changed files could not be listed, so everything under `paths` was scanned.')
    return scanAll(`Full scan of ${subject}`)
  }
  const manifests: string[] = []
  for (const file of changes.files) {
    // A changed rendered file is scanned through the `rendered` globs already.
    if (!MANIFEST_FILE.test(file) || !matchesPathSpecs(file, inputs.paths) || matchesPathSpecs(file, inputs.rendered)) continue
    if (!(await isFile(path.join(context.workspace, file))) || (await isChartSupportFile(context.workspace, file))) continue
    manifests.push(file)
  }
  return {
    paths: [...manifests, ...inputs.rendered],
    changes,
    onlyChangedLines: !inputs.checkTouchedWorkloads,
    description: `${plural(manifests.length, 'changed manifest file')} of ${subject}${renderedPart}`,
    notes
  }
}

/** Why an image of a changed file was not asked about, for the summary and the JSON report. */
export const UNCHANGED_IMAGE_REASON = 'the pull request did not change it (check-touched-workloads: true checks every image of the changed files)'

/**
 * The image uses worth registry requests for this plan, or undefined for all of them. With `scope:
 * changed` and check-touched-workloads false, the check is about what the change did: an image is
 * asked about when the change touched its `image:` line or one of the pod's pull-secret references
 * (the places a finding on it counts for), and every image of the `rendered` files is, since they
 * stand for the chart or overlay the change may have edited. Images on untouched lines were checked
 * when they were written; only check-touched-workloads rechecks them (tags can be deleted upstream).
 */
export function registrySelection(plan: ScanPlan, renderedSpecs: readonly string[]): UseSelection | undefined {
  const changes = plan.changes
  if (!plan.onlyChangedLines || changes === null) return undefined
  return {
    select: (use, pullSecretRefs) =>
      matchesPathSpecs(use.file, renderedSpecs) || [use, ...pullSecretRefs].some((place) => isLineChanged(changes.lines, place.file, place.line)),
    reason: UNCHANGED_IMAGE_REASON
  }
}
