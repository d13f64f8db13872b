// pull-secret-wrong-namespace: the referenced pull secret exists only in another namespace; the
// kubelet reads pull secrets from the pod's own namespace.
import { manifestPosition, pullSecretCap, referencePosition } from './support.js'
import type { Rule } from './types.js'
import { listInWords } from './wording.js'

export const pullSecretWrongNamespace: Rule = {
  id: 'pull-secret-wrong-namespace',
  defaultSeverity: 'error',
  summary: "The pull secret exists, but only in another namespace than the pod's.",
  description:
    "`imagePullSecrets` are references within the pod's namespace: a Secret of the same name in another " +
    "namespace is invisible to the kubelet. It emits `FailedToRetrieveImagePullSecret` and pulls without the " +
    'secret, which fails for a private image. Secrets are not shared across namespaces; each namespace ' +
    'needs its own copy. When the image pulls anonymously anyway, this is a warning.',
  fix: "Create the Secret in the pod's namespace as well (or deploy the workload into the secret's namespace).",
  requires: 'pull-secrets',
  checkImage({ registry, secrets }) {
    if (secrets === null) return []
    return secrets.effective.flatMap((secret) => {
      if (secret.state.kind !== 'wrong-namespace') return []
      const elsewhere = secret.state.elsewhere
      const namespaces = [...new Set(elsewhere.map((other) => other.namespace ?? '(default)'))]
      return [
        {
          message:
            `Unable to retrieve some image pull secrets (${secret.ref.name}); attempting to pull the image may not succeed — ` +
            `secret "${secret.ref.name}" exists only in namespace ${listInWords(namespaces.map((ns) => `"${ns}"`))}, and the kubelet reads pull secrets from the pod's namespace "${secret.namespace}"`,
          fix: `Create Secret "${secret.ref.name}" in namespace "${secret.namespace}" too (secrets are not shared across namespaces).`,
          severityCap: pullSecretCap(registry),
          related: [
            referencePosition(secret),
            ...elsewhere.map((other) => manifestPosition(other, `secret "${other.name}" is defined here, in namespace "${other.namespace ?? '(default)'}"`))
          ]
        }
      ]
    })
  }
}
