// registry-tls-error: the registry's TLS certificate could not be verified, so the image could not
// be checked.
import { couldNotVerifyCheck } from './could-not-verify.js'
import type { Rule } from './types.js'

export const registryTlsError: Rule = {
  id: 'registry-tls-error',
  defaultSeverity: 'warning',
  summary: "The registry's TLS certificate could not be verified: the image was not checked.",
  description:
    'The registry speaks HTTPS with a certificate pullcheck does not trust: signed by an unknown authority ' +
    '(`x509: certificate signed by unknown authority`), issued for another host name, or expired. ' +
    'pullcheck never falls back to plain HTTP or skips verification on its own. Nodes with the same trust ' +
    'store would fail the same way, unless containerd is configured for this registry. This is a warning by ' +
    'default; set it to `error` to fail the check whenever an image could not be verified.',
  fix: "Give pullcheck the registry's CA (`--ca-file`, `registries.caFile`, or `NODE_EXTRA_CA_CERTS`); only for a test registry, allow it with `--insecure-registry`.",
  requires: 'registry',
  checkImage: couldNotVerifyCheck(
    (failure) => failure.status === 'unreachable' && failure.cause === 'tls',
    (_failure, registry) =>
      `Give pullcheck the CA that signed ${registry}'s certificate (--ca-file or registries.caFile); for a test registry only, --insecure-registry ${registry}.`
  )
}
