// The machine-readable report of `pullcheck scan --format json` and the action's `findings-json`
// file; its shape is published as schemas/scan.schema.json. Every field is copied by name, never by
// spreading the scan's objects, so nothing that is added to the pipeline types later (let alone a
// credential) reaches the report without being chosen here.
import type {
  Diagnostic,
  Finding,
  ImageFacts,
  ImpliedPart,
  LookupFailure,
  PlacementConstraints,
  RateLimitInfo,
  ScannedImage,
  ScanResult,
  ScanSummary,
  SecretRef,
  Severity
} from '../model.js'
import { compareFindings, compareText, safeImage, safeText } from './format.js'

/** A place in a file, as the report gives it. */
export interface JsonLocation {
  file: string
  line: number
  column: number
}

export interface JsonFinding {
  rule: string
  severity: Severity
  file: string
  line: number
  column: number
  endColumn: number | null
  image: string | null
  canonical: string | null
  message: string
  fix: string
  source: string | null
  related: Array<JsonLocation & { message: string }>
}

export interface JsonDiagnostic {
  file: string
  line: number
  column: number | null
  code: string
  severity: Severity
  message: string
}

export interface JsonReference {
  canonical: string
  registry: string
  repository: string
  tag: string | null
  digest: string | null
  implied: ImpliedPart[]
}

export interface JsonPod {
  namespace: string | null
  serviceAccountName: string
  imagePullSecrets: Array<JsonLocation & { name: string }> | null
  nodeSelector: Record<string, string>
  placement: PlacementConstraints
}

export interface JsonFacts {
  digest: string
  mediaType: string
  isIndex: boolean
  platforms: Array<{ os: string; architecture: string; variant: string | null; digest: string; size: number | null }>
  mirror: string | null
  rateLimit: RateLimitInfo | null
}

export interface JsonFailure {
  status: LookupFailure['status']
  detail: string
  cause: string | null
}

export interface JsonImage {
  file: string
  line: number
  column: number
  document: number
  apiVersion: string | null
  kind: string | null
  namespace: string | null
  name: string | null
  containerType: string
  container: string | null
  image: string
  templated: boolean
  reference: JsonReference | null
  referenceError: string | null
  source: string | null
  imagePullPolicy: string | null
  pod: JsonPod
  status: ScannedImage['status']
  skipReason: string | null
  facts: JsonFacts | null
  failure: JsonFailure | null
}

/** The whole JSON report. */
export interface JsonReport {
  findings: JsonFinding[]
  diagnostics: JsonDiagnostic[]
  images: JsonImage[]
  summary: ScanSummary
  rateLimit: RateLimitInfo | null
}

function jsonFinding(finding: Finding): JsonFinding {
  return {
    rule: finding.rule,
    severity: finding.severity,
    file: finding.file,
    line: finding.line,
    column: finding.column,
    endColumn: finding.endColumn ?? null,
    image: finding.image === null ? null : safeImage(finding.image),
    canonical: finding.canonical,
    message: safeText(finding.message),
    fix: safeText(finding.fix),
    source: finding.source,
    related: (finding.related ?? []).map((related) => ({
      file: related.file,
      line: related.line,
      column: related.column,
      message: safeText(related.message)
    }))
  }
}

function jsonDiagnostic(diagnostic: Diagnostic): JsonDiagnostic {
  return {
    file: diagnostic.file,
    line: diagnostic.line,
    column: diagnostic.column ?? null,
    code: diagnostic.code,
    severity: diagnostic.severity,
    message: safeText(diagnostic.message)
  }
}

function jsonRateLimit(rateLimit: RateLimitInfo | null | undefined): RateLimitInfo | null {
  if (rateLimit === null || rateLimit === undefined) return null
  return {
    limit: rateLimit.limit,
    remaining: rateLimit.remaining,
    windowSeconds: rateLimit.windowSeconds,
    retryAfterSeconds: rateLimit.retryAfterSeconds
  }
}

function jsonSecretRef(ref: SecretRef): JsonLocation & { name: string } {
  return { name: ref.name, file: ref.file, line: ref.line, column: ref.column }
}

function jsonFacts(facts: ImageFacts): JsonFacts {
  return {
    digest: facts.digest,
    mediaType: facts.mediaType,
    isIndex: facts.isIndex,
    platforms: facts.platforms.map((platform) => ({
      os: platform.os,
      architecture: platform.architecture,
      variant: platform.variant,
      digest: platform.digest,
      size: platform.size
    })),
    mirror: facts.mirror,
    rateLimit: jsonRateLimit(facts.rateLimit)
  }
}

function jsonImage(image: ScannedImage): JsonImage {
  const { reference, pod } = image
  return {
    file: image.file,
    line: image.line,
    column: image.column,
    document: image.document,
    apiVersion: image.apiVersion,
    kind: image.kind,
    namespace: image.namespace,
    name: image.name,
    containerType: image.containerType,
    container: image.container,
    image: safeImage(image.image),
    templated: image.templated,
    reference:
      reference === null
        ? null
        : {
            canonical: reference.canonical,
            registry: reference.registry,
            repository: reference.repository,
            tag: reference.tag,
            digest: reference.digest,
            implied: [...reference.implied]
          },
    referenceError: image.referenceError === null ? null : safeText(image.referenceError),
    source: image.source,
    imagePullPolicy: image.imagePullPolicy,
    pod: {
      namespace: pod.namespace,
      serviceAccountName: pod.serviceAccountName,
      imagePullSecrets: pod.imagePullSecrets === null ? null : pod.imagePullSecrets.map(jsonSecretRef),
      nodeSelector: { ...pod.nodeSelector },
      placement: {
        architectures: pod.placement.architectures === null ? null : [...pod.placement.architectures],
        operatingSystems: pod.placement.operatingSystems === null ? null : [...pod.placement.operatingSystems]
      }
    },
    status: image.status,
    skipReason: image.skipReason ?? null,
    facts: image.facts === null ? null : jsonFacts(image.facts),
    failure:
      image.failure === null
        ? null
        : { status: image.failure.status, detail: safeText(image.failure.detail), cause: image.failure.cause ?? null }
  }
}

/** The JSON report as data: findings in file order, images in inventory order. */
export function buildJsonReport(result: ScanResult): JsonReport {
  const { summary } = result
  return {
    findings: [...result.findings].sort(compareFindings).map(jsonFinding),
    diagnostics: [...result.diagnostics]
      .sort((a, b) => compareText(a.file, b.file) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0))
      .map(jsonDiagnostic),
    images: result.images.map(jsonImage),
    summary: {
      files: summary.files,
      images: summary.images,
      uniqueImages: summary.uniqueImages,
      errors: summary.errors,
      warnings: summary.warnings,
      notices: summary.notices,
      durationMs: summary.durationMs
    },
    rateLimit: jsonRateLimit(result.rateLimit)
  }
}

/** The JSON report as text: two-space indented, ending with a newline. */
export function renderJson(result: ScanResult): string {
  return `${JSON.stringify(buildJsonReport(result), null, 2)}\n`
}
