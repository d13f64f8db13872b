// Image values that are templates, not references: they are filled in later by Helm, envsubst,
// Tekton, Argo or ko, so checking them now would only produce false alarms. Listed, never checked.

/**
 * Template syntaxes recognised in an image value:
 * `{{ … }}` (Helm, Go templates, Argo `{{inputs.parameters.image}}`), `${VAR}` / `$VAR` (envsubst,
 * shells, Kustomize vars), `$(params.x)` (Tekton, Kubernetes env expansion), `ko://…` (ko builds).
 * No valid image reference contains `{{`, `$` or starts with a URL scheme, so none is mistaken.
 */
const TEMPLATE_PATTERNS: readonly RegExp[] = [/\{\{/, /\$\{/, /\$\(/, /\$[A-Za-z_]/, /^ko:\/\//]

/** True when an image value is a template to be filled in later rather than a reference. */
export function isTemplatedImage(value: string): boolean {
  return TEMPLATE_PATTERNS.some((pattern) => pattern.test(value))
}
