// From a pod spec (or the pod-like parts of a CRD) to image uses: which lists hold containers,
// what the kubelet will know when it pulls (namespace, service account, pull secrets, placement),
// and how each `image:` value is recorded — a reference, a template, or a value of the wrong type.
import type { ContainerType, ImageUse, PodContext } from '../model.js'
import { parseReference } from '../reference/index.js'
import { child, childAt, scalarValue, seqItems, stringValue, type YamlNode } from '../documents/index.js'
import { addDiagnostic, placeOf, quoteValue, secretRefsOf, type ExtractionContext, type ObjectIdentity } from './context.js'
import { placementOf } from './placement.js'
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

function containerSites(list: YamlNode | undefined, type: ContainerType, fallbackName: string | null = null): ContainerSite[] {
  return seqItems(list).map((container) => containerSite(container, type, fallbackName))
}

function containerSite(container: YamlNode, type: ContainerType, fallbackName: string | null = null): ContainerSite {
  return {
    containerType: type,
    name: stringValue(child(container, 'name')) ?? fallbackName,
    image: child(container, 'image'),
    pullPolicy: child(container, 'imagePullPolicy')
  }
}

/**
 * The sites of a Kubernetes PodSpec: containers, init containers (those with `restartPolicy:
 * Always` are native sidecars), ephemeral containers, and image volumes. Image volumes
 * (`volumes[].image.reference`, Kubernetes 1.31+) are pulled by the kubelet with the pod's pull
 * secrets and fail the pod the same way, so they are reported, as containerType `imageVolume`.
 */
export function podSpecSites(podSpec: YamlNode | undefined): ContainerSite[] {
  const initContainers = seqItems(child(podSpec, 'initContainers')).map((container) =>
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
    ...containerSites(child(podSpec, 'containers'), 'container'),
    ...containerSites(child(podSpec, 'ephemeralContainers'), 'ephemeralContainer'),
    ...imageVolumes
  ]
}

/** A pod group for a plain PodSpec. */
export function podGroup(podSpec: YamlNode | undefined): PodGroup[] {
  return podSpec === undefined ? [] : [{ layers: [podSpec], sites: podSpecSites(podSpec) }]
}

/** The sites of an Argo Workflows template: its container or script, init containers, sidecars, container set. */
export function argoTemplateSites(template: YamlNode): ContainerSite[] {
  const templateName = stringValue(child(template, 'name')) ?? null
  const sites: ContainerSite[] = [...containerSites(child(template, 'initContainers'), 'initContainer')]
  const container = child(template, 'container')
  if (container !== undefined) sites.push(containerSite(container, 'container', templateName))
  const script = child(template, 'script')
  if (script !== undefined) sites.push(containerSite(script, 'script', templateName))
  sites.push(...containerSites(childAt(template, 'containerSet', 'containers'), 'container'))
  sites.push(...containerSites(child(template, 'sidecars'), 'sidecar'))
  return sites
}

/** The sites of a Tekton task spec: steps, sidecars, and the step template's default image. */
export function tektonTaskSites(taskSpec: YamlNode | undefined): ContainerSite[] {
  const sites = [...containerSites(child(taskSpec, 'steps'), 'step'), ...containerSites(child(taskSpec, 'sidecars'), 'sidecar')]
  const stepTemplate = child(taskSpec, 'stepTemplate')
  if (stepTemplate !== undefined) sites.push(containerSite(stepTemplate, 'template'))
  return sites
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
  const owner = identity.kind !== null ? ` of ${quoteValue(identity.kind)}${identity.name !== null ? `/${quoteValue(identity.name)}` : ''}` : ''
  return site.name !== null ? `${what} "${quoteValue(site.name)}"${owner}` : `${what}${owner}`
}

function wrongTypeMessage(context: ExtractionContext, node: YamlNode, site: ContainerSite, identity: ObjectIdentity): string {
  const where = describeContainer(site, identity)
  if (node.type !== 'scalar') {
    return `the image of ${where} is a ${node.type === 'map' ? 'mapping' : 'sequence'}, not a string; it must be an image reference such as registry.example.com/app:1.0`
  }
  const value = scalarValue(node)
  if (value === null) return `the image of ${where} is empty (null); set it to the image reference to pull`
  const written = quoteValue(context.text.slice(node.start, node.end))
  const reading =
    value instanceof Date ? 'a date' : typeof value === 'boolean' ? `the boolean ${String(value)}` : `the number ${String(value)}`
  return `the image of ${where} is ${reading}, not a string: YAML reads \`${written}\` that way. Quote it: image: "${written}"`
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
