// pull-secret-unverifiable: the referenced pull secret exists in the scanned files only as a
// SealedSecret, ExternalSecret or SOPS-encrypted Secret: it exists, but its contents cannot be checked.
import { manifestPosition, referencePosition } from './support.js'
import type { Rule } from './types.js'

export const pullSecretUnverifiable: Rule = {
  id: 'pull-secret-unverifiable',
  defaultSeverity: 'notice',
  summary: 'A pull secret is defined as a SealedSecret, ExternalSecret or SOPS-encrypted Secret: it exists, but pullcheck cannot check its contents.',
  description:
    'The Secret the pod references is produced in the cluster from an encrypted or external source, so ' +
    'its type, its registry entries and its credentials cannot be read from the repository. pullcheck ' +
    'treats it as existing (it is not `pull-secret-not-found`) and falls back to its own view of the ' +
    'registry for the image: whether the kubelet gets in could not be verified.',
  fix: 'Nothing to fix if the secret is right. To have it checked, give pullcheck the same registry credentials (`--registry-auth`) so that at least the image itself is verified.',
  requires: 'pull-secrets',
  checkImage({ secrets }) {
    if (secrets === null) return []
    return secrets.effective.flatMap((secret) => {
      if (secret.state.kind !== 'opaque') return []
      const manifest = secret.state.secret
      return [
        {
          message: `Pull secret "${secret.ref.name}" is a ${manifest.kind}: it exists, but its contents cannot be read here, so whether the kubelet gets in could not be verified`,
          related: [referencePosition(secret), manifestPosition(manifest, `${manifest.kind} "${manifest.name}" is defined here`)]
        }
      ]
    })
  }
}
