// pull-secret-not-found: the pod references a pull secret that is neither in the scanned files nor
// listed in `knownSecrets`. The kubelet warns and pulls without it.
import { pullSecretCap, referencePosition } from './support.js'
import type { Rule } from './types.js'

export const pullSecretNotFound: Rule = {
  id: 'pull-secret-not-found',
  defaultSeverity: 'warning',
  summary: 'A referenced pull secret is not defined in the scanned files nor listed in `knownSecrets`.',
  description:
    'The pod (or its ServiceAccount) names a pull secret that none of the scanned manifests defines in the ' +
    "pod's namespace. If the secret is created another way (by hand, by a sealed-secrets or external-secrets " +
    'controller, by another repository), the pull can still work: list it as `namespace/name` under ' +
    '`knownSecrets`. If it does not exist, the kubelet emits `FailedToRetrieveImagePullSecret` and pulls ' +
    "without it. pullcheck then falls back to its own view of the registry and says that the secret could not be verified.",
  fix: 'Add the Secret to the manifests, fix the name, or list it as `namespace/name` under `knownSecrets` if it is created outside this repository.',
  requires: 'pull-secrets',
  checkImage({ registry, secrets }) {
    if (secrets === null) return []
    return secrets.effective
      .filter((secret) => secret.state.kind === 'not-found')
      .map((secret) => {
        const name = secret.ref.name
        let consequence = 'the pull works only if it exists in the cluster'
        if (registry !== null && registry.existence.kind === 'found') {
          consequence +=
            registry.anonymous?.status === 'found'
              ? ' (the image also pulls without credentials)'
              : "; pullcheck's own view of the registry stands in for it, so whether the kubelet gets in could not be verified"
        }
        return {
          message:
            `Unable to retrieve some image pull secrets (${name}); attempting to pull the image may not succeed — ` +
            `secret "${name}" is not in namespace "${secret.namespace}" in the scanned files nor in knownSecrets; ${consequence}`,
          fix: `Add Secret "${name}" to namespace "${secret.namespace}" in the manifests, or list "${secret.namespace}/${name}" under knownSecrets if it is created outside this repository.`,
          severityCap: pullSecretCap(registry),
          related: [referencePosition(secret)]
        }
      })
  }
}
