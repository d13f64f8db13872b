// Which pull secrets the kubelet would hand over for one pod, resolved against the Secrets and
// ServiceAccounts in the scanned files: pod `imagePullSecrets` replace the ServiceAccount's, secrets
// live in the pod's namespace, only dockerconfig secrets count, and entries match the image's
// registry the way the kubelet's keyring matches them.
import type { ScanConfig } from '../config/types.js'
import { matchCredentials, parsePullSecret, type ParsedPullSecret, type PullCredential } from '../kube/keyring.js'
import type { ImageReference, ImageUse, Inventory, SecretManifest, SecretRef, ServiceAccountManifest } from '../model.js'

type ParseFailure = Extract<ParsedPullSecret, { ok: false }>

/** What one referenced pull secret turned out to be. */
export type SecretState =
  /** A dockerconfig Secret in the pod's namespace whose contents parse. */
  | { kind: 'usable'; secret: SecretManifest; credentials: PullCredential[]; hints: string[] }
  /** A Secret in the pod's namespace that the kubelet cannot use. */
  | { kind: 'malformed'; secret: SecretManifest; reason: ParseFailure['reason']; effect: ParseFailure['effect']; message: string; hints: string[] }
  /** A SealedSecret, ExternalSecret or SOPS-encrypted Secret: it exists, its contents cannot be read here. */
  | { kind: 'opaque'; secret: SecretManifest }
  /** Not in the scanned files, but listed in `knownSecrets`: it exists in the cluster. */
  | { kind: 'known' }
  /** Only defined in other namespaces. */
  | { kind: 'wrong-namespace'; elsewhere: SecretManifest[] }
  /** Neither in the scanned files nor in `knownSecrets`. */
  | { kind: 'not-found' }

/** A pull-secret reference of the pod (or its ServiceAccount) and what it resolved to. */
export interface ResolvedSecret {
  ref: SecretRef
  /** Where the reference was written: the pod spec or the ServiceAccount. */
  from: 'pod' | 'service-account'
  namespace: string
  state: SecretState
}

/** A credential the kubelet would offer for the image, and the secret it came from. */
export interface OfferedCredential {
  secret: ResolvedSecret
  credential: PullCredential
}

/** A usable secret in the pod's namespace that covers the image but is not handed over. */
export interface UnattachedSecret {
  secret: SecretManifest
  credentials: PullCredential[]
  /** True when the ServiceAccount lists it but the pod's own imagePullSecrets replace the ServiceAccount's. */
  overriddenByPod: boolean
}

/** The pod's pull secrets, as the kubelet would see them for one image. */
export interface PullSecretView {
  /** The pod's effective namespace. */
  namespace: string
  /** Where the effective list comes from: the pod spec, its ServiceAccount, or nowhere. */
  source: 'pod' | 'service-account' | 'none'
  serviceAccount: string
  /** The ServiceAccount's manifest when it is in the scanned files. */
  serviceAccountManifest: ServiceAccountManifest | null
  /** A named ServiceAccount that is not in the scanned files: its pull secrets are unknown. */
  serviceAccountUnknown: boolean
  /** The effective references, in order. */
  effective: ResolvedSecret[]
  /** Credentials from usable effective secrets that match the image's registry, in kubelet order. */
  offered: OfferedCredential[]
  /** Usable secrets in the namespace that match the image's registry but are not handed over. */
  unattached: UnattachedSecret[]
  /** True when some effective secret could not be checked here (not in the files, known, opaque, unknown ServiceAccount). */
  unverifiable: boolean
}

/** Secrets and ServiceAccounts of the scanned files, indexed once per scan. */
export class PullSecretIndex {
  private readonly secretsByKey = new Map<string, SecretManifest[]>()
  private readonly secretsByName = new Map<string, SecretManifest[]>()
  private readonly secretsByNamespace = new Map<string, SecretManifest[]>()
  private readonly serviceAccounts = new Map<string, ServiceAccountManifest>()
  private readonly parsed = new Map<SecretManifest, ParsedPullSecret>()
  private readonly unattachedCache = new Map<string, UnattachedSecret[]>()
  private readonly known: Set<string>

  constructor(
    inventory: Pick<Inventory, 'secrets' | 'serviceAccounts'>,
    private readonly config: Pick<ScanConfig, 'defaultNamespace' | 'knownSecrets'>
  ) {
    for (const secret of inventory.secrets) {
      const namespace = this.namespaceOf(secret.namespace)
      push(this.secretsByKey, `${namespace}/${secret.name}`, secret)
      push(this.secretsByName, secret.name, secret)
      push(this.secretsByNamespace, namespace, secret)
    }
    for (const account of inventory.serviceAccounts) {
      this.serviceAccounts.set(`${this.namespaceOf(account.namespace)}/${account.name}`, account)
    }
    this.known = new Set(config.knownSecrets.map((entry) => (entry.includes('/') ? entry : `${config.defaultNamespace}/${entry}`)))
  }

  /** A manifest's namespace, or the apply-time default when it sets none. */
  namespaceOf(namespace: string | null): string {
    return namespace ?? this.config.defaultNamespace
  }

  /** The pod's pull secrets as the kubelet would see them when pulling `reference`. */
  view(use: ImageUse, reference: ImageReference): PullSecretView {
    const namespace = this.namespaceOf(use.pod.namespace)
    const serviceAccount = use.pod.serviceAccountName || 'default'
    const serviceAccountManifest = this.serviceAccounts.get(`${namespace}/${serviceAccount}`) ?? null
    // The default ServiceAccount normally has no pull secrets; a named one that is not in the files might.
    const serviceAccountUnknown = serviceAccountManifest === null && serviceAccount !== 'default'
    let source: PullSecretView['source'] = 'none'
    let refs: SecretRef[] = []
    if (use.pod.imagePullSecrets !== null && use.pod.imagePullSecrets.length > 0) {
      source = 'pod'
      refs = use.pod.imagePullSecrets
    } else if (serviceAccountManifest !== null && serviceAccountManifest.imagePullSecrets.length > 0) {
      source = 'service-account'
      refs = serviceAccountManifest.imagePullSecrets
    }
    const from = source === 'pod' ? 'pod' : 'service-account'
    const effective = refs.map((ref): ResolvedSecret => ({ ref, from, namespace, state: this.resolve(ref.name, namespace) }))

    const offered: OfferedCredential[] = []
    for (const secret of effective) {
      if (secret.state.kind !== 'usable') continue
      for (const credential of matchCredentials(secret.state.credentials, reference)) offered.push({ secret, credential })
    }

    const listedByAccount = (serviceAccountManifest?.imagePullSecrets ?? []).map((ref) => ref.name)
    const unattached = this.unattachedFor(namespace, reference, effective.map((secret) => secret.ref.name), source === 'pod' ? listedByAccount : [])

    const unverifiable =
      (source !== 'pod' && serviceAccountUnknown) ||
      effective.some((secret) => ['known', 'opaque', 'not-found'].includes(secret.state.kind))
    return {
      namespace,
      source,
      serviceAccount,
      serviceAccountManifest,
      serviceAccountUnknown,
      effective,
      offered,
      unattached,
      unverifiable
    }
  }

  // The same pod template repeats in many files and images; its unattached secrets are computed once.
  private unattachedFor(namespace: string, reference: ImageReference, effectiveNames: string[], overriddenNames: string[]): UnattachedSecret[] {
    const key = [namespace, `${reference.registry}/${reference.repository}`, effectiveNames.join(','), overriddenNames.join(',')].join('\u0000')
    let unattached = this.unattachedCache.get(key)
    if (unattached !== undefined) return unattached
    unattached = []
    for (const secret of this.secretsByNamespace.get(namespace) ?? []) {
      if (effectiveNames.includes(secret.name) || secret.opaqueContents) continue
      const parsed = this.parse(secret)
      if (!parsed.ok) continue
      const matching = matchCredentials(parsed.credentials, reference)
      if (matching.length === 0) continue
      unattached.push({ secret, credentials: matching, overriddenByPod: overriddenNames.includes(secret.name) })
    }
    this.unattachedCache.set(key, unattached)
    return unattached
  }

  private resolve(name: string, namespace: string): SecretState {
    const candidates = this.secretsByKey.get(`${namespace}/${name}`) ?? []
    // A plain Secret can be checked; prefer it over a SealedSecret of the same name.
    const readable = candidates.filter((secret) => !secret.opaqueContents)
    const secret = readable[readable.length - 1]
    if (secret !== undefined) {
      const parsed = this.parse(secret)
      if (parsed.ok) return { kind: 'usable', secret, credentials: parsed.credentials, hints: parsed.hints }
      return { kind: 'malformed', secret, reason: parsed.reason, effect: parsed.effect, message: parsed.message, hints: parsed.hints }
    }
    const opaque = candidates[candidates.length - 1]
    if (opaque !== undefined) return { kind: 'opaque', secret: opaque }
    if (this.known.has(`${namespace}/${name}`)) return { kind: 'known' }
    const elsewhere = (this.secretsByName.get(name) ?? []).filter((other) => this.namespaceOf(other.namespace) !== namespace)
    if (elsewhere.length > 0) return { kind: 'wrong-namespace', elsewhere }
    return { kind: 'not-found' }
  }

  private parse(secret: SecretManifest): ParsedPullSecret {
    let parsed = this.parsed.get(secret)
    if (parsed === undefined) {
      parsed = parsePullSecret(secret)
      this.parsed.set(secret, parsed)
    }
    return parsed
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
}
