// SARIF 2.1.0 for GitHub code scanning (github/codeql-action/upload-sarif): the rules come from their
// metadata, each finding is one result on its line, and each result carries a fingerprint that
// survives unrelated edits. Shaped by the properties GitHub documents (schemas/sarif-github.schema.json
// checks them) and kept within its limits.
//
// Fingerprints: GitHub matches results across runs only by `partialFingerprints.primaryLocationLineHash`
// (and upload-sarif computes one from the line's text when it is missing). pullcheck supplies its
// own: a hash of the rule id, the file, the image string and the container's identity (kind,
// namespace, workload name, container list and name), plus an occurrence number for identical
// twins. The line number is deliberately left out, so inserting lines above a finding, or reordering
// documents, keeps the alert; renaming the workload or the container, or changing the image, opens a
// new one, which is what a reviewer expects.
import { createHash } from 'node:crypto'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type * as Sarif from 'sarif'
import type { Diagnostic, Finding, ScanResult } from '../model.js'
import type { RuleMeta } from '../rules/rule.js'
import { compareFindings, PROJECT_URL, ruleDocUrl, safeImage, safeText, sarifLevel, SEVERITY_ORDER } from './format.js'

/** GitHub code scanning rejects a run with more results than this. */
export const SARIF_MAX_RESULTS = 25_000

/** The schema URI GitHub's documentation gives for SARIF 2.1.0. */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json'

export interface SarifOptions {
  toolVersion: string
  /** The repository root; result URIs are made relative to it. When absent, finding paths are taken as repository-relative. */
  repoRoot?: string
  /** The directory finding paths are relative to; defaults to `repoRoot`. */
  cwd?: string
}

const SRCROOT = '%SRCROOT%'

function pascalCase(id: string): string {
  return id
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')
}

/** The problem.severity GitHub uses to order non-security results. */
function problemSeverity(meta: RuleMeta): 'error' | 'warning' | 'recommendation' {
  return meta.defaultSeverity === 'notice' ? 'recommendation' : meta.defaultSeverity
}

function reportingDescriptor(meta: RuleMeta): Sarif.ReportingDescriptor {
  const docs = ruleDocUrl(meta.id)
  return {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: meta.summary },
    fullDescription: { text: meta.description },
    helpUri: docs,
    help: {
      text: `${meta.description}\n\nFix: ${meta.fix}\n\nDocumentation: ${docs}`,
      markdown: `${meta.description}\n\n**Fix:** ${meta.fix}\n\n[Rule documentation](${docs})`
    },
    defaultConfiguration: { level: sarifLevel(meta.defaultSeverity) },
    properties: {
      tags: ['kubernetes', 'container-image', meta.requires],
      precision: 'very-high',
      'problem.severity': problemSeverity(meta)
    }
  }
}

/** Turns a scanned file's path into a URI: repository-relative with forward slashes, or a file URI outside the repository. */
function artifactLocation(file: string, options: SarifOptions): Sarif.ArtifactLocation {
  let relative: string
  if (options.repoRoot !== undefined) {
    const absolute = path.resolve(options.cwd ?? options.repoRoot, file)
    relative = path.relative(options.repoRoot, absolute)
    if (relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileURL(absolute).href }
  } else if (path.isAbsolute(file)) {
    return { uri: pathToFileURL(file).href }
  } else {
    relative = path.normalize(file)
  }
  const segments = relative.split(/[\\/]+/).filter((segment) => segment !== '' && segment !== '.')
  return { uri: segments.map(encodeURIComponent).join('/'), uriBaseId: SRCROOT }
}

function region(line: number, column: number | undefined, endColumn: number | undefined): Sarif.Region {
  const result: Sarif.Region = { startLine: Math.max(1, line) }
  if (column !== undefined && column >= 1) {
    result.startColumn = column
    result.endLine = result.startLine
    if (endColumn !== undefined && endColumn > column) result.endColumn = endColumn
  }
  return result
}

/** Where an image use or a finding sits, as a map key. */
function placeKey(place: { file: string; line: number; column: number }, image: string | null): string {
  return [place.file, place.line, place.column, image ?? ''].join('\u0000')
}

/** The container identity of each image use (kind, namespace, workload, container list and name), by place. */
function containerIdentities(result: ScanResult): Map<string, string[]> {
  const identities = new Map<string, string[]>()
  for (const image of result.images) {
    identities.set(placeKey(image, image.image), [image.kind ?? '', image.namespace ?? '', image.name ?? '', image.containerType, image.container ?? ''])
  }
  return identities
}

function fingerprintBase(finding: Finding, uri: string, identities: Map<string, string[]>): string {
  const parts = [finding.rule, uri, finding.image ?? '', ...(identities.get(placeKey(finding, finding.image)) ?? [])]
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32)
}

function resultMessage(finding: Finding): string {
  const lines = [safeText(finding.message)]
  if (finding.source !== null) lines.push(`Rendered from the Helm template ${finding.source}.`)
  if (finding.fix !== '') lines.push(`Fix: ${safeText(finding.fix)}`)
  return lines.join('\n\n')
}

function notification(diagnostic: Diagnostic, options: SarifOptions): Sarif.Notification {
  return {
    level: sarifLevel(diagnostic.severity),
    message: { text: safeText(diagnostic.message) },
    descriptor: { id: diagnostic.code },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(diagnostic.file, options),
          region: region(diagnostic.line, diagnostic.column, undefined)
        }
      }
    ]
  }
}

/**
 * Builds the SARIF log of a scan. `rules` is the metadata of every rule (`allRules`); results point
 * at it by id and index. At most SARIF_MAX_RESULTS results are kept, errors first; the run's
 * properties say when some were left out.
 */
export function buildSarifLog(result: ScanResult, rules: readonly RuleMeta[], options: SarifOptions): Sarif.Log {
  const ruleIndex = new Map(rules.map((meta, index) => [meta.id, index]))
  const ordered = [...result.findings].sort(compareFindings)
  const occurrences = new Map<string, number>()
  const identities = containerIdentities(result)
  const sarifResults = ordered.map((finding) => {
    const location = artifactLocation(finding.file, options)
    const base = fingerprintBase(finding, location.uri ?? finding.file, identities)
    const occurrence = (occurrences.get(base) ?? 0) + 1
    occurrences.set(base, occurrence)
    const index = ruleIndex.get(finding.rule)
    const sarifResult: Sarif.Result = {
      ruleId: finding.rule,
      ...(index === undefined ? {} : { ruleIndex: index }),
      level: sarifLevel(finding.severity),
      message: { text: resultMessage(finding) },
      locations: [{ physicalLocation: { artifactLocation: location, region: region(finding.line, finding.column, finding.endColumn) } }],
      partialFingerprints: { primaryLocationLineHash: `${base}:${occurrence}` }
    }
    const related = finding.related ?? []
    if (related.length > 0) {
      sarifResult.relatedLocations = related.map((place, i) => ({
        id: i + 1,
        physicalLocation: { artifactLocation: artifactLocation(place.file, options), region: region(place.line, place.column, place.endColumn) },
        message: { text: safeText(place.message) }
      }))
    }
    const properties: Record<string, string> = {}
    if (finding.image !== null) properties.image = safeImage(finding.image)
    if (finding.canonical !== null) properties.canonical = finding.canonical
    if (finding.source !== null) properties.helmTemplate = finding.source
    if (Object.keys(properties).length > 0) sarifResult.properties = properties
    return { sarifResult, severity: finding.severity }
  })

  // Over the limit GitHub rejects the whole file: keep the most severe, in file order within a severity.
  const kept =
    sarifResults.length <= SARIF_MAX_RESULTS
      ? sarifResults
      : sarifResults
          .map((entry, order) => ({ ...entry, order }))
          .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.order - b.order)
          .slice(0, SARIF_MAX_RESULTS)
          .sort((a, b) => a.order - b.order)

  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'pullcheck',
        version: options.toolVersion,
        semanticVersion: options.toolVersion,
        informationUri: PROJECT_URL,
        rules: rules.map(reportingDescriptor)
      }
    },
    columnKind: 'utf16CodeUnits',
    results: kept.map((entry) => entry.sarifResult),
    invocations: [
      {
        executionSuccessful: true,
        toolExecutionNotifications: result.diagnostics.map((diagnostic) => notification(diagnostic, options))
      }
    ]
  }
  if (options.repoRoot !== undefined) {
    run.originalUriBaseIds = { [SRCROOT]: { uri: pathToFileURL(path.resolve(options.repoRoot) + path.sep).href } }
  }
  if (kept.length < sarifResults.length) {
    run.properties = {
      truncated: true,
      totalResults: sarifResults.length,
      includedResults: kept.length,
      note: `GitHub code scanning accepts at most ${SARIF_MAX_RESULTS} results per run; ${sarifResults.length - kept.length} less severe results were left out. Run \`pullcheck scan --format json\` for all of them.`
    }
  }
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] }
}

/** The SARIF log as text: two-space indented, ending with a newline. */
export function renderSarif(result: ScanResult, rules: readonly RuleMeta[], options: SarifOptions): string {
  return `${JSON.stringify(buildSarifLog(result, rules, options), null, 2)}\n`
}
