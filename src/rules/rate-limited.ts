// rate-limited: the registry answered 429 Too Many Requests after retries, so the image could not be
// checked.
import { couldNotVerifyCheck } from './could-not-verify.js'
import type { Rule } from './types.js'

export const rateLimited: Rule = {
  id: 'rate-limited',
  defaultSeverity: 'warning',
  summary: 'The registry rate-limited pullcheck (429 Too Many Requests): the image was not checked.',
  description:
    'The registry kept answering `429 Too Many Requests` (containerd shows `toomanyrequests: You have ' +
    'reached your pull rate limit`) within the retry budget. Docker Hub limits anonymous pulls per IP ' +
    'address, and CI runners share addresses, so anonymous checks run out quickly. pullcheck only sends ' +
    'HEAD requests where it can, which do not count against Docker Hub\'s limit. Nodes pulling anonymously ' +
    'hit the same limit. Nothing is claimed about the image.',
  fix: 'Authenticate pullcheck to the registry (`--registry-auth`, the `registry-auth` input, or `docker login` before the step) for a higher limit, or use a pull-through mirror (`registries.mirrors`).',
  requires: 'registry',
  checkImage: couldNotVerifyCheck(
    (failure) => failure.status === 'rate-limited',
    (_failure, registry) =>
      `Authenticate pullcheck to ${registry} (--registry-auth, the registry-auth input, or docker login before the step), or configure a mirror under registries.mirrors.`
  )
}
