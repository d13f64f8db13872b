// templated-image: an image value that is a template (`{{ .Values.image }}`, `${IMAGE}`), which
// pullcheck cannot check.
import type { Rule } from './types.js'

export const templatedImage: Rule = {
  id: 'templated-image',
  defaultSeverity: 'notice',
  summary: 'The image is a template, not a reference: it was not checked.',
  description:
    'Values such as `{{ .Values.image }}`, `${IMAGE}`, `$(params.image)` or `ko://…` are filled in by a ' +
    'tool before the manifest reaches the cluster (Helm, envsubst, Tekton, ko). pullcheck cannot know what ' +
    'they become, so it checks nothing about them and says so, rather than calling them invalid.',
  fix: 'Scan the rendered output instead (`helm template …`, `kustomize build …`, `envsubst < file`), or add the file to `ignore.paths`.',
  requires: 'offline',
  checkImage({ use }) {
    if (!use.templated) return []
    return [{ message: `Not checked: "${use.image}" is a template, not an image reference` }]
  }
}
