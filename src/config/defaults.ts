// The configuration a scan runs with when neither a file nor a flag says otherwise. The schema's
// `default` annotations and docs/configuration.md repeat these values; a test keeps them equal.
import type { ScanConfig } from './types.js'

const GIB = 1024 ** 3
const MIB = 1024 ** 2

/** A fresh copy of the defaults (callers may mutate it). */
export function defaultScanConfig(): ScanConfig {
  return {
    rules: {},
    platforms: ['linux/amd64'],
    maxImageSize: GIB,
    knownSecrets: [],
    ignore: { images: [], paths: [] },
    insecureRegistries: [],
    caFiles: [],
    mirrors: {},
    nodeCredentials: [],
    concurrency: 8,
    timeoutSeconds: 10,
    deadlineSeconds: 300,
    failOn: 'error',
    defaultNamespace: 'default',
    maxFileSize: 50 * MIB,
    configFile: null
  }
}
