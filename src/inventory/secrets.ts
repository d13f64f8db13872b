// Secrets and ServiceAccounts, collected so the pull-secret rules can follow a pod's references:
// plain Secrets with their data decoded as the API server would (base64 `data`, then `stringData`
// on top), and stand-ins whose contents cannot be read here — a Bitnami SealedSecret, an
// external-secrets ExternalSecret, a SOPS-encrypted Secret — under the name the cluster Secret gets.
import type { SecretManifest } from '../model.js'
import { child, childAt, scalarValue, seqItems, stringValue, type YamlNode } from '../documents/index.js'
import { placeOf, secretRefsOf, type ExtractionContext, type ObjectIdentity } from './context.js'

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** Decodes `data` values as Go's base64.StdEncoding does (line breaks ignored, padding required). */
export function decodeSecretValue(encoded: string): string | undefined {
  const compact = encoded.replace(/[\r\n]/g, '')
  if (!BASE64.test(compact)) return undefined
  return Buffer.from(compact, 'base64').toString('utf8')
}

function stringEntries(node: YamlNode | undefined): Array<[string, YamlNode]> {
  return node?.type === 'map' ? [...node.entries] : []
}

function plainStringOf(node: YamlNode): string | undefined {
  if (node.type !== 'scalar') return undefined
  const value = scalarValue(node)
  return typeof value === 'string' ? value : undefined
}

function secretRecord(
  context: ExtractionContext,
  identity: ObjectIdentity,
  fields: { kind: string; nameNode: YamlNode | undefined; namespace: string | null; type: string; data: SecretManifest['data']; opaque: boolean },
  object: YamlNode
): void {
  const name = stringValue(fields.nameNode)
  if (name === undefined || name === '') return
  const place = placeOf(context, fields.nameNode ?? object)
  context.secrets.push({
    file: context.file,
    line: place.line,
    column: place.column,
    endColumn: place.endColumn,
    document: context.document,
    kind: fields.kind,
    name,
    namespace: fields.namespace ?? identity.namespace,
    type: fields.type,
    data: fields.data,
    opaqueContents: fields.opaque
  })
}

/** Keys whose values exist but are unreadable here. */
function opaqueKeys(...keyLists: string[][]): SecretManifest['data'] {
  const data: SecretManifest['data'] = {}
  for (const key of keyLists.flat()) data[key] = undefined
  return data
}

/** A core Secret (SOPS-encrypted when it carries a top-level `sops` key). */
export function collectSecret(context: ExtractionContext, object: YamlNode, identity: ObjectIdentity): void {
  const nameNode = childAt(object, 'metadata', 'name')
  const type = stringValue(child(object, 'type')) ?? 'Opaque'
  const dataEntries = stringEntries(child(object, 'data'))
  const stringDataEntries = stringEntries(child(object, 'stringData'))
  if (child(object, 'sops') !== undefined) {
    const keys = [...dataEntries, ...stringDataEntries].map(([key]) => key)
    secretRecord(context, identity, { kind: 'Secret', nameNode, namespace: null, type, data: opaqueKeys(keys), opaque: true }, object)
    return
  }
  const data: SecretManifest['data'] = {}
  for (const [key, value] of dataEntries) {
    const encoded = plainStringOf(value)
    data[key] = encoded === undefined ? undefined : decodeSecretValue(encoded)
  }
  // stringData is merged over data by the API server.
  for (const [key, value] of stringDataEntries) data[key] = plainStringOf(value)
  secretRecord(context, identity, { kind: 'Secret', nameNode, namespace: null, type, data, opaque: false }, object)
}

/** A Bitnami SealedSecret: the Secret it unseals to is named by spec.template.metadata, else its own metadata. */
export function collectSealedSecret(context: ExtractionContext, object: YamlNode, identity: ObjectIdentity): void {
  const template = childAt(object, 'spec', 'template')
  const nameNode = childAt(template, 'metadata', 'name') ?? childAt(object, 'metadata', 'name')
  const namespace = stringValue(childAt(template, 'metadata', 'namespace')) ?? null
  const type = stringValue(child(template, 'type')) ?? 'Opaque'
  const keys = stringEntries(childAt(object, 'spec', 'encryptedData')).map(([key]) => key)
  secretRecord(context, identity, { kind: 'SealedSecret', nameNode, namespace, type, data: opaqueKeys(keys), opaque: true }, object)
}

/** An external-secrets ExternalSecret: it creates the Secret spec.target.name (default: its own name). */
export function collectExternalSecret(context: ExtractionContext, object: YamlNode, identity: ObjectIdentity): void {
  const target = childAt(object, 'spec', 'target')
  const nameNode = child(target, 'name') ?? childAt(object, 'metadata', 'name')
  const type = stringValue(childAt(target, 'template', 'type')) ?? 'Opaque'
  const dataKeys = seqItems(childAt(object, 'spec', 'data')).flatMap((item) => {
    const key = stringValue(child(item, 'secretKey'))
    return key === undefined ? [] : [key]
  })
  const templateKeys = stringEntries(childAt(target, 'template', 'data')).map(([key]) => key)
  secretRecord(
    context,
    identity,
    { kind: 'ExternalSecret', nameNode, namespace: null, type, data: opaqueKeys(dataKeys, templateKeys), opaque: true },
    object
  )
}

/** A ServiceAccount and the pull secrets it hands to pods that do not list their own. */
export function collectServiceAccount(context: ExtractionContext, object: YamlNode, identity: ObjectIdentity): void {
  const nameNode = childAt(object, 'metadata', 'name')
  const name = stringValue(nameNode)
  if (nameNode === undefined || name === undefined || name === '') return
  const place = placeOf(context, nameNode)
  context.serviceAccounts.push({
    file: context.file,
    line: place.line,
    column: place.column,
    endColumn: place.endColumn,
    document: context.document,
    name,
    namespace: identity.namespace,
    imagePullSecrets: secretRefsOf(context, child(object, 'imagePullSecrets'))
  })
}
