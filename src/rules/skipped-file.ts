// skipped-file: a file pullcheck chose not to check (a Helm chart template, a file over the size
// limit), and why.
import type { DiagnosticCode } from '../model.js'
import type { Rule } from './types.js'

/** Inventory diagnostics that mean "this file was skipped on purpose". */
export const SKIPPED_CODES: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>([
  'helm-chart-template',
  'too-large',
  'not-a-manifest'
])

export const skippedFile: Rule = {
  id: 'skipped-file',
  defaultSeverity: 'notice',
  summary: 'A file was not checked on purpose: a Helm chart template, or a file over the size limit.',
  description:
    'Files under `templates/` of a Helm chart are Go templates, not manifests: their images are only known ' +
    'once the chart is rendered. Files over the size limit (50 MiB by default) are not read at all. ' +
    'pullcheck lists them so that "no findings" never silently means "not looked at".',
  fix: 'Render the chart (`helm template my-release ./chart > rendered.yaml`) and scan the output; raise `maxFileSize` for large generated bundles.',
  requires: 'offline',
  checkDiagnostic(diagnostic) {
    if (!SKIPPED_CODES.has(diagnostic.code)) return []
    return [{ message: `Not checked: ${diagnostic.message}` }]
  }
}
