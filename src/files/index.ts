// The files stage: from the paths a user names to decoded text, with a diagnostic for every path
// that cannot be used. Knows nothing about YAML.
export { discoverFiles } from './discover.js'
export type { DiscoveredFile, Discovery, DiscoverOptions } from './discover.js'
export { readManifestFile, decodeManifestBytes, DEFAULT_MAX_FILE_SIZE, InputTooLargeError } from './read.js'
export type { ReadOptions, ReadResult } from './read.js'
export { hasManifestExtension, isJsonPath, reportedPath, STDIN_PATH } from './paths.js'
