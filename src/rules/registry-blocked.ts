// registry-blocked: pullcheck's outbound guard refused to contact the registry (a link-local or cloud
// metadata address, or a host outside `allowedRegistries`).
import { couldNotVerifyCheck } from './could-not-verify.js'
import type { Rule } from './types.js'

export const registryBlocked: Rule = {
  id: 'registry-blocked',
  defaultSeverity: 'warning',
  summary: 'pullcheck refused to contact the registry (link-local or cloud-metadata address, or not in `allowedRegistries`).',
  description:
    'Manifests in a pull request decide which hosts pullcheck talks to, so it refuses targets that are ' +
    'never registries and may be dangerous to reach from CI: link-local and cloud metadata addresses ' +
    '(169.254.0.0/16, fd00:ec2::254), also when a host name resolves to one, or a token realm or redirect ' +
    'points there. When `allowedRegistries` is set, any other host is refused as well. The image was not checked.',
  fix: 'Use a real registry host; if the host is legitimate, add it to `allowedRegistries`.',
  requires: 'registry',
  checkImage: couldNotVerifyCheck(
    (failure) => failure.status === 'unreachable' && failure.cause === 'blocked',
    (_failure, registry) => `If ${registry} is a registry you trust, add it to allowedRegistries; otherwise correct the image.`
  )
}
