// From a pod spec (or the pod-like parts of a CRD) to image uses: which lists hold containers,
// what the kubelet will know when it pulls (namespace, service account, pull secrets, placement),
// and how each `image:` value is recorded — a reference, a template, or a value of the wrong type.
import type { ContainerType, ImageUse, PodContext } from '../model.js'
import { parseReference } from '../reference/index.js'
import { child, scalarValue, seqItems, stringValue, type YamlNode } from '../documents/index.js'
import { addDiagnostic, placeOf, quoteValue, secretRefsOf, type ExtractionContext, type ObjectIdentity } from './context.js'
import { placementOf } from './placement.js'
import { describeScalarValue, mappingAt, mappingItemsAt, ownerOf, type ShapeProblems } from './shape.js'
import { isTemplatedImage } from './templated.js'

/** One place an image is pulled for: a container, a workflow step, an image volume. */
export interface ContainerSite {
  containerType: ContainerType
  /** The container's name (for Argo templates without one, the template's). */
  name: string | null
  /** The `image:` value node; undefined when the container names no image (e.g. a patch). */
  image: YamlNode | undefined
  /** The `imagePullPolicy:` (or image volume `pullPolicy:`) node. */
  pullPolicy: YamlNode | undefined
}

/**
 * The containers of one pod, with the mappings its pod-level settings come from. Later layers win
 * field by field: an Argo template's nodeSelector over its workflow's, a Tekton podTemplate over its run.
 */
export interface PodGroup {
  layers: YamlNode[]
  sites: ContainerSite[]
}

function containerSites(
  parent: YamlNode | undefined,
  key: string,
  type: ContainerType,
  problems: ShapeProblems,
  fallbackName: string | null = null
): ContainerSite[] {
  return mappingItemsAt(parent, key, problems, 'container').map((container) => containerSite(container, type, fallbackName))
}

function containerSite(container: YamlNode, type: ContainerType, fallbackName: string | null = null): ContainerSite {
  return {
    containerType: type,
    name: stringValue(child(container, 'name')) ?? fallbackName,
    image: child(container, 'image'),
    pullPolicy: child(container, 'imagePullPolicy')
  }
}

/** The site of a single container field (Argo's `container` and `script`, Tekton's `stepTemplate`). */
function singleContainerSite(
  parent: YamlNode,
  key: string,
  type: ContainerType,
  problems: ShapeProblems,
  fallbackName: string | null = null
): ContainerSite[] {
  const container = mappingAt(parent, problems, key)
  return container === undefined ? [] : [containerSite(container, type, fallbackName)]
}

/**
 * The sites of a Kubernetes PodSpec: containers, init containers (those with `restartPolicy:
 * Always` are native sidecars), ephemeral containers, and image volumes. Image volumes
 * (`volumes[].image.reference`, Kubernetes 1.31+) are pulled by the kubelet with the pod's pull
 * secrets and fail the pod the same way, so they are reported, as containerType `imageVolume`.
 * Container lists of the wrong shape go to `problems`.
 */
export function podSpecSites(podSpec: YamlNode | undefined, problems: ShapeProblems): ContainerSite[] {
  const initContainers = mappingItemsAt(podSpec, 'initContainers', problems, 'container').map((container) =>
    containerSite(container, stringValue(child(container, 'restartPolicy')) === 'Always' ? 'sidecar' : 'initContainer')
  )
  const imageVolumes = seqItems(child(podSpec, 'volumes')).flatMap((volume): ContainerSite[] => {
    const image = child(volume, 'image')
    if (image?.type !== 'map') return []
    return [
      {
        containerType: 'imageVolume',
        name: stringValue(child(volume, 'name')) ?? null,
        image: child(image, 'reference'),
        pullPolicy: child(image, 'pullPolicy')
      }
    ]
  })
  return [
    ...initContainers,
    ...containerSites(podSpec, 'containers', 'container', problems),
    ...containerSites(podSpec, 'ephemeralContainers', 'ephemeralContainer', problems),
    ...imageVolumes
  ]
}

/** A pod group for a plain PodSpec (none when it is absent or not a mapping). */
export function podGroup(podSpec: YamlNode | undefined, problems: ShapeProblems): PodGroup[] {
  return podSpec === undefined ? [] : [{ layers: [podSpec], sites: podSpecSites(podSpec, problems) }]
}

/** The sites of an Argo Workflows template: its container or script, init containers, sidecars, container set. */
export function argoTemplateSites(template: YamlNode, problems: ShapeProblems): ContainerSite[] {
  const templateName = stringValue(child(template, 'name')) ?? null
  const containerSet = mappingAt(template, problems, 'containerSet')
  return [
    ...containerSites(template, 'initContainers', 'initContainer', problems),
    ...singleContainerSite(template, 'container', 'container', problems, templateName),
    ...singleContainerSite(template, 'script', 'script', problems, templateName),
    ...containerSites(containerSet, 'containers', 'container', problems),
    ...containerSites(template, 'sidecars', 'sidecar', problems)
  ]
}

/** The sites of a Tekton task spec: steps, sidecars, and the step template's default image. */
export function tektonTaskSites(taskSpec: YamlNode | undefined, problems: ShapeProblems): ContainerSite[] {
  return [
    ...containerSites(taskSpec, 'steps', 'step', problems),
    ...containerSites(taskSpec, 'sidecars', 'sidecar', problems),
    ...(taskSpec === undefined ? [] : singleContainerSite(taskSpec, 'stepTemplate', 'template', problems))
  ]
}

function lastLayerValue(layers: YamlNode[], pick: (layer: YamlNode) => YamlNode | undefined): YamlNode | undefined {
  for (let index = layers.length - 1; index >= 0; index--) {
    const layer = layers[index]
    const value = layer === undefined ? undefined : pick(layer)
    if (value !== undefined) return value
  }
  return undefined
}

function nodeSelectorOf(node: YamlNode | undefined): Record<string, string> {
  const selector: Record<string, string> = {}
  if (node?.type !== 'map') return selector
  for (const [key, value] of node.entries) {
    if (value.type !== 'scalar') continue
    const resolved = scalarValue(value)
    if (resolved !== null && typeof resolved !== 'object') selector[key] = String(resolved)
  }
  return selector
}

/** What the kubelet knows about the pod when it pulls. */
export function podContextOf(context: ExtractionContext, layers: YamlNode[], namespace: string | null): PodContext {
  const serviceAccountName = lastLayerValue(layers, (layer) => {
    const named = child(layer, 'serviceAccountName') ?? child(layer, 'serviceAccount')
    const value = stringValue(named)
    return value === undefined || value === '' ? undefined : named
  })
  const pullSecrets = lastLayerValue(layers, (layer) => {
    const list = child(layer, 'imagePullSecrets')
    return seqItems(list).length > 0 ? list : undefined
  })
  const nodeSelector = nodeSelectorOf(lastLayerValue(layers, (layer) => (child(layer, 'nodeSelector')?.type === 'map' ? child(layer, 'nodeSelector') : undefined)))
  const affinity = lastLayerValue(layers, (layer) => (child(layer, 'affinity')?.type === 'map' ? child(layer, 'affinity') : undefined))
  const imagePullSecrets = pullSecrets === undefined ? [] : secretRefsOf(context, pullSecrets)
  return {
    namespace,
    serviceAccountName: stringValue(serviceAccountName) ?? 'default',
    imagePullSecrets: imagePullSecrets.length > 0 ? imagePullSecrets : null,
    nodeSelector,
    placement: placementOf(nodeSelector, affinity)
  }
}

/** Records every image of a pod group. */
export function recordPodGroup(context: ExtractionContext, identity: ObjectIdentity, group: PodGroup): void {
  const sites = group.sites.filter((site) => site.image !== undefined)
  if (sites.length === 0) return
  const pod = podContextOf(context, group.layers, identity.namespace)
  for (const site of sites) recordImage(context, identity, pod, site)
}

function describeContainer(site: ContainerSite, identity: ObjectIdentity): string {
  const what = site.containerType === 'imageVolume' ? 'image volume' : site.containerType === 'container' ? 'container' : site.containerType
  const owner = identity.kind !== null ? ` of ${ownerOf(identity)}` : ''
  return site.name !== null ? `${what} "${quoteValue(site.name)}"${owner}` : `${what}${owner}`
}

/**
 * The explicit tag written just before a value (`!!int "42"`, `!!binary |`, `!!float &a '1'`), or
 * null. The tree keeps no tags, but a tag can only sit right before its value (an anchor between).
 */
function explicitTagBefore(text: string, start: number): string | null {
  const before = text.slice(Math.max(0, start - 256), start)
  return /(?:^|[\s,[{])(!\S*)(?:\s+&\S+)?\s+$/.exec(before)?.[1] ?? null
}

/** Binary data as the text a user could have meant (`!!binary aGVsbG8=` → `hello`), or null when it is no printable text. */
function binaryAsText(data: Uint8Array): string | null {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(data)
    return text !== '' && !/[\x00-\x1f\x7f]/.test(text) ? text : null
  } catch {
    return null
  }
}

/** A string as a YAML double-quoted scalar (JSON's escapes are YAML's; U+2028/9 are escaped for the message). */
function doubleQuoted(text: string): string {
  return JSON.stringify(text).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

function wrongTypeMessage(context: ExtractionContext, node: YamlNode, site: ContainerSite, identity: ObjectIdentity): string {
  const where = describeContainer(site, identity)
  if (node.type !== 'scalar') {
    return `the image of ${where} is a ${node.type === 'map' ? 'mapping' : 'sequence'}, not a string; it must be an image reference such as registry.example.com/app:1.0`
  }
  const value = scalarValue(node)
  if (value === null) return `the image of ${where} is empty (null); set it to the image reference to pull`
  const blockStyle = node.style === 'literal' || node.style === 'folded'
  const written = quoteValue(blockStyle ? node.text.trim() : context.text.slice(node.start, node.end))
  const tag = explicitTagBefore(context.text, node.start)
  const why = tag !== null ? `the tag \`${quoteValue(tag)}\` makes YAML read \`${written}\` that way` : `YAML reads \`${written}\` that way`
  // What the user most likely meant, as a string: the text itself, or the text binary data decodes to.
  const meant = value instanceof Uint8Array ? binaryAsText(value) : node.text
  const fix =
    meant === null
      ? 'Drop the tag and write the image reference as a string, such as image: registry.example.com/app:1.0'
      : `${tag !== null ? 'Drop the tag' : 'Quote it'}: image: ${quoteValue(doubleQuoted(meant))}`
  return `the image of ${where} is ${describeScalarValue(value)}, not a string: ${why}. ${fix}`
}

function recordImage(context: ExtractionContext, identity: ObjectIdentity, pod: PodContext, site: ContainerSite): void {
  const node = site.image
  if (node === undefined) return
  const place = placeOf(context, node)
  let image: string
  if (node.type === 'scalar' && typeof scalarValue(node) === 'string') {
    image = scalarValue(node) as string
  } else {
    // `image: {{ .Values.image }}` unquoted parses as a flow mapping: it is still a template.
    const written = context.text.slice(node.start, node.end)
    if (node.type === 'map' && written.startsWith('{{')) {
      image = written
    } else {
      addDiagnostic(context, node, 'invalid-image-value', 'error', wrongTypeMessage(context, node, site, identity))
      return
    }
  }
  const templated = isTemplatedImage(image)
  let reference: ImageUse['reference'] = null
  let referenceError: string | null = null
  if (templated) {
    addDiagnostic(
      context,
      node,
      'templated-image',
      'notice',
      `the image of ${describeContainer(site, identity)} is a template (${quoteValue(image)}), not a reference: not checked; scan the rendered output to check it`
    )
  } else {
    const parsed = parseReference(image)
    if (parsed.ok) reference = parsed.reference
    else referenceError = parsed.error
  }
  context.images.push({
    file: context.file,
    line: place.line,
    column: place.column,
    endColumn: place.endColumn,
    document: context.document,
    apiVersion: identity.apiVersion,
    kind: identity.kind,
    namespace: identity.namespace,
    name: identity.name,
    containerType: site.containerType,
    container: site.name,
    image,
    templated,
    reference,
    referenceError,
    source: context.source,
    imagePullPolicy: stringValue(site.pullPolicy) ?? null,
    pod
  })
}
