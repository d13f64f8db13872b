// The data that flows through the pipeline:
//   files → documents → image uses (the inventory) → references → registry facts → findings → reports.
// Every stage is a plain function over these types; nothing here touches @actions/*, argv or the console.

/** How bad a finding is. `notice` never fails a check by default. */
export type Severity = 'error' | 'warning' | 'notice'

/** A place in a scanned file. Lines and columns are 1-based, as editors and GitHub show them. */
export interface Position {
  /** Path relative to the current directory (CLI) or repository root (action), as given otherwise. */
  file: string
  line: number
  column: number
  /** Column just past the last character of the value on its first line, when known. */
  endColumn?: number
}

/** Why the inventory could not read (all of) a file, or chose not to. */
export type DiagnosticCode =
  | 'yaml-syntax'
  | 'unrendered-template'
  | 'not-utf8'
  | 'binary-file'
  | 'alias-limit'
  | 'too-deep'
  | 'too-large'
  | 'unreadable'
  | 'duplicate-key'
  | 'helm-chart-template'
  | 'templated-image'
  | 'invalid-image-value'
  /** A pod spec (or a CRD's container list) of the wrong YAML shape: a map or scalar where a list or object belongs. */
  | 'invalid-pod-spec'
  | 'not-a-manifest'

/** A problem with the input, not with an image. The run always goes on past one. */
export interface Diagnostic {
  file: string
  line: number
  column?: number
  code: DiagnosticCode
  /** `error` when the file (or part of it) could not be checked; `notice` when skipped on purpose. */
  severity: Severity
  message: string
}

/** Which list of the pod spec (or which CRD field) a container came from. */
export type ContainerType =
  | 'container'
  | 'initContainer'
  | 'ephemeralContainer'
  | 'sidecar'
  | 'step'
  | 'script'
  | 'template'
  /** A pod `volumes[].image` (Kubernetes 1.31+ image volume): pulled by the kubelet like a container image. */
  | 'imageVolume'

/** A reference to a pull secret by name, where it was written. */
export interface SecretRef {
  name: string
  file: string
  line: number
  column: number
}

/** Node constraints that decide which platforms a pod can land on. null = unconstrained. */
export interface PlacementConstraints {
  /** Allowed values of kubernetes.io/arch (from nodeSelector or required node affinity), or null. */
  architectures: string[] | null
  /** Allowed values of kubernetes.io/os, or null. */
  operatingSystems: string[] | null
}

/** What the kubelet knows about the pod when it pulls one of its images. */
export interface PodContext {
  /** metadata.namespace of the workload, or null when the manifest leaves it to the apply-time default. */
  namespace: string | null
  /** spec.serviceAccountName (or deprecated serviceAccount); 'default' when unnamed. */
  serviceAccountName: string
  /** Pod-level imagePullSecrets, or null when the pod lists none (then the ServiceAccount's apply). */
  imagePullSecrets: SecretRef[] | null
  nodeSelector: Record<string, string>
  placement: PlacementConstraints
}

/** A parsed, normalised image reference, exactly as the kubelet resolves it. */
export interface ImageReference {
  /** The string as written. */
  input: string
  /** Normalised registry domain: `docker.io`, `ghcr.io`, `localhost:5000`, `[::1]:5000`. */
  registry: string
  /** Repository path within the registry: `library/nginx`. */
  repository: string
  /** Tag as written, or null. */
  tag: string | null
  /** Digest as written, or null. */
  digest: string | null
  /** What the kubelet pulls (ParseDockerRef): with a digest the tag is dropped; without either `:latest` is added. */
  canonical: string
  /** Parts the user did not write: 'registry' (docker.io), 'library' (library/ prefix), 'tag' (:latest). */
  implied: ImpliedPart[]
}

export type ImpliedPart = 'registry' | 'library' | 'tag'

/** One occurrence of an image in a container of a workload. */
export interface ImageUse extends Position {
  /** 0-based index of the YAML document within its file (items of a List share their document's index). */
  document: number
  apiVersion: string | null
  kind: string | null
  namespace: string | null
  name: string | null
  containerType: ContainerType
  container: string | null
  /** The raw image string. */
  image: string
  /** True for values such as `{{ .Values.image }}`, `${IMAGE}`, `$(params.image)`, `ko://…`: never checked. */
  templated: boolean
  /** The parsed reference, or null when the value is templated or invalid. */
  reference: ImageReference | null
  /** Error message from the reference parser, when the value is not a valid reference. */
  referenceError: string | null
  /** Helm template path from the `# Source:` comment that precedes the document, or null. */
  source: string | null
  /** The container's imagePullPolicy as written, or null. */
  imagePullPolicy: string | null
  pod: PodContext
}

/** A Secret (or a stand-in for one, such as a SealedSecret) found in the scanned files. */
export interface SecretManifest extends Position {
  document: number
  /** `Secret`, or `SealedSecret` / `ExternalSecret` / a SOPS-encrypted Secret, whose contents cannot be checked. */
  kind: string
  name: string
  namespace: string | null
  /** The Secret's type; `Opaque` when absent. */
  type: string
  /** Decoded `data` values merged with `stringData` (stringData wins, as in the API server). undefined = not decodable. */
  data: Record<string, string | undefined>
  /** True when the secret's contents are not readable here (SealedSecret, ExternalSecret, SOPS). */
  opaqueContents: boolean
}

/** A ServiceAccount found in the scanned files. */
export interface ServiceAccountManifest extends Position {
  document: number
  name: string
  namespace: string | null
  imagePullSecrets: SecretRef[]
}

/** Everything the offline stage learns from the scanned files. */
export interface Inventory {
  /** Files read (relative paths), in the order read. */
  files: string[]
  images: ImageUse[]
  secrets: SecretManifest[]
  serviceAccounts: ServiceAccountManifest[]
  diagnostics: Diagnostic[]
}

/** A runnable image for one platform, as found in an index or read from a config blob. */
export interface PlatformImage {
  os: string
  architecture: string
  variant: string | null
  /** Digest of the platform's image manifest. */
  digest: string
  /** Compressed size: the sum of the layer descriptor sizes, in bytes. null when the manifest was not fetched. */
  size: number | null
  /**
   * Why `size` is null although the platform's manifest was asked for (a fault, a refusal). Absent
   * when the size is known or was not asked for (a platform no node of the scan would pull).
   */
  sizeFailure?: LookupFailure
}

/** Docker Hub style pull-limit headers, when the registry sent them. */
export interface RateLimitInfo {
  limit: number | null
  remaining: number | null
  /** Window in seconds (`w=` of the header). */
  windowSeconds: number | null
  /** Seconds to wait, from `Retry-After`, when a 429 carried it. */
  retryAfterSeconds: number | null
}

/** Who asks the registry: nobody, the tool's own credentials, or credentials given explicitly (a pull secret). */
export type Identity =
  | { kind: 'anonymous' }
  | { kind: 'tool' }
  | { kind: 'basic'; label: string; username: string; password: string }
  | { kind: 'token'; label: string; token: string }

/** The registry answered and the manifest exists. */
export interface ImageFacts {
  status: 'found'
  /** Manifest digest (Docker-Content-Digest, or computed from the bytes). */
  digest: string
  mediaType: string
  /** True for an OCI index or Docker manifest list. */
  isIndex: boolean
  /** Runnable platforms (attestations and artifacts left out). */
  platforms: PlatformImage[]
  /** Host that answered when a mirror was used, else null. */
  mirror: string | null
  rateLimit: RateLimitInfo | null
}

/** Why the registry could not be reached: the words the kubelet would print. */
export type UnreachableCause =
  | 'dns'
  | 'connection-refused'
  | 'connection-reset'
  | 'tls'
  | 'timeout'
  | 'server-error'
  | 'protocol'
  | 'blocked'

/** The question could not be answered with a yes, for a reason that is known. */
export interface LookupFailure {
  status:
    | 'repository-not-found'
    | 'tag-not-found'
    | 'digest-not-found'
    | 'auth-required'
    | 'auth-rejected'
    | 'forbidden'
    | 'rate-limited'
    | 'unreachable'
  /** Plain words, with the kubelet's phrasing where there is one. Never contains a credential. */
  detail: string
  /** For `unreachable`. */
  cause?: UnreachableCause
  rateLimit?: RateLimitInfo | null
}

export type LookupResult = ImageFacts | LookupFailure

/** Statuses that are a verified answer about existence (as opposed to "could not verify"). */
export const VERIFIED_ABSENT: ReadonlySet<LookupFailure['status']> = new Set([
  'repository-not-found',
  'tag-not-found',
  'digest-not-found'
])

/** A rule's result for one image use (or one file). */
export interface Finding {
  rule: string
  severity: Severity
  file: string
  line: number
  column: number
  endColumn?: number
  /** The raw image string, or null for file-level findings. */
  image: string | null
  canonical: string | null
  message: string
  fix: string
  /** Helm template path, when the document came from Helm output. */
  source: string | null
  /** Extra places worth pointing at (the pull-secret reference, the values.yaml line). */
  related?: Array<Position & { message: string }>
}

/** What the scan concluded about one image use. */
export type ImageStatus =
  /** Verified: it would pull. */
  | 'ok'
  /** At least one finding says it will not pull (or will pull the wrong thing). */
  | 'problem'
  /** The registry could not be asked (unreachable, rate-limited, no credentials to look): not a verdict. */
  | 'unverified'
  /** Not checked: templated, invalid, ignored by configuration. */
  | 'skipped'

/** An inventory entry with what the registries said about it. */
export interface ScannedImage extends ImageUse {
  status: ImageStatus
  /** Facts from whichever identity got an answer, or null. */
  facts: ImageFacts | null
  /** The failure that decided the status, when there was one. */
  failure: LookupFailure | null
  /** Why the use was not checked, when its status is 'skipped' (templated, ignored, not selected for registry work). */
  skipReason?: string
}

export interface ScanSummary {
  files: number
  images: number
  uniqueImages: number
  errors: number
  warnings: number
  notices: number
  durationMs: number
}

/** The result of `pullcheck scan`: what every report is rendered from. */
export interface ScanResult {
  findings: Finding[]
  diagnostics: Diagnostic[]
  images: ScannedImage[]
  summary: ScanSummary
  /** The lowest Docker Hub pull budget seen during the run, when any registry sent one. */
  rateLimit: RateLimitInfo | null
}
