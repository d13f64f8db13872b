// credentials-in-reference: a password or token written into the image string itself.
import type { Rule } from './types.js'
import { findEmbeddedCredential } from '../reference/embedded-credentials.js'
import { shownImage } from './wording.js'

export const credentialsInReference: Rule = {
  id: 'credentials-in-reference',
  defaultSeverity: 'error',
  summary: 'The image string contains credentials: a user name and password before the registry host, or a token in a query string.',
  description:
    'Registry credentials written into an image reference are stored in the manifest, in the cluster\'s ' +
    'API objects and events, and in every log that prints the image; anyone who can read the workload can ' +
    'read them. The kubelet cannot use them either: the reference grammar has no place for credentials, so ' +
    'the pull fails with `InvalidImageName`. pullcheck masks the credential in everything it reports.',
  fix: 'Remove the credentials from the image, rotate them (they are exposed), and give the kubelet access through an `imagePullSecrets` Secret of type `kubernetes.io/dockerconfigjson`.',
  requires: 'offline',
  checkImage({ use }) {
    const kind = findEmbeddedCredential(use.image)
    if (kind === null) return []
    const what = kind === 'userinfo' ? 'a user name and password before the registry host' : 'a token in a query string'
    return [
      {
        message: `The image "${shownImage(use)}" contains ${what}; the kubelet cannot parse it (InvalidImageName) and the credential is exposed to anyone who can read the workload`
      }
    ]
  }
}
