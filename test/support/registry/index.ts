// The real-registry test harness in one import: registries (open, htpasswd, token, TLS, pull-through
// cache), the token server, the image pusher, the fault proxy and the unreachable endpoints.
// See README.md in this directory for how the pieces fit.
export { startRegistry, HTPASSWD_ADMIN, type RegistryAuth, type StartRegistryOptions, type TestRegistry } from './registry.js'
export { startTokenServer, libtrustKeyId, TOKEN_ADMIN, type RecordedTokenRequest, type TokenServer, type TokenServerOptions, type TokenUser } from './token-server.js'
export { pushImage, tagImage, MEDIA_TYPES, type ImageSpec, type PushedImage, type PushedPlatform, type TestPlatform } from './push.js'
export {
  startFaultProxy,
  startSilentListener,
  findClosedPort,
  maxConcurrentRequests,
  type Fault,
  type FaultProxy,
  type FaultProxyOptions,
  type FaultRule,
  type RecordedRequest,
  type SilentListener
} from './fault-proxy.js'
export { createTestCertificateAuthority, type ServerCertificateKind, type TestCertificateAuthority } from './certificates.js'
