// pull-secret-wrong-host: the image needs credentials, the pod has pull secrets, and no entry of them
// matches the image's registry the way the kubelet's keyring matches.
import type { ImageReference } from '../model.js'
import { lookupCredentials, type PullCredential } from '../kube/keyring.js'
import { denialExplanations } from '../scan/verdict.js'
import { nodeCredentialsCap, nodeCredentialsNote, referencePosition } from './support.js'
import type { Rule } from './types.js'
import { failedToPull, listInWords } from './wording.js'

export const pullSecretWrongHost: Rule = {
  id: 'pull-secret-wrong-host',
  defaultSeverity: 'error',
  summary: "No entry of the pod's pull secrets matches the image's registry the way the kubelet matches.",
  description:
    'The kubelet picks credentials by comparing each `auths` key of the pull secrets with the image: the ' +
    'scheme and a `/v1/` or `/v2/` suffix are dropped, the port must be identical (`ghcr.io:443` does not ' +
    'match `ghcr.io`), the host must have the same number of labels (`*.example.com` matches ' +
    '`a.example.com`, not `a.b.example.com`), and a key with a path must be a prefix of the image path. ' +
    'Docker Hub images only match keys `docker.io` or `index.docker.io` (`https://index.docker.io/v1/`); a ' +
    '`registry-1.docker.io` key never matches. When nothing matches, the pull goes out without credentials ' +
    'and a private image fails with "pull access denied".',
  fix: "Add an `auths` entry whose key is exactly the image's registry host and port (Docker Hub: `https://index.docker.io/v1/`).",
  requires: 'pull-secrets',
  checkImage({ use, registry, secrets }) {
    if (registry === null || secrets === null || registry.access.kind !== 'denied') return []
    if (!denialExplanations(secrets).has('wrong-host')) return []
    const reference = registry.reference
    const held = secrets.effective.flatMap((secret) =>
      secret.state.kind === 'usable' ? [`"${secret.ref.name}" has ${describeKeys(secret.state.credentials)}`] : []
    )
    const lookup = lookupCredentials(
      secrets.effective.flatMap((secret) => (secret.state.kind === 'usable' ? secret.state.credentials : [])),
      reference
    )
    return [
      {
        message:
          failedToPull(use, 'pull access denied, repository does not exist or may require authorization') +
          ` — no pull secret entry matches ${reference.registry} (${listInWords(held)})` +
          (lookup.summary === null ? '' : `; ${lookup.summary}`) +
          nodeCredentialsNote(registry),
        fix: `Add an auths entry with the key "${secretKeyFor(reference)}" to the pull secret.`,
        severityCap: nodeCredentialsCap(registry),
        related: secrets.effective.map(referencePosition)
      }
    ]
  }
}

function describeKeys(credentials: PullCredential[]): string {
  if (credentials.length === 0) return 'no usable entries'
  return `entries for ${listInWords(credentials.map((credential) => credential.key))}`
}

/** The key `kubectl create secret docker-registry --docker-server` should be given. */
function secretKeyFor(reference: ImageReference): string {
  return reference.registry === 'docker.io' ? 'https://index.docker.io/v1/' : reference.registry
}
