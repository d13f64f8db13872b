// The resolved configuration of a scan: .pullcheck.yaml merged with CLI flags or action inputs.
// Loading and validation live in src/config/; the scan and the rules only read this shape.
import type { Severity } from '../model.js'

/** When a run fails: at findings of this severity or worse, or never. */
export type FailOn = 'error' | 'warning' | 'never'

export interface ScanConfig {
  /** Per-rule severity overrides; 'off' disables the rule. Keys are rule ids. */
  rules: Record<string, Severity | 'off'>
  /** Platforms a pod may land on when its spec does not constrain it: `os/arch[/variant]`, normalised. Default ['linux/amd64']. */
  platforms: string[]
  /** Largest compressed size (bytes) of the platform image that would be pulled. Default 1 GiB. */
  maxImageSize: number
  /** Secrets that exist in the cluster though not in the scanned files: `namespace/name`. */
  knownSecrets: string[]
  /** Image uses to leave unchecked: `images` are globs over the raw or canonical image; `paths` are globs over file paths relative to the scan's cwd. */
  ignore: { images: string[]; paths: string[] }
  /** Registries reachable only over plain HTTP or with unverifiable TLS: HOST[:PORT]. */
  insecureRegistries: string[]
  /** Extra CA certificate files (absolute paths). */
  caFiles: string[]
  /** containerd-style mirrors: registry host → mirror hosts. */
  mirrors: Record<string, string[]>
  /** Registry host globs whose nodes pull with node-level credentials (EKS/GKE/AKS providers). */
  nodeCredentials: string[]
  /** Registry host globs that may be contacted at all; undefined = any. */
  allowedRegistries?: string[]
  /** Concurrent requests per registry host. Default 8. */
  concurrency: number
  /** Per-request timeout in seconds. Default 10. */
  timeoutSeconds: number
  /** Overall deadline of the registry stage in seconds. Default 300. */
  deadlineSeconds: number
  failOn: FailOn
  /** Namespace assumed for manifests that do not set one. Default 'default'. */
  defaultNamespace: string
  /** Largest file read, in bytes. Default 50 MiB. */
  maxFileSize: number
  /** The config file this came from (absolute path), or null for defaults only. */
  configFile: string | null
}
