// What provenance answers about a finding in rendered output: the repository lines that produced its
// image (a values.yaml key, a kustomization.yaml `images:` entry, a chart template), so reports can
// point at the line the pull request's author actually edits.
import type { Position } from '../model.js'

/** Which part of the image a traced line sets. */
export type ValueRole = 'registry' | 'repository' | 'tag' | 'digest' | 'image' | 'app-version' | 'template'

/** One repository line that sets part of a rendered image. */
export interface TracedLine extends Position {
  role: ValueRole
  /** Plain words for a report: `image.tag in charts/web/values.yaml sets the tag "1.2.3"`. */
  message: string
}

/** How the rendered image was traced back to the repository. */
export type TraceKind = 'helm-values' | 'helm-template' | 'kustomize'

export interface ProvenanceTrace {
  via: TraceKind
  /** Every line found, in the order a reader should look at them (registry, repository, tag, digest). */
  lines: TracedLine[]
}
