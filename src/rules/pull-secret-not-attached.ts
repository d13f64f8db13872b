// pull-secret-not-attached: a usable pull secret for the image's registry exists in the namespace, but
// neither the pod nor its effective ServiceAccount hands it over.
import { denialExplanations } from '../scan/verdict.js'
import { manifestPosition, nodeCredentialsCap, nodeCredentialsNote } from './support.js'
import type { Rule } from './types.js'
import { failedToPull } from './wording.js'

export const pullSecretNotAttached: Rule = {
  id: 'pull-secret-not-attached',
  defaultSeverity: 'error',
  summary: 'A pull secret for the registry exists in the namespace, but the pod does not use it.',
  description:
    "A Secret with working credentials for the image's registry is defined in the pod's namespace, but the " +
    "kubelet only uses the secrets the pod lists in `imagePullSecrets` — or, when the pod lists none, those " +
    "of its ServiceAccount (`default` when unnamed). Pod-level `imagePullSecrets` replace the " +
    "ServiceAccount's entirely, so adding one secret to a pod silently drops the ServiceAccount's. A chart " +
    'that renders the secret but forgets to reference it in one workload produces exactly this.',
  fix: "List the secret under the pod's `spec.imagePullSecrets` (or under the ServiceAccount's `imagePullSecrets` when the pod lists none).",
  requires: 'pull-secrets',
  checkImage({ use, registry, secrets }) {
    if (registry === null || secrets === null || registry.access.kind !== 'denied') return []
    if (!denialExplanations(secrets).has('not-attached')) return []
    return secrets.unattached.map((unattached) => {
      const name = unattached.secret.name
      const why = unattached.overriddenByPod
        ? `ServiceAccount "${secrets.serviceAccount}" lists it, but the pod's own imagePullSecrets replace the ServiceAccount's`
        : `neither the pod's imagePullSecrets nor ServiceAccount "${secrets.serviceAccount}" lists it`
      return {
        message:
          failedToPull(use, 'pull access denied, repository does not exist or may require authorization') +
          ` — secret "${name}" in namespace "${secrets.namespace}" has credentials for ${registry.reference.registry}, but ${why}` +
          nodeCredentialsNote(registry),
        fix: unattached.overriddenByPod
          ? `Add "- name: ${name}" to the pod's spec.imagePullSecrets as well.`
          : `Add "- name: ${name}" under the pod's spec.imagePullSecrets (or ServiceAccount "${secrets.serviceAccount}"'s imagePullSecrets).`,
        severityCap: nodeCredentialsCap(registry),
        related: [manifestPosition(unattached.secret, `secret "${name}" is defined here`)]
      }
    })
  }
}
