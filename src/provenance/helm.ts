// Helm provenance: from a rendered document's `# Source: chart/templates/x.yaml` to the chart in the
// repository (by its Chart.yaml, sub-charts included), and from the rendered image to the values.yaml
// lines that set it. Values are layered as Helm coalesces them and matched by value, so a line is only
// named when it produced the image. Shapes: Renovate's helm-values ones (`*image: {registry,
// repository, tag|version, digest}`, inline `*image: repo:tag`), plus appVersion as the default tag.
import path from 'node:path'
import type { Logger } from '../logger.js'
import { compareNames, splitImage, type ImageParts } from './image-parts.js'
import { nodeAt, overlay, parsePositionedYaml, type PositionedMap, type PositionedNode, type PositionedScalar } from './positioned.js'
import { findFilesNamed, type RepositoryFileCache } from './repository-files.js'
import type { ProvenanceTrace, TracedLine, ValueRole } from './types.js'

/** A chart of the repository. */
export interface ChartInfo {
  /** Repository-relative directory holding Chart.yaml. */
  dir: string
  /** `name` from Chart.yaml; `# Source:` paths start with it. */
  name: string
  appVersion: PositionedScalar | null
}

/** A `# Source:` path split into its chart chain and the template path inside the last chart. */
export interface HelmSource {
  /** Chart names from the top chart down to the sub-chart that holds the template. */
  charts: string[]
  /** Path of the template inside the last chart, e.g. `templates/deployment.yaml`. */
  template: string
}

/** Keys whose value describes an image (Renovate's heuristic: the key ends in "image"). */
const IMAGE_KEY = /image$/i
/** Additional values files of a chart (`values-prod.yaml`, `values.staging.yaml`, `prod.values.yaml`). */
const EXTRA_VALUES_FILE = /^(?:values[-_.].+|.+[-_.]values)\.ya?ml$/
const GLOBAL_REGISTRY_PATHS = [['global', 'imageRegistry'], ['global', 'image', 'registry'], ['global', 'registry']]

/** Splits `parent/charts/sub/templates/x.yaml`; null when it is not a chart path. */
export function parseHelmSource(source: string): HelmSource | null {
  const segments = source.trim().replace(/\\/g, '/').split('/').filter((segment) => segment !== '')
  if (segments.length < 2) return null
  const charts = [segments[0]!]
  let index = 1
  while (segments[index] === 'charts' && index + 2 < segments.length) {
    charts.push(segments[index + 1]!)
    index += 2
  }
  const template = segments.slice(index).join('/')
  return template === '' ? null : { charts, template }
}

/** A values.yaml layer of the chain, with the key path its top level sits at in the effective tree. */
interface ValuesLayer {
  tree: PositionedNode | null
  /** Keys of this file above the part that applies to the traced chart (`sub` in a parent's values). */
  prefix: string[]
}

/** A structured or inline image definition found in the effective values. */
interface ImageCandidate {
  /** Key path in the effective values, e.g. ['image'] or ['sidecar', 'image']. */
  path: string[]
  registry?: PositionedScalar
  repository?: PositionedScalar
  /** The key that held the repository: `repository`, `image` or `name`. */
  repositoryKey?: string
  tag?: PositionedScalar
  /** `tag` or `version`. */
  tagKey?: string
  digest?: PositionedScalar
  inline?: PositionedScalar
}

function scalar(node: PositionedNode | null | undefined): PositionedScalar | undefined {
  return node?.kind === 'scalar' && node.text !== null && node.text.trim() !== '' ? node : undefined
}

function tagOf(node: PositionedMap): { tag?: PositionedScalar; tagKey?: string } {
  for (const key of ['tag', 'version']) {
    const tag = scalar(node.entries.get(key))
    if (tag !== undefined) return { tag, tagKey: key }
  }
  return {}
}

function collectCandidates(node: PositionedNode, key: string | null, pathSoFar: string[], into: ImageCandidate[]): void {
  if (node.kind === 'map') {
    if (key !== null && IMAGE_KEY.test(key)) {
      const repositoryKey = ['repository', 'image', 'name'].find((candidate) => scalar(node.entries.get(candidate)) !== undefined)
      if (repositoryKey !== undefined) {
        into.push({
          path: pathSoFar,
          repository: scalar(node.entries.get(repositoryKey)),
          repositoryKey,
          registry: scalar(node.entries.get('registry')),
          ...tagOf(node),
          digest: scalar(node.entries.get('digest')) ?? scalar(node.entries.get('sha'))
        })
      }
    }
    for (const [childKey, child] of node.entries) collectCandidates(child, childKey, [...pathSoFar, childKey], into)
  } else if (node.kind === 'seq') {
    node.items.forEach((item, index) => collectCandidates(item, null, [...pathSoFar, String(index)], into))
  } else if (key !== null && IMAGE_KEY.test(key)) {
    const inline = scalar(node)
    if (inline !== undefined) into.push({ path: pathSoFar, inline })
  }
}

interface MatchContext {
  rendered: ImageParts
  appVersion: PositionedScalar | null
  globalRegistries: PositionedScalar[]
  /** How a line's file maps back to the key path written in it. */
  writtenPath(scalarNode: PositionedScalar, effectivePath: string[]): string
}

function line(node: PositionedScalar, role: ValueRole, message: string): TracedLine {
  return { ...node.position, role, message }
}

const ROLE_WORDS: Record<ValueRole, string> = {
  registry: 'registry',
  repository: 'repository',
  tag: 'tag',
  digest: 'digest',
  image: 'image',
  'app-version': 'default tag (appVersion)',
  template: 'image'
}

function setsMessage(context: MatchContext, node: PositionedScalar, effectivePath: string[], role: ValueRole): string {
  return `${context.writtenPath(node, effectivePath)} sets the ${ROLE_WORDS[role]} ${JSON.stringify(node.text)}`
}

/** The lines of one candidate that produced the rendered image, or null when it did not produce it. */
function matchCandidate(candidate: ImageCandidate, context: MatchContext): TracedLine[] | null {
  const { rendered } = context
  if (candidate.inline !== undefined) {
    const written = splitImage(candidate.inline.text!)
    if (compareNames(rendered.name, written.name) === null) return null
    if (rendered.tag !== null && written.tag !== null && rendered.tag !== written.tag) return null
    if (rendered.digest !== null && written.digest !== null && rendered.digest !== written.digest) return null
    if (rendered.tag === null && rendered.digest === null && (written.tag !== null || written.digest !== null)) return null
    return [line(candidate.inline, 'image', setsMessage(context, candidate.inline, candidate.path, 'image'))]
  }
  const repository = candidate.repository!
  const registryText = candidate.registry?.text?.replace(/\/+$/, '')
  const writtenName = registryText === undefined ? repository.text! : `${registryText}/${repository.text!}`
  let relation = compareNames(rendered.name, writtenName)
  let registryUsed = registryText !== undefined && relation !== null
  if (relation === null && registryText !== undefined) {
    relation = compareNames(rendered.name, repository.text!)
    registryUsed = false
  }
  if (relation === null) return null

  // A tag written as `1.2.3@sha256:…` (Renovate's pinned form) carries the digest too.
  const tagParts = candidate.tag === undefined ? null : splitTagDigest(candidate.tag.text!)
  const lines: TracedLine[] = []
  const effective = (key: string): string[] => [...candidate.path, key]
  if (registryUsed && candidate.registry !== undefined) {
    lines.push(line(candidate.registry, 'registry', setsMessage(context, candidate.registry, effective('registry'), 'registry')))
  } else if (relation === 'suffix') {
    const prefix = rendered.name.slice(0, rendered.name.length - writtenName.length - 1)
    const global = context.globalRegistries.find((node) => node.text!.replace(/\/+$/, '') === prefix)
    if (global !== undefined) lines.push(line(global, 'registry', `${context.writtenPath(global, [])} sets the registry ${JSON.stringify(global.text)}`))
  }
  lines.push(line(repository, 'repository', setsMessage(context, repository, effective(candidate.repositoryKey ?? 'repository'), 'repository')))

  if (rendered.tag !== null) {
    if (tagParts !== null && tagParts.tag !== '') {
      if (tagParts.tag !== rendered.tag) return null
      lines.push(line(candidate.tag!, 'tag', setsMessage(context, candidate.tag!, effective(candidate.tagKey ?? 'tag'), 'tag')))
    } else if (context.appVersion !== null && context.appVersion.text === rendered.tag) {
      lines.push(line(context.appVersion, 'app-version', `appVersion in Chart.yaml sets the default tag ${JSON.stringify(rendered.tag)}`))
    } else {
      return null
    }
  }
  if (rendered.digest !== null) {
    if (candidate.digest !== undefined) {
      if (candidate.digest.text !== rendered.digest) return null
      lines.push(line(candidate.digest, 'digest', setsMessage(context, candidate.digest, effective('digest'), 'digest')))
    } else if (tagParts?.digest !== null && tagParts?.digest !== undefined) {
      if (tagParts.digest !== rendered.digest) return null
      if (!lines.some((existing) => existing.role === 'tag')) {
        lines.push(line(candidate.tag!, 'digest', setsMessage(context, candidate.tag!, effective(candidate.tagKey ?? 'tag'), 'digest')))
      }
    }
  } else if (rendered.tag === null && tagParts !== null && tagParts.tag !== '') {
    // The rendered image has neither tag nor digest, so this tag did not reach it.
    return null
  }
  return lines
}

function splitTagDigest(text: string): { tag: string; digest: string | null } {
  const at = text.indexOf('@')
  return at === -1 ? { tag: text, digest: null } : { tag: text.slice(0, at), digest: text.slice(at + 1) }
}

/** Helm provenance over the charts of one repository checkout. */
export class HelmProvenance {
  private constructor(
    private readonly files: RepositoryFileCache,
    private readonly charts: ChartInfo[]
  ) {}

  /** Finds every chart (every Chart.yaml) in the repository. */
  static async load(repoRoot: string, files: RepositoryFileCache, logger?: Logger): Promise<HelmProvenance> {
    const charts: ChartInfo[] = []
    for (const chartFile of await findFilesNamed(repoRoot, new Set(['Chart.yaml', 'Chart.yml']), logger)) {
      const text = await files.read(chartFile)
      if (text === null) continue
      const tree = parsePositionedYaml(text, chartFile)[0] ?? null
      const name = scalar(nodeAt(tree, ['name']))
      if (name === undefined) continue
      charts.push({ dir: path.posix.dirname(chartFile), name: name.text!, appVersion: scalar(nodeAt(tree, ['appVersion'])) ?? null })
    }
    return new HelmProvenance(files, charts)
  }

  /** The charts found, for diagnostics and tests. */
  get chartList(): readonly ChartInfo[] {
    return this.charts
  }

  /** Chart directories for a `# Source:` chain: the top chart's directory, then each sub-chart's (null when not unpacked). */
  private async resolveChain(source: HelmSource): Promise<{ dirs: Array<string | null>; chart: ChartInfo | null; templateFile: string | null } | null> {
    const tops = this.charts.filter((chart) => chart.name === source.charts[0])
    let best: { dirs: Array<string | null>; chart: ChartInfo | null; templateFile: string | null } | null = null
    for (const top of tops) {
      const dirs: Array<string | null> = [top.dir]
      let current: string | null = top.dir
      for (const sub of source.charts.slice(1)) {
        const candidate: string | null = current === null ? null : `${current}/charts/${sub}`
        current = candidate !== null && this.charts.some((chart) => chart.dir === candidate) ? candidate : null
        dirs.push(current)
      }
      const last = dirs[dirs.length - 1] ?? null
      const templateFile = last === null ? null : `${last}/${source.template}`
      const resolved = { dirs, chart: this.charts.find((chart) => chart.dir === last) ?? null, templateFile }
      if (templateFile !== null && (await this.files.exists(templateFile))) return resolved
      best ??= resolved
    }
    return best
  }

  private async valuesTree(file: string): Promise<PositionedNode | null> {
    const text = await this.files.read(file)
    return text === null ? null : (parsePositionedYaml(text, file)[0] ?? null)
  }

  /**
   * The values.yaml (and chart template) lines that produced `image` in a document rendered from
   * `source`. Null when the chart is not in the repository or nothing in it matches.
   */
  async trace(source: string, image: string, container: string | null = null): Promise<ProvenanceTrace | null> {
    const parsed = parseHelmSource(source)
    if (parsed === null) return null
    const chain = await this.resolveChain(parsed)
    if (chain === null) return null
    const rendered = splitImage(image)

    const layers: ValuesLayer[] = []
    for (let index = 0; index < chain.dirs.length; index++) {
      const dir = chain.dirs[index]
      if (dir === null || dir === undefined) continue
      layers.push({ tree: await this.valuesTree(`${dir}/values.yaml`), prefix: parsed.charts.slice(index + 1) })
    }
    const topDir = chain.dirs[0]!
    const alternatives: Array<ValuesLayer | null> = [null]
    for (const name of await this.files.list(topDir)) {
      if (EXTRA_VALUES_FILE.test(name)) alternatives.push({ tree: await this.valuesTree(`${topDir}/${name}`), prefix: parsed.charts.slice(1) })
    }

    const prefixes = new Map<string, string[]>()
    for (const layer of layers) if (layer.tree !== null) prefixes.set(layer.tree.position.file, layer.prefix)
    for (const layer of alternatives) if (layer?.tree) prefixes.set(layer.tree.position.file, layer.prefix)

    const seen = new Set<string>()
    const lines: TracedLine[] = []
    for (const extra of alternatives) {
      const effective = effectiveValues(extra === null ? layers : [extra, ...layers])
      if (effective === null) continue
      const candidates: ImageCandidate[] = []
      collectCandidates(effective, null, [], candidates)
      const context: MatchContext = {
        rendered,
        appVersion: chain.chart?.appVersion ?? null,
        globalRegistries: GLOBAL_REGISTRY_PATHS.map((keys) => scalar(nodeAt(effective, keys))).filter((node): node is PositionedScalar => node !== undefined),
        writtenPath: (node, effectivePath) => [...(prefixes.get(node.position.file) ?? []), ...effectivePath].join('.') || 'value'
      }
      for (const candidate of candidates) {
        for (const found of matchCandidate(candidate, context) ?? []) {
          const key = `${found.file}:${found.line}:${found.column}:${found.role}`
          if (seen.has(key)) continue
          seen.add(key)
          lines.push(found)
        }
      }
    }
    if (lines.length > 0) return { via: 'helm-values', lines: orderLines(lines) }

    if (chain.templateFile !== null) {
      const templateLine = await this.templateImageLine(chain.templateFile, rendered, container)
      if (templateLine !== null) return { via: 'helm-template', lines: [templateLine] }
    }
    return null
  }

  /**
   * The `image:` line of a chart template that most likely rendered the image: the first one after
   * the container's `name:`, else one that mentions the image. Templates are not YAML until
   * rendered, so their lines are scanned as text.
   */
  private async templateImageLine(templateFile: string, rendered: ImageParts, container: string | null): Promise<TracedLine | null> {
    const text = await this.files.read(templateFile)
    if (text === null) return null
    const lines = text.split(/\r?\n/)
    const imageLine = /^(\s*-?\s*["']?image["']?\s*:\s*)(.*?)\s*$/
    const imageLines = lines.flatMap((content, index) => (imageLine.test(content) ? [index] : []))
    const lastComponent = rendered.name.split('/').pop() ?? rendered.name
    const nameLine = container === null ? -1 : lines.findIndex((content) => containerNameLine(content) === container)
    const chosen =
      (nameLine === -1 ? undefined : (imageLines.find((index) => index > nameLine) ?? imageLines.find((index) => index === nameLine - 1))) ??
      imageLines.find((index) => lines[index]!.includes(rendered.name)) ??
      imageLines.find((index) => lines[index]!.includes(lastComponent)) ??
      imageLines[0]
    if (chosen === undefined) {
      return { file: templateFile, line: 1, column: 1, role: 'template', message: `the chart template ${templateFile} renders this document` }
    }
    const [, before = '', value = ''] = imageLine.exec(lines[chosen]!) ?? []
    return {
      file: templateFile,
      line: chosen + 1,
      column: before.length + 1,
      ...(value === '' ? {} : { endColumn: before.length + value.length + 1 }),
      role: 'template',
      message: 'the chart template writes the image here'
    }
  }
}

/** The container name a template line declares (`- name: web`), or null. */
function containerNameLine(content: string): string | null {
  const match = /^\s*-?\s*name:\s*["']?([^"'\s]+)["']?\s*$/.exec(content)
  return match === null ? null : match[1]!
}

/** Layers values files as Helm coalesces them: the first layer wins; each layer's globals reach every sub-chart. */
function effectiveValues(layersHighestFirst: ValuesLayer[]): PositionedNode | null {
  let tree: PositionedNode | null = null
  let globals: PositionedNode | null = null
  for (let index = layersHighestFirst.length - 1; index >= 0; index--) {
    const layer = layersHighestFirst[index]!
    tree = overlay(tree, nodeAt(layer.tree, layer.prefix))
    globals = overlay(globals, nodeAt(layer.tree, ['global']))
  }
  if (globals === null) return tree
  const base: PositionedMap =
    tree?.kind === 'map' ? tree : { kind: 'map', entries: new Map(), position: globals.position }
  const entries = new Map(base.entries)
  entries.set('global', globals)
  return { ...base, entries }
}

const ROLE_ORDER: ValueRole[] = ['registry', 'repository', 'image', 'tag', 'app-version', 'digest', 'template']

function orderLines(lines: TracedLine[]): TracedLine[] {
  return [...lines].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.file.localeCompare(b.file) || a.line - b.line)
}
