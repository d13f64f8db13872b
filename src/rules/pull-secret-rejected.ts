// pull-secret-rejected: the pull secret has an entry for the image's registry, and the registry
// refuses its credentials. pullcheck tries them, as the kubelet would.
import { nodeCredentialsCap, referencePosition } from './support.js'
import type { Rule } from './types.js'
import { failedToPull } from './wording.js'

export const pullSecretRejected: Rule = {
  id: 'pull-secret-rejected',
  defaultSeverity: 'error',
  summary: "The pull secret matches the registry, but the registry refuses its credentials.",
  description:
    'pullcheck sends the credentials of each matching pull-secret entry to the registry, as the kubelet ' +
    'would. A refusal means a wrong or expired password or token (ECR passwords expire after 12 hours), an ' +
    'account without access to the repository, or a password with a trailing newline. The kubelet tries ' +
    'every matching credential and does not fall back to an anonymous pull, so when all are refused the ' +
    'pull fails even for a public image; when another credential works, a refused one is a warning.',
  fix: "Update the secret with credentials that can pull the repository (`kubectl create secret docker-registry … --dry-run=client -o yaml`), and check the account's access.",
  requires: 'pull-secrets',
  checkImage({ use, registry }) {
    if (registry === null) return []
    const access = registry.access
    if (access.kind !== 'rejected' && !(access.kind === 'granted' && access.refused.length > 0)) return []
    const stillWorks = access.kind === 'granted'
    const seen = new Set<string>()
    return access.refused.flatMap((answer) => {
      const key = `${answer.secret.ref.name}\u0000${answer.credential.key}`
      if (seen.has(key)) return []
      seen.add(key)
      const failure = answer.result.status === 'found' ? null : answer.result
      const hints = answer.secret.state.kind === 'usable' ? answer.secret.state.hints : []
      const detail = (failure === null ? '' : ` (${failure.detail})`) + (hints.length === 0 ? '' : `; note: ${hints.join('; ')}`)
      const cause = `failed to authorize: ${registry.reference.registry} refused the credentials of pull secret "${answer.secret.ref.name}" (entry "${answer.credential.key}")${detail}`
      return [
        {
          message: stillWorks
            ? `The credentials of pull secret "${answer.secret.ref.name}" (entry "${answer.credential.key}") are refused by ${registry.reference.registry}${detail}; the pull still works with another credential`
            : failedToPull(use, cause),
          fix: `Update secret "${answer.secret.ref.name}" with credentials that can pull ${registry.reference.registry}/${registry.reference.repository}.`,
          severityCap: stillWorks ? 'warning' : nodeCredentialsCap(registry),
          related: [referencePosition(answer.secret)]
        }
      ]
    })
  }
}
