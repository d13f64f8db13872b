// invalid-reference: an image string the kubelet cannot parse (InvalidImageName), or an `image:`
// value that is not a string at all.
import type { Rule } from './types.js'
import { findEmbeddedCredential } from '../reference/embedded-credentials.js'
import { shownImage } from './wording.js'

export const invalidReference: Rule = {
  id: 'invalid-reference',
  defaultSeverity: 'error',
  summary: 'The image is not a valid reference: the kubelet fails with InvalidImageName.',
  description:
    'The image string does not follow the reference grammar the kubelet uses (distribution/reference): ' +
    'an uppercase repository, an `https://` prefix, an empty path component, a malformed tag or digest, ' +
    'a name over 255 characters, or an `image:` value that is a number, a map or null. The kubelet ' +
    'refuses such a container with `InvalidImageName` before it ever contacts a registry, so the pod never starts.',
  fix: 'Write the image as `[registry/]repository[:tag][@digest]` with a lowercase repository, e.g. `ghcr.io/acme/web:1.4.2`; quote tags that YAML would read as numbers (`"1.10"`).',
  requires: 'offline',
  checkImage({ use }) {
    if (use.templated || use.referenceError === null) return []
    // A reference broken by embedded credentials is explained by credentials-in-reference.
    if (findEmbeddedCredential(use.image) !== null) return []
    return [
      {
        message: `InvalidImageName: couldn't parse image reference "${shownImage(use)}": ${use.referenceError}`
      }
    ]
  },
  checkDiagnostic(diagnostic) {
    if (diagnostic.code !== 'invalid-image-value') return []
    return [{ message: `InvalidImageName: ${diagnostic.message}` }]
  }
}
