// The GitHub Action: read the inputs, decide what the event asks to scan, run the same scan as the
// CLI, trace rendered findings back to the lines the author edits, then report through annotations
// (or a check run when there are more than GitHub shows), the job summary, the outputs, the JSON
// and SARIF files — and fail the check when findings reach `fail-on`. The only place that calls
// core.setFailed. Credentials from `registry-auth` are masked before anything else runs.
import * as core from '@actions/core'
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { loadConfig } from '../config/load.js'
import type { ScanConfig } from '../config/types.js'
import { ConfigurationError, getErrorMessage } from '../errors.js'
import type { Logger } from '../logger.js'
import type { ScanResult } from '../model.js'
import { traceFindings } from '../provenance/index.js'
import { loadToolCredentials } from '../registry/index.js'
import { buildAnnotations, selectAnnotations, type Annotation, type ReportedFinding } from '../reports/annotations.js'
import { plural } from '../reports/format.js'
import { renderJson } from '../reports/json.js'
import { renderSarif } from '../reports/sarif.js'
import { renderSummary, verdict, type AnnotationOutcome } from '../reports/summary.js'
import { allRules } from '../rules/index.js'
import { runScan } from '../scan/index.js'
import { VERSION } from '../version.js'
import { eventContext, readEventPayload, type EventContext } from './event.js'
import { createGitHubClient, publishCheckRun, type GitHubClient } from './github-api.js'
import { readActionInputs, registryAuthSecrets, type ActionInputs } from './inputs.js'
import { createActionLogger } from './logger.js'
import { countedSeverities, failureReason, reportFindings, resultAtTracedLines, resultWithTraces } from './report.js'
import { matchesPathSpecs, planScan, registrySelection } from './scope.js'

/** The check run's name, as it appears in the pull request's checks. */
const CHECK_RUN_NAME = 'pullcheck'

/** A scan of nothing: the change touched no manifest. */
function emptyResult(): ScanResult {
  return {
    findings: [],
    diagnostics: [],
    images: [],
    summary: { files: 0, images: 0, uniqueImages: 0, errors: 0, warnings: 0, notices: 0, durationMs: 0 },
    rateLimit: null
  }
}

/** Every file the result mentions that a `rendered` glob selects. */
function renderedFilesOf(result: ScanResult, renderedSpecs: readonly string[]): Set<string> {
  if (renderedSpecs.length === 0) return new Set()
  const files = new Set([...result.images.map((i) => i.file), ...result.findings.map((f) => f.file), ...result.diagnostics.map((d) => d.file)])
  return new Set([...files].filter((file) => matchesPathSpecs(file, renderedSpecs)))
}

async function loadScanConfig(inputs: ActionInputs, workspace: string, logger: Logger): Promise<ScanConfig> {
  return loadConfig({
    cwd: workspace,
    ...(inputs.configPath === undefined ? {} : { configPath: inputs.configPath, configPathKey: 'input config' }),
    overrides: {
      ...(inputs.platforms.length === 0 ? {} : { platforms: inputs.platforms }),
      ...(inputs.maxImageSize === undefined ? {} : { maxImageSize: inputs.maxImageSize }),
      ...(inputs.failOn === undefined ? {} : { failOn: inputs.failOn }),
      ...(inputs.timeoutSeconds === undefined ? {} : { timeoutSeconds: inputs.timeoutSeconds }),
      insecureRegistries: inputs.insecureRegistries,
      mirrors: inputs.mirrors
    },
    overrideKeys: { platforms: 'input platforms' },
    ruleIds: allRules.map((rule) => rule.id),
    logger
  })
}

/** Emits workflow-command annotations; columns only on single-line ranges, as GitHub requires. */
function emitAnnotations(annotations: readonly Annotation[]): void {
  for (const annotation of annotations) {
    const properties: core.AnnotationProperties = { title: annotation.title, file: annotation.file, startLine: annotation.startLine, endLine: annotation.startLine }
    if (annotation.startColumn !== undefined) properties.startColumn = annotation.startColumn
    if (annotation.startColumn !== undefined && annotation.endColumn !== undefined) properties.endColumn = annotation.endColumn
    if (annotation.level === 'error') core.error(annotation.message, properties)
    else if (annotation.level === 'warning') core.warning(annotation.message, properties)
    else core.notice(annotation.message, properties)
  }
}

/** Annotates: workflow commands when they suffice, else a check run with everything, else the most important within GitHub's caps. */
async function publishAnnotations(
  reported: ReportedFinding[],
  inputs: ActionInputs,
  context: EventContext,
  client: GitHubClient | null,
  verdict: { title: string; failure: string | null },
  logger: Logger
): Promise<AnnotationOutcome> {
  if (!inputs.annotations) return { disabled: true, shown: 0, overflow: [], checkRun: null }
  const annotations = buildAnnotations(reported)
  const selection = selectAnnotations(annotations)
  const wantsCheckRun = inputs.checkRun === 'always' || (inputs.checkRun === 'auto' && selection.overflow.length > 0)
  if (wantsCheckRun && client !== null && context.repository !== null && context.headSha !== null) {
    const outcome = await publishCheckRun(client, {
      ...context.repository,
      headSha: context.headSha,
      name: CHECK_RUN_NAME,
      conclusion: verdict.failure === null ? 'success' : 'failure',
      title: verdict.title,
      summary: verdict.failure ?? verdict.title,
      annotations
    })
    if (outcome.ok) {
      logger.info(`put ${annotations.length} annotations on check run ${outcome.id}`)
      return { disabled: false, shown: 0, overflow: [], checkRun: { url: outcome.url, annotations: annotations.length } }
    }
    // 403: the token may not write checks (no `checks: write`, or a pull request from a fork).
    logger.info(`could not create a check run (${outcome.status ?? 'no answer'}: ${outcome.message}); annotating with workflow commands instead`)
  }
  emitAnnotations(selection.shown)
  return { disabled: false, shown: selection.shown.length, overflow: selection.overflow, checkRun: null }
}

async function writeReports(
  result: ScanResult,
  reported: ReportedFinding[],
  inputs: ActionInputs,
  workspace: string,
  env: NodeJS.ProcessEnv
): Promise<{ findingsJson: string; sarifFile: string | null }> {
  const directory = await mkdtemp(path.join(env['RUNNER_TEMP'] || os.tmpdir(), 'pullcheck-'))
  const findingsJson = path.join(directory, 'findings.json')
  await writeFile(findingsJson, renderJson(resultWithTraces(result, reported)))
  let sarifFile: string | null = null
  if (inputs.sarifFile !== undefined) {
    sarifFile = path.resolve(workspace, inputs.sarifFile)
    await mkdir(path.dirname(sarifFile), { recursive: true })
    await writeFile(sarifFile, renderSarif(resultAtTracedLines(result, reported), allRules, { toolVersion: VERSION, repoRoot: workspace, cwd: workspace }))
  }
  return { findingsJson, sarifFile }
}

async function runAction(env: NodeJS.ProcessEnv): Promise<void> {
  // Mask first: nothing may be logged before the runner knows the credentials.
  const registryAuth = core.getInput('registry-auth')
  for (const secret of registryAuthSecrets(registryAuth)) core.setSecret(secret)
  const githubTokenInput = core.getInput('github-token')
  if (githubTokenInput.trim() !== '') core.setSecret(githubTokenInput.trim())

  const logger = createActionLogger()
  const inputs = readActionInputs((name) => core.getInput(name, { trimWhitespace: false }))
  const context = eventContext(env, await readEventPayload(env['GITHUB_EVENT_PATH']), process.cwd())
  const workspace = path.resolve(context.workspace)
  const client = inputs.githubToken === undefined ? null : createGitHubClient(inputs.githubToken)

  const config = await loadScanConfig(inputs, workspace, logger)
  const plan = await core.group('Files to scan', async () => {
    const planned = await planScan(inputs, context, client, logger)
    logger.info(planned.description)
    for (const file of planned.paths) logger.info(`  ${file}`)
    return planned
  })

  const scanEnv: NodeJS.ProcessEnv = { ...env }
  // The github-token input is the token for ghcr.io pulls (the registry module reads GITHUB_TOKEN in Actions).
  if (inputs.githubToken !== undefined) scanEnv['GITHUB_TOKEN'] = inputs.githubToken
  let result = emptyResult()
  if (plan.paths.length > 0) {
    const credentials = await loadToolCredentials({
      ...(inputs.registryAuth === undefined ? {} : { registryAuth: inputs.registryAuth }),
      registryAuthSource: 'input registry-auth',
      ...(inputs.dockerConfig === undefined ? {} : { dockerConfig: inputs.dockerConfig }),
      env: scanEnv,
      logger
    })
    const selection = registrySelection(plan, inputs.rendered)
    result = await core.group('Scan', () => runScan({ paths: plan.paths, cwd: workspace, config, credentials, env: scanEnv, logger, selection }))
  }

  const renderedFiles = renderedFilesOf(result, inputs.rendered)
  const traces = await traceFindings(result.findings, { repoRoot: workspace, renderedFiles, images: result.images, logger })
  const reported = reportFindings(result, traces, {
    changedLines: plan.changes?.lines ?? null,
    onlyChangedLines: plan.onlyChangedLines,
    renderedFiles,
    withoutSecrets: context.withoutSecrets
  })
  const failure = failureReason(reported, config.failOn)
  const title = plan.paths.length === 0 ? 'No Kubernetes manifests changed' : verdict(result, reported).text

  const annotations = await publishAnnotations(reported, inputs, context, client, { title, failure }, logger)
  const reports = await writeReports(result, reported, inputs, workspace, env)

  const counts = countedSeverities(reported)
  core.setOutput('errors', counts.error)
  core.setOutput('warnings', counts.warning)
  core.setOutput('images', result.summary.images)
  core.setOutput('unique-images', result.summary.uniqueImages)
  core.setOutput('findings-json', reports.findingsJson)
  if (reports.sarifFile !== null) core.setOutput('sarif-file', reports.sarifFile)

  if (inputs.summary) {
    const markdown = renderSummary({
      result,
      reported,
      scope: plan.paths.length === 0 ? `${plan.description} — no Kubernetes manifests changed` : plan.description,
      renderedFiles,
      failOn: config.failOn,
      failure,
      annotations,
      forkPullRequest: context.withoutSecrets,
      notes: plan.notes,
      version: VERSION
    })
    await core.summary.addRaw(markdown).write()
  }
  logger.info(`${title}; ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')} (fail-on: ${config.failOn})`)
  if (failure !== null) core.setFailed(failure)
}

/** The action's entry point: every error ends as one failed-check line; user mistakes without a stack. */
export async function run(): Promise<void> {
  try {
    await runAction(process.env)
  } catch (error) {
    if (error instanceof ConfigurationError) {
      core.setFailed(`pullcheck: ${error.message}`)
      return
    }
    core.debug(error instanceof Error ? (error.stack ?? error.message) : String(error))
    core.setFailed(`pullcheck: internal error (please report it): ${getErrorMessage(error)}`)
  }
}
