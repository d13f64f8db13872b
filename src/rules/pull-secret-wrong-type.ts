// pull-secret-wrong-type: the referenced Secret is not of a type the kubelet reads for pulls, so it is
// silently ignored.
import { manifestPosition, pullSecretCap, referencePosition } from './support.js'
import type { Rule } from './types.js'

export const pullSecretWrongType: Rule = {
  id: 'pull-secret-wrong-type',
  defaultSeverity: 'error',
  summary: 'The pull secret is not of type `kubernetes.io/dockerconfigjson` or `kubernetes.io/dockercfg`: the kubelet ignores it.',
  description:
    'The kubelet only reads a pull secret whose type and key match: `kubernetes.io/dockerconfigjson` with ' +
    'key `.dockerconfigjson`, or the legacy `kubernetes.io/dockercfg` with key `.dockercfg`. An `Opaque` ' +
    'Secret holding the very same JSON is silently skipped, so the pull goes out without credentials and a ' +
    'private image fails with "pull access denied". When the image pulls anonymously anyway, this is a warning.',
  fix: 'Recreate the Secret with `type: kubernetes.io/dockerconfigjson` and its JSON under `.dockerconfigjson` (`kubectl create secret docker-registry …` does this).',
  requires: 'pull-secrets',
  checkImage({ registry, secrets }) {
    if (secrets === null) return []
    return secrets.effective.flatMap((secret) => {
      const state = secret.state
      if (state.kind !== 'malformed' || state.reason !== 'wrong-type') return []
      return [
        {
          message: `Pull secret "${secret.ref.name}" has type ${state.secret.type}; the kubelet only reads kubernetes.io/dockerconfigjson and kubernetes.io/dockercfg secrets and silently ignores this one`,
          fix: `Recreate "${secret.ref.name}" with type: kubernetes.io/dockerconfigjson and the registry JSON under the key .dockerconfigjson (kubectl create secret docker-registry ${secret.ref.name} …).`,
          severityCap: pullSecretCap(registry),
          related: [referencePosition(secret), manifestPosition(state.secret, `secret "${state.secret.name}" is defined here with type ${state.secret.type}`)]
        }
      ]
    })
  }
}
