// auth-required: the image needs credentials and the pod offers none that cover its registry — the
// case that passes in CI (where pullcheck, or docker, has credentials) and fails in the cluster.
import { denialExplanations, NOT_LET_IN } from '../scan/verdict.js'
import { repositoryHint } from './repository-not-found.js'
import { nodeCredentialsCap, nodeCredentialsNote } from './support.js'
import type { Rule } from './types.js'
import { failedToPull } from './wording.js'

const DENIED = 'pull access denied, repository does not exist or may require authorization'

export const authRequired: Rule = {
  id: 'auth-required',
  defaultSeverity: 'error',
  summary: 'The registry needs credentials and the pod has no pull secret that covers it.',
  description:
    "The registry refuses anonymous pulls of the image, and neither the pod's `imagePullSecrets` nor " +
    'those of its ServiceAccount (`default` when unnamed; pod-level secrets replace the ServiceAccount\'s) ' +
    "hold credentials for the image's registry. When pullcheck could read the image with its own " +
    'credentials, this is the change that passes in CI and fails in the cluster. Registries whose nodes pull ' +
    'with node-level credentials (EKS, GKE, AKS credential providers) can be listed in `nodeCredentials`; ' +
    'the finding is then a notice. When neither pullcheck nor anyone else could read the image, the ' +
    'registry cannot tell "private" from "does not exist" (Docker Hub answers both the same way), and the ' +
    'message says so. With `imagePullPolicy: Never` the kubelet never pulls, so neither this rule nor the ' +
    "pull-secret rules apply; the image's existence is still checked (the nodes' copy comes from somewhere).",
  fix: 'Create a `kubernetes.io/dockerconfigjson` Secret for the registry in the pod\'s namespace and list it under the pod\'s `imagePullSecrets` (or its ServiceAccount\'s).',
  requires: 'pull-secrets',
  checkImage({ use, registry, secrets }, { picture }) {
    if (registry === null || secrets === null) return []
    const reference = registry.reference
    const fix =
      `Create a kubernetes.io/dockerconfigjson Secret for ${reference.registry} in namespace "${secrets.namespace}" ` +
      `and list it under the pod's imagePullSecrets (or ServiceAccount "${secrets.serviceAccount}"'s).`
    const { existence, access } = registry
    if (access.kind === 'denied' && denialExplanations(secrets).size === 0) {
      const noSecret =
        secrets.effective.length === 0
          ? `the pod has no pull secret (none in its spec, none on ServiceAccount "${secrets.serviceAccount}")`
          : 'none of the pod\'s pull secrets has credentials for it'
      if (existence.kind === 'found') {
        return [
          {
            message:
              failedToPull(use, DENIED) +
              ` — ${reference.registry} refuses anonymous pulls and ${noSecret}; pullcheck could read the image only with ${existence.by === 'pullcheck' ? 'its own' : 'other'} credentials, so this passes in CI and fails in the cluster` +
              nodeCredentialsNote(registry),
            fix,
            severityCap: nodeCredentialsCap(registry)
          }
        ]
      }
      const hint = repositoryHint(reference, picture)
      const toolRefused = registry.tool.status === 'auth-rejected' ? ` pullcheck's own credentials for ${reference.registry} were refused too.` : ''
      return [
        {
          message:
            failedToPull(use, DENIED) +
            ` — ${reference.registry} let nobody read ${reference.repository} and ${noSecret}: the image is private or does not exist.${toolRefused}` +
            (hint.sentence === '' ? '' : ` ${hint.sentence}`) +
            nodeCredentialsNote(registry),
          fix: hint.fix ?? `${fix} If it should be public, check the name. Give pullcheck read credentials (--registry-auth) to tell a missing image from a private one.`,
          severityCap: nodeCredentialsCap(registry)
        }
      ]
    }
    if (access.kind === 'unverifiable' && existence.kind === 'unknown' && NOT_LET_IN.has(existence.failure.status)) {
      return [
        {
          message:
            `Could not verify "${reference.canonical}": ${reference.registry} needs credentials, pullcheck has none that work for it, ` +
            `and the pod's pull secret is not in the scanned files (${existence.failure.detail})`,
          fix: `Give pullcheck read credentials for ${reference.registry} (--registry-auth, registry-auth input or docker login) so it can check the image.`,
          severityCap: 'notice'
        }
      ]
    }
    return []
  }
}
