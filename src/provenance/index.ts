// Tracing findings in rendered output back to the repository lines that produced them: Helm output
// (documents with `# Source:`) to values.yaml, Chart.yaml or the chart template; `kustomize build`
// output to kustomization.yaml `images:` entries. A library: reads files under the repository root
// it is given and returns data; charts and kustomizations are only looked for when a finding needs them.
import type { Finding, ImageUse } from '../model.js'
import type { Logger } from '../logger.js'
import { HelmProvenance } from './helm.js'
import { KustomizeProvenance } from './kustomize.js'
import { RepositoryFileCache } from './repository-files.js'
import type { ProvenanceTrace, TracedLine, ValueRole } from './types.js'

export { HelmProvenance, parseHelmSource, type ChartInfo, type HelmSource } from './helm.js'
export { KustomizeProvenance, KUSTOMIZATION_FILE_NAMES, type KustomizeImageEntry } from './kustomize.js'
export { RepositoryFileCache, findFilesNamed } from './repository-files.js'
export type { ProvenanceTrace, TraceKind, TracedLine, ValueRole } from './types.js'

export interface TraceOptions {
  /** Absolute path of the repository checkout; finding files are relative to it. */
  repoRoot: string
  /** Repository-relative paths of files an earlier step rendered; their findings without `# Source:` are matched against kustomizations. */
  renderedFiles: ReadonlySet<string>
  /** The scanned image uses, to learn each finding's container name (it picks the template line). */
  images?: readonly ImageUse[]
  logger?: Logger
}

/**
 * One trace per finding (same order), or null where the finding is not in rendered output or
 * nothing in the repository produced its image.
 */
export async function traceFindings(findings: readonly Finding[], options: TraceOptions): Promise<Array<ProvenanceTrace | null>> {
  const files = new RepositoryFileCache(options.repoRoot)
  let helm: Promise<HelmProvenance> | undefined
  let kustomize: Promise<KustomizeProvenance> | undefined
  const containers = new Map<string, string | null>()
  for (const use of options.images ?? []) containers.set(`${use.file}\u0000${use.line}\u0000${use.column}`, use.container)
  const traces: Array<ProvenanceTrace | null> = []
  for (const finding of findings) {
    let trace: ProvenanceTrace | null = null
    if (finding.image !== null && finding.source !== null) {
      helm ??= HelmProvenance.load(options.repoRoot, files, options.logger)
      const container = containers.get(`${finding.file}\u0000${finding.line}\u0000${finding.column}`) ?? null
      trace = await (await helm).trace(finding.source, finding.image, container)
    } else if (finding.image !== null && options.renderedFiles.has(finding.file)) {
      kustomize ??= KustomizeProvenance.load(options.repoRoot, files, options.logger)
      trace = (await kustomize).trace(finding.image)
    }
    traces.push(trace)
  }
  return traces
}

/** Which traced line best explains a finding of each rule, most telling first. */
const ROLE_PREFERENCE: Record<string, ValueRole[]> = {
  'repository-not-found': ['repository', 'image', 'registry', 'template', 'tag', 'app-version', 'digest'],
  'tag-not-found': ['tag', 'app-version', 'image', 'repository', 'template', 'registry', 'digest'],
  'latest-tag': ['tag', 'app-version', 'image', 'repository', 'template', 'registry', 'digest'],
  'digest-not-found': ['digest', 'image', 'tag', 'repository', 'template', 'registry', 'app-version'],
  'tag-digest-mismatch': ['digest', 'tag', 'image', 'repository', 'template', 'registry', 'app-version']
}
const DEFAULT_PREFERENCE: ValueRole[] = ['tag', 'image', 'app-version', 'digest', 'repository', 'registry', 'template']

/**
 * The line a finding's annotation belongs on: a line the change itself touched when there is one
 * (that is the line its author edited), otherwise the line that best explains the rule.
 */
export function primaryTracedLine(trace: ProvenanceTrace, rule: string, isChanged: (file: string, line: number) => boolean): TracedLine {
  const preference = ROLE_PREFERENCE[rule] ?? DEFAULT_PREFERENCE
  const rank = (line: TracedLine): number => (isChanged(line.file, line.line) ? 0 : 100) + preference.indexOf(line.role)
  return [...trace.lines].sort((a, b) => rank(a) - rank(b))[0]!
}
