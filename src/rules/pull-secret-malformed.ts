// pull-secret-malformed: a dockerconfig pull secret whose contents the kubelet cannot decode.
import { manifestPosition, pullSecretCap, referencePosition } from './support.js'
import type { Rule } from './types.js'

export const pullSecretMalformed: Rule = {
  id: 'pull-secret-malformed',
  defaultSeverity: 'error',
  summary: 'The pull secret cannot be decoded: bad base64 or JSON, an `auth` field that is not `user:password`, or a missing `.dockerconfigjson` key.',
  description:
    'The API server only checks that a dockerconfig secret holds some JSON; the kubelet decodes it at pull ' +
    'time. Invalid base64, JSON that does not parse, or an `auth` value that does not decode to ' +
    '`user:password` make the kubelet fail to build its keyring, and then every pull of the pod fails, ' +
    'even of public images. A secret of the right type without its `.dockerconfigjson` key is silently ' +
    'ignored instead (a warning when the image pulls anyway). A trailing newline in the password — from ' +
    '`echo user:pass | base64` — is a frequent cause of refused credentials and is pointed out.',
  fix: 'Recreate the Secret with `kubectl create secret docker-registry NAME --docker-server=… --docker-username=… --docker-password=…`, which encodes it correctly.',
  requires: 'pull-secrets',
  checkImage({ registry, secrets }) {
    if (secrets === null) return []
    return secrets.effective.flatMap((secret) => {
      const state = secret.state
      if (state.kind !== 'malformed' || state.reason === 'wrong-type') return []
      // A secret the kubelet skips only matters when the image needs it; one that breaks the keyring
      // (or that the API server refuses) fails every pull of the pod, public images included.
      const ignored = state.effect === 'ignored-by-kubelet'
      const consequence = {
        'ignored-by-kubelet': 'the kubelet ignores it',
        'rejected-by-api-server': 'the API server refuses to store it, so the apply fails',
        'breaks-pull': 'the kubelet cannot build its keyring, so every pull of this pod fails, public images included',
        unknown: 'whether the kubelet can use it could not be told'
      }[state.effect]
      const hints = state.hints.length === 0 ? '' : ` (${state.hints.join('; ')})`
      return [
        {
          message: `Pull secret "${secret.ref.name}" is malformed: ${state.message}; ${consequence}${hints}`,
          fix: `Recreate "${secret.ref.name}" with kubectl create secret docker-registry ${secret.ref.name} --docker-server=… --docker-username=… --docker-password=… (it encodes the JSON and auth fields correctly).`,
          severityCap: ignored ? pullSecretCap(registry) : undefined,
          related: [referencePosition(secret), manifestPosition(state.secret, `secret "${state.secret.name}" is defined here`)]
        }
      ]
    })
  }
}
