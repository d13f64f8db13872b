// Which kinds hold pod specs, and where. Kinds are keyed by API group and kind (`apps/Deployment`;
// the core group is ''), because a name alone is ambiguous: a Knative `Service` runs containers, a
// core `Service` does not. Unknown kinds fall to the generic rule; kinds known to hold no image are
// also what the pre-screen may skip the tree of (only their syntax is checked), so this table is the
// one place both decisions live.
import { child, seqItems, type YamlNode } from '../documents/index.js'
import { groupOf } from './context.js'
import { argoTemplateSites, podGroup, podSpecSites, tektonTaskSites, type PodGroup } from './pod-spec.js'
import { mappingAt, mappingItemsAt, type ShapeProblems } from './shape.js'

/** The pod groups of one object; fields of the wrong shape on the way go to `problems`. */
type Extractor = (object: YamlNode, problems: ShapeProblems) => PodGroup[]

const templateSpec: Extractor = (object, problems) => podGroup(mappingAt(object, problems, 'spec', 'template', 'spec'), problems)

/** Argo workflow specs: every template's containers, with the workflow's pod settings under the template's. */
function argoWorkflow(workflowSpec: YamlNode | undefined, problems: ShapeProblems): PodGroup[] {
  if (workflowSpec === undefined) return []
  return mappingItemsAt(workflowSpec, 'templates', problems).map((template) => ({
    layers: [workflowSpec, template],
    sites: argoTemplateSites(template, problems)
  }))
}

/** Tekton pipeline specs: embedded task specs of `tasks` and `finally`. */
function tektonPipeline(pipelineSpec: YamlNode | undefined, layers: YamlNode[], problems: ShapeProblems): PodGroup[] {
  const tasks = [...mappingItemsAt(pipelineSpec, 'tasks', problems), ...mappingItemsAt(pipelineSpec, 'finally', problems)]
  return tasks.map((task) => ({ layers, sites: tektonTaskSites(mappingAt(task, problems, 'taskSpec'), problems) }))
}

function presentLayers(...layers: Array<YamlNode | undefined>): YamlNode[] {
  return layers.filter((layer): layer is YamlNode => layer !== undefined)
}

/** Kinds that embed pod specs (or container lists), by `group/Kind`. */
const WORKLOADS: ReadonlyMap<string, Extractor> = new Map<string, Extractor>([
  ['/Pod', (object, problems) => podGroup(mappingAt(object, problems, 'spec'), problems)],
  ['/PodTemplate', (object, problems) => podGroup(mappingAt(object, problems, 'template', 'spec'), problems)],
  ['/ReplicationController', templateSpec],
  // OpenShift 3 served DeploymentConfig from the core group.
  ['/DeploymentConfig', templateSpec],
  ['apps.openshift.io/DeploymentConfig', templateSpec],
  ...['apps', 'extensions'].flatMap((group) =>
    ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].map((kind): [string, Extractor] => [`${group}/${kind}`, templateSpec])
  ),
  ['batch/Job', templateSpec],
  ['batch/CronJob', (object, problems) => podGroup(mappingAt(object, problems, 'spec', 'jobTemplate', 'spec', 'template', 'spec'), problems)],
  // Argo Rollouts: spec.template; a workloadRef points at a Deployment defined elsewhere.
  ['argoproj.io/Rollout', templateSpec],
  ['argoproj.io/Workflow', (object, problems) => argoWorkflow(mappingAt(object, problems, 'spec'), problems)],
  ['argoproj.io/WorkflowTemplate', (object, problems) => argoWorkflow(mappingAt(object, problems, 'spec'), problems)],
  ['argoproj.io/ClusterWorkflowTemplate', (object, problems) => argoWorkflow(mappingAt(object, problems, 'spec'), problems)],
  ['argoproj.io/CronWorkflow', (object, problems) => argoWorkflow(mappingAt(object, problems, 'spec', 'workflowSpec'), problems)],
  ['serving.knative.dev/Service', templateSpec],
  ['serving.knative.dev/Configuration', templateSpec],
  ['serving.knative.dev/Revision', (object, problems) => podGroup(mappingAt(object, problems, 'spec'), problems)],
  ['keda.sh/ScaledJob', (object, problems) => podGroup(mappingAt(object, problems, 'spec', 'jobTargetRef', 'template', 'spec'), problems)],
  ['tekton.dev/Task', (object, problems) => [{ layers: [], sites: tektonTaskSites(mappingAt(object, problems, 'spec'), problems) }]],
  ['tekton.dev/ClusterTask', (object, problems) => [{ layers: [], sites: tektonTaskSites(mappingAt(object, problems, 'spec'), problems) }]],
  ['tekton.dev/Pipeline', (object, problems) => tektonPipeline(mappingAt(object, problems, 'spec'), [], problems)],
  [
    'tekton.dev/TaskRun',
    (object, problems) => {
      const spec = mappingAt(object, problems, 'spec')
      return [{ layers: presentLayers(spec, child(spec, 'podTemplate')), sites: tektonTaskSites(mappingAt(spec, problems, 'taskSpec'), problems) }]
    }
  ],
  [
    'tekton.dev/PipelineRun',
    (object, problems) => {
      const spec = mappingAt(object, problems, 'spec')
      // v1beta1 puts serviceAccountName and podTemplate on the spec; v1 under taskRunTemplate.
      const taskRunTemplate = child(spec, 'taskRunTemplate')
      const layers = presentLayers(spec, child(spec, 'podTemplate'), taskRunTemplate, child(taskRunTemplate, 'podTemplate'))
      return tektonPipeline(mappingAt(spec, problems, 'pipelineSpec'), layers, problems)
    }
  ]
])

/**
 * Built-in kinds that never hold a container image. The pre-screen skips their tree: they are only
 * checked for syntax. Secrets and ServiceAccounts are not here: they are collected.
 */
const IMAGE_FREE_KINDS: ReadonlySet<string> = new Set([
  '/ConfigMap',
  '/Service',
  '/Namespace',
  '/Endpoints',
  '/LimitRange',
  '/ResourceQuota',
  '/PersistentVolume',
  '/PersistentVolumeClaim',
  '/Event',
  'events.k8s.io/Event',
  'rbac.authorization.k8s.io/Role',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/RoleBinding',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'networking.k8s.io/Ingress',
  'networking.k8s.io/IngressClass',
  'networking.k8s.io/NetworkPolicy',
  'policy/PodDisruptionBudget',
  'autoscaling/HorizontalPodAutoscaler',
  'scheduling.k8s.io/PriorityClass',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'node.k8s.io/RuntimeClass',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'apiregistration.k8s.io/APIService',
  'coordination.k8s.io/Lease',
  'discovery.k8s.io/EndpointSlice',
  'certificates.k8s.io/CertificateSigningRequest'
])

/** The key kinds are looked up by. */
export function kindKey(apiVersion: string | null, kind: string): string {
  return `${groupOf(apiVersion)}/${kind}`
}

/** True for a `List` kind (`v1/List`, `DeploymentList`, …): its items are objects of their own. */
export function isListKind(kind: string | null): boolean {
  return kind !== null && kind.endsWith('List')
}

/**
 * False only for kinds known to hold no image, Secret or ServiceAccount: what the pre-screen may
 * skip the tree of. A List kind is never skipped (its items can be anything).
 */
export function kindCanMatter(apiVersion: string | null, kind: string): boolean {
  return isListKind(kind) || !IMAGE_FREE_KINDS.has(kindKey(apiVersion, kind))
}

/** The pod groups of a known workload kind, or null when the kind is not a known workload. */
export function knownWorkloadGroups(object: YamlNode, apiVersion: string | null, kind: string, problems: ShapeProblems): PodGroup[] | null {
  const extractor = WORKLOADS.get(kindKey(apiVersion, kind))
  return extractor === undefined ? null : extractor(object, problems)
}

/** Nodes the generic rule may visit per document; aliases are already bounded by the adapter. */
const GENERIC_VISIT_BUDGET = 2_000_000

/**
 * The generic rule for kinds pullcheck does not know: any mapping under `spec` whose `containers`
 * is a list holding at least one object with both `name` and `image` is read as a pod spec (its
 * initContainers, ephemeralContainers, image volumes and pod settings too). Objects in such a list
 * without an `image` are patches (as in the Prometheus operator's `containers`) and are skipped.
 */
export function genericPodGroups(object: YamlNode, problems: ShapeProblems): PodGroup[] {
  const groups: PodGroup[] = []
  let budget = GENERIC_VISIT_BUDGET
  const visit = (node: YamlNode): void => {
    if (--budget < 0) return
    if (node.type === 'map') {
      const containers = child(node, 'containers')
      const looksLikePodSpec = seqItems(containers).some(
        (container) => child(container, 'name') !== undefined && child(container, 'image') !== undefined
      )
      if (looksLikePodSpec) {
        groups.push({ layers: [node], sites: podSpecSites(node, problems) })
        return
      }
      for (const value of node.entries.values()) visit(value)
    } else if (node.type === 'seq') {
      for (const item of node.items) visit(item)
    }
  }
  const spec = child(object, 'spec')
  if (spec !== undefined) visit(spec)
  return groups
}
