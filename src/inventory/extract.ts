// One document's contribution to the inventory: unwraps Lists, then sends each object to what
// knows its kind — Secrets and their stand-ins, ServiceAccounts, known workloads, and the generic
// rule for kinds pullcheck does not know.
import type { YamlNode } from '../documents/index.js'
import { child, seqItems } from '../documents/index.js'
import { groupOf, identityOf, type ExtractionContext } from './context.js'
import { genericPodGroups, isListKind, kindCanMatter, knownWorkloadGroups } from './kinds.js'
import { recordPodGroup } from './pod-spec.js'
import { reportShapeProblems, type ShapeProblems } from './shape.js'
import { collectExternalSecret, collectSealedSecret, collectSecret, collectServiceAccount } from './secrets.js'

/** Lists nested deeper than this are not unwrapped (no tool writes Lists of Lists of Lists). */
const MAX_LIST_NESTING = 8

/** Extracts images, secrets and service accounts from a document's root node. */
export function extractDocument(context: ExtractionContext, root: YamlNode): void {
  extractObject(context, root, 0)
}

function extractObject(context: ExtractionContext, object: YamlNode, listNesting: number): void {
  if (object.type !== 'map') return
  const identity = identityOf(object)
  const { apiVersion, kind } = identity
  if (kind === null) return
  const items = child(object, 'items')
  if (isListKind(kind) && items?.type === 'seq') {
    if (listNesting < MAX_LIST_NESTING) for (const item of seqItems(items)) extractObject(context, item, listNesting + 1)
    return
  }
  if (!kindCanMatter(apiVersion, kind)) return
  const group = groupOf(apiVersion)
  if (group === '' && kind === 'Secret') return collectSecret(context, object, identity)
  if (group === '' && kind === 'ServiceAccount') return collectServiceAccount(context, object, identity)
  if (group === 'bitnami.com' && kind === 'SealedSecret') return collectSealedSecret(context, object, identity)
  if (group === 'external-secrets.io' && kind === 'ExternalSecret') return collectExternalSecret(context, object, identity)
  const problems: ShapeProblems = []
  const groups = knownWorkloadGroups(object, apiVersion, kind, problems) ?? genericPodGroups(object, problems)
  reportShapeProblems(context, identity, problems)
  for (const podGroup of groups) recordPodGroup(context, identity, podGroup)
}
