// registry-unreachable: the registry could not be reached (DNS, connection refused or reset, server
// errors after retries), so the image could not be checked.
import { couldNotVerifyCheck } from './could-not-verify.js'
import type { Rule } from './types.js'

export const registryUnreachable: Rule = {
  id: 'registry-unreachable',
  defaultSeverity: 'warning',
  summary: 'The registry could not be reached (DNS, connection refused or reset, server errors): the image was not checked.',
  description:
    'pullcheck could not get an answer from the registry after its retries: the host name does not resolve ' +
    '(`no such host`), nothing listens (`connection refused`), the connection was reset, or the registry kept ' +
    'answering with server errors. Nothing is claimed about the image. A registry reachable only from inside ' +
    'the cluster (a `*.svc` name, a private address) cannot be checked from CI. This is a warning by default; ' +
    'set it to `error` to fail the check whenever an image could not be verified.',
  fix: 'Check the registry host name and that CI can reach it; ignore cluster-internal registries with `ignore.images`, or configure a mirror.',
  requires: 'registry',
  checkImage: couldNotVerifyCheck(
    (failure) => failure.status === 'unreachable' && !['timeout', 'tls', 'blocked'].includes(failure.cause ?? ''),
    (failure, registry) =>
      failure.cause === 'dns'
        ? `Check the host name ${registry}; a registry that only resolves inside the cluster cannot be checked from CI (add it to ignore.images).`
        : `Check that ${registry} is up and reachable from where pullcheck runs, then run the check again.`
  )
}
