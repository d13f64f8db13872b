// registry-timeout: the registry did not answer in time, so the image could not be checked.
import { couldNotVerifyCheck } from './could-not-verify.js'
import type { Rule } from './types.js'

export const registryTimeout: Rule = {
  id: 'registry-timeout',
  defaultSeverity: 'warning',
  summary: 'The registry did not answer in time: the image was not checked.',
  description:
    'A request to the registry exceeded the per-request timeout (10 s by default) on every retry, or the ' +
    "scan's overall deadline ran out. The kubelet would see `i/o timeout` in the same situation. Nothing is " +
    'claimed about the image. This is a warning by default; set it to `error` to fail the check whenever an ' +
    'image could not be verified.',
  fix: 'Run the check again; raise `timeout` (`--timeout SECONDS`) or `deadline` for slow registries.',
  requires: 'registry',
  checkImage: couldNotVerifyCheck(
    (failure) => failure.status === 'unreachable' && failure.cause === 'timeout',
    (_failure, registry) => `Run the check again; if ${registry} is just slow, raise timeout (--timeout SECONDS) or deadline.`
  )
}
