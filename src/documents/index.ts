// The documents stage: a file's text in, its documents out, each as a tree of mappings, sequences
// and scalars that remember their offsets. Knows nothing about Kubernetes beyond the pre-screen
// hook, and nothing about files beyond the text it is given.
export { parseManifestDocuments, parseManifestText } from './parse.js'
export type { ParsedDocument, ParseStrategy, ParseTextOptions } from './parse.js'
export { readDocumentHeader } from './header.js'
export type { DocumentHeader } from './header.js'
export { splitYamlStream, splitJsonStream, helmSourceAbove } from './stream.js'
export type { DocumentChunk } from './stream.js'
export { LineIndex } from './line-index.js'
export type { LineColumn } from './line-index.js'
export { parseSimpleDocument, validateSimpleDocument } from './fast-parser.js'
export type { FastParseResult, FastValidationResult } from './fast-parser.js'
export { adaptYamlDocument, DEFAULT_LIMITS } from './yaml-adapter.js'
export type { AdaptedDocument, AdapterLimits, DocumentProblem } from './yaml-adapter.js'
export { child, childAt, isNullScalar, scalarValue, seqItems, stringValue } from './nodes.js'
export type { MapNode, ScalarNode, ScalarStyle, SeqNode, YamlNode } from './nodes.js'
