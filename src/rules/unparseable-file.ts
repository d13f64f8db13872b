// unparseable-file: a file that should be a manifest but could not be read or parsed. A pull request
// that breaks its YAML must not pass just because nothing in it could be checked.
import type { DiagnosticCode } from '../model.js'
import type { Rule } from './types.js'

/** Inventory diagnostics that mean "this file (or part of it) could not be read". */
export const UNREADABLE_CODES: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>([
  'yaml-syntax',
  'unrendered-template',
  'not-utf8',
  'binary-file',
  'alias-limit',
  'too-deep',
  'unreadable',
  'invalid-pod-spec'
])

export const unparseableFile: Rule = {
  id: 'unparseable-file',
  defaultSeverity: 'error',
  summary: 'A manifest file could not be parsed or read, so none of its images were checked.',
  description:
    'A YAML syntax error, an unrendered template, a pod spec of the wrong shape (`containers` as a map, a ' +
    'container written as a string), a file that is not UTF-8 text, an alias bomb or a path that cannot be ' +
    'read: `kubectl apply` would reject the file, and pullcheck could not check the images ' +
    'in it. The other documents of the file and every other file are still checked. This is an error by ' +
    'default so that a change that breaks a manifest does not pass as "no findings".',
  fix: 'Fix the syntax or the shape at the line shown (kubectl would reject it too); if the file is a template, scan its rendered output instead; if it is not a manifest, exclude it with `ignore.paths`.',
  requires: 'offline',
  checkDiagnostic(diagnostic) {
    if (!UNREADABLE_CODES.has(diagnostic.code)) return []
    return [{ message: `Not checked: ${diagnostic.message}` }]
  }
}
