// The registry client's public surface: ask registries about images (RegistryClient), load the
// tool's own credentials (loadToolCredentials) and extra CA certificates (loadCaCertificates).
export { RegistryClient, nextPagePath, type RegistryClientOptions, type RegistryClientStats, type TagListResult } from './client.js'
export {
  loadToolCredentials,
  emptyCredentialStore,
  normalizeRegistryHost,
  parseRegistryAuthList,
  DOCKER_HUB_CONFIG_KEY,
  type CredentialStore,
  type LoadToolCredentialsOptions,
  type RegistryCredential
} from './credentials.js'
export { loadCaCertificates } from './ca-certificates.js'
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './transport.js'
export { blockedAddressReason, type LookupFunction } from './outbound-guard.js'
