// The JSON Schema (draft 2020-12) of `.pullcheck.yaml`. It is the single source for validation (ajv, in
// load.ts), for the published schemas/config.schema.json and for docs/configuration.md, which
// scripts/generate-docs.ts writes from it; a test fails when those copies drift from this file.

/** A string pattern used in the schema, with the words an error message uses for it. */
export interface NamedPattern {
  pattern: string
  /** What a matching value looks like, in plain words: "expected <meaning>". */
  meaning: string
}

const HOST_NAME = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*'
const IPV6_HOST = '\\[[0-9A-Fa-f:.]+\\]'

/** Every pattern the schema uses, so that validation errors can say what was expected in words. */
export const CONFIG_PATTERNS = {
  hostPort: {
    pattern: `^(?:${IPV6_HOST}|${HOST_NAME})(?::[0-9]{1,5})?$`,
    meaning: 'a registry host with an optional port, such as registry.example.com or localhost:5000 (no scheme, no path)'
  },
  hostGlob: {
    pattern: '^[A-Za-z0-9*?\\[\\]][A-Za-z0-9*?.:\\[\\]-]*$',
    meaning: 'a registry host or a glob over hosts, such as *.azurecr.io or *.dkr.ecr.*.amazonaws.com'
  },
  platform: {
    pattern: '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)?$',
    meaning: 'a platform written os/architecture[/variant], such as linux/amd64 or linux/arm/v7'
  },
  knownSecret: {
    pattern: '^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?/[a-z0-9](?:[-.a-z0-9]*[a-z0-9])?$',
    meaning: 'a secret written namespace/name, such as payments/registry-credentials'
  },
  namespace: {
    pattern: '^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$',
    meaning: 'a Kubernetes namespace name (lowercase letters, digits and dashes, at most 63 characters)'
  },
  ruleId: {
    pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$',
    meaning: 'a rule id in kebab-case, such as latest-tag'
  },
  size: {
    pattern: '^\\s*(?:\\d+(?:\\.\\d+)?|\\.\\d+)\\s*(?:[KkMmGgTt][Ii]?[Bb]?|[Bb])?\\s*$',
    meaning: 'a size in bytes or with a unit (kB, MB, GB, TB, KiB, MiB, GiB, TiB), such as 1GiB or 500MB'
  },
  duration: {
    pattern: '^\\s*(?:\\d+(?:\\.\\d+)?|\\.\\d+)\\s*(?:ms|s|m|h)?\\s*$',
    meaning: 'a duration in seconds, or with a unit (500ms, 30s, 2m, 1h)'
  },
  glob: {
    pattern: '^[^!]',
    meaning: 'a glob that does not start with "!" (negation is not supported: a value is ignored when it matches any glob)'
  }
} as const satisfies Record<string, NamedPattern>

/** The values a rule can be set to in `rules:`. */
export const RULE_SETTINGS = ['error', 'warning', 'notice', 'off'] as const

const globList = (description: string, examples: string[][]) => ({
  type: 'array',
  description,
  items: { type: 'string', minLength: 1, pattern: CONFIG_PATTERNS.glob.pattern },
  uniqueItems: true,
  examples
})

const hostGlobList = (description: string, examples: string[][]) => ({
  type: 'array',
  description,
  items: { type: 'string', pattern: CONFIG_PATTERNS.hostGlob.pattern },
  uniqueItems: true,
  examples
})

const sizeSetting = (description: string, defaultValue: string, examples: Array<string | number>) => ({
  type: ['integer', 'string'],
  description,
  minimum: 1,
  pattern: CONFIG_PATTERNS.size.pattern,
  default: defaultValue,
  examples
})

const durationSetting = (description: string, defaultValue: number, examples: Array<string | number>) => ({
  type: ['number', 'string'],
  description,
  exclusiveMinimum: 0,
  pattern: CONFIG_PATTERNS.duration.pattern,
  default: defaultValue,
  examples
})

/** The schema of `.pullcheck.yaml`. Every property has a description and an example (docs are generated from them). */
export const configSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://github.com/pullcheck/pullcheck/blob/main/schemas/config.schema.json',
  title: 'pullcheck configuration',
  description:
    'The `.pullcheck.yaml` (or `.pullcheck.yml`) file: which rules run at which severity, what the pods run on, and how to reach the registries. Every key is optional. Globs and file paths are relative to the directory of the file.',
  type: 'object',
  additionalProperties: false,
  properties: {
    rules: {
      type: 'object',
      description:
        'Severity per rule id: `error`, `warning` or `notice`, or `off` to disable the rule. Rules not listed keep their default severity (see docs/rules/).',
      propertyNames: { pattern: CONFIG_PATTERNS.ruleId.pattern },
      additionalProperties: { enum: [...RULE_SETTINGS] },
      examples: [{ 'latest-tag': 'off', 'registry-unreachable': 'error', 'image-too-large': 'notice' }]
    },
    platforms: {
      type: 'array',
      description:
        'Platforms a pod may land on when its spec does not say (no `kubernetes.io/arch` / `kubernetes.io/os` node selector or required affinity). Every image must have a runnable entry for each. Replaced, not extended, by `--platform` / the `platforms` input.',
      items: { type: 'string', pattern: CONFIG_PATTERNS.platform.pattern },
      minItems: 1,
      uniqueItems: true,
      default: ['linux/amd64'],
      examples: [['linux/amd64', 'linux/arm64']]
    },
    maxImageSize: sizeSetting(
      'Largest compressed size of the platform image that would be pulled (sum of its layers); `image-too-large` fires above it. Bytes, or a number with a decimal (kB, MB, GB, TB) or binary (KiB, MiB, GiB, TiB) unit.',
      '1GiB',
      ['1GiB', '500MB', '1.5GB', 750000000]
    ),
    knownSecrets: {
      type: 'array',
      description:
        'Pull secrets that exist in the cluster though not in the scanned files, written `namespace/name`. A pod that references one of them does not get `pull-secret-not-found`.',
      items: { type: 'string', pattern: CONFIG_PATTERNS.knownSecret.pattern },
      uniqueItems: true,
      examples: [['payments/registry-credentials', 'default/ghcr-pull']]
    },
    ignore: {
      type: 'object',
      description: 'Image uses pullcheck leaves unchecked.',
      additionalProperties: false,
      properties: {
        images: globList(
          'Globs over the image as written or as resolved (`docker.io/library/nginx:1.27`); a matching image use gets no findings.',
          [['registry.internal.example.com/**', 'docker.io/library/busybox:*']]
        ),
        paths: globList(
          'Globs over scanned file paths, relative to the directory of this file; images in matching files get no findings.',
          [['test/fixtures/**', '**/*.example.yaml']]
        )
      },
      examples: [{ images: ['registry.internal.example.com/**'], paths: ['test/fixtures/**'] }]
    },
    registries: {
      type: 'object',
      description: 'How to reach registries that need more than the defaults.',
      additionalProperties: false,
      properties: {
        insecure: {
          type: 'array',
          description:
            'Registries reachable only over plain HTTP or with a certificate that cannot be verified, written `host[:port]` exactly as in the image references. Added to by `--insecure-registry` / the `insecure-registries` input.',
          items: { type: 'string', pattern: CONFIG_PATTERNS.hostPort.pattern },
          uniqueItems: true,
          examples: [['registry.lab.example.com:5000', 'localhost:5000']]
        },
        caFile: {
          type: 'string',
          description: 'A PEM file of extra CA certificates to trust, relative to this file (one file; see `caFiles` for several).',
          minLength: 1,
          examples: ['certs/internal-ca.pem']
        },
        caFiles: {
          type: 'array',
          description: 'PEM files of extra CA certificates to trust, relative to this file. Added to by `--ca-file`.',
          items: { type: 'string', minLength: 1 },
          uniqueItems: true,
          examples: [['certs/internal-ca.pem', 'certs/lab-ca.pem']]
        },
        mirrors: {
          type: 'object',
          description:
            'Mirrors tried before a registry, as containerd does: registry host → mirror hosts, in order. The origin registry is still asked when no mirror answers. `index.docker.io` and `registry-1.docker.io` mean `docker.io`.',
          propertyNames: { pattern: CONFIG_PATTERNS.hostPort.pattern },
          additionalProperties: {
            type: 'array',
            items: { type: 'string', pattern: CONFIG_PATTERNS.hostPort.pattern },
            minItems: 1,
            uniqueItems: true
          },
          examples: [{ 'docker.io': ['mirror.gcr.io'], 'ghcr.io': ['ghcr-cache.example.com:5000'] }]
        }
      },
      examples: [{ insecure: ['localhost:5000'], caFiles: ['certs/internal-ca.pem'], mirrors: { 'docker.io': ['mirror.gcr.io'] } }]
    },
    nodeCredentials: hostGlobList(
      "Registry host globs the cluster's nodes pull from with node-level credentials (EKS, GKE and AKS credential providers), so pods need no pull secret there: `auth-required` becomes a notice.",
      [['*.dkr.ecr.*.amazonaws.com', '*-docker.pkg.dev', '*.azurecr.io']]
    ),
    allowedRegistries: hostGlobList(
      'When set, only registries matching one of these host globs are contacted; images elsewhere are reported as not verified. Unset: any registry.',
      [['ghcr.io', '*.example.com', 'docker.io']]
    ),
    concurrency: {
      type: 'integer',
      description: 'Concurrent requests per registry host.',
      minimum: 1,
      maximum: 256,
      default: 8,
      examples: [4]
    },
    timeout: durationSetting('Timeout of each registry request, in seconds (or with a unit: `30s`, `2m`).', 10, [30, '1m']),
    deadline: durationSetting(
      'Overall time allowed for the registry checks, in seconds (or with a unit); images not checked by then are reported as not verified.',
      300,
      [600, '10m']
    ),
    failOn: {
      type: 'string',
      description:
        'The run fails (CLI exit code 1, failed check) when a finding has this severity or a worse one; `never` only reports.',
      enum: ['error', 'warning', 'never'],
      default: 'error',
      examples: ['warning']
    },
    defaultNamespace: {
      type: 'string',
      description: 'Namespace assumed for manifests that do not set `metadata.namespace` (where `kubectl apply` would put them).',
      pattern: CONFIG_PATTERNS.namespace.pattern,
      maxLength: 63,
      default: 'default',
      examples: ['apps']
    },
    maxFileSize: sizeSetting(
      'Largest file read; larger files are skipped with a notice. Bytes, or a number with a unit.',
      '50MiB',
      ['50MiB', '200MB']
    )
  },
  examples: [
    {
      rules: { 'latest-tag': 'off', 'registry-unreachable': 'error' },
      platforms: ['linux/amd64', 'linux/arm64'],
      maxImageSize: '1GiB',
      knownSecrets: ['payments/registry-credentials'],
      ignore: { images: ['registry.internal.example.com/**'], paths: ['test/fixtures/**'] },
      registries: { insecure: ['localhost:5000'], mirrors: { 'docker.io': ['mirror.gcr.io'] } },
      nodeCredentials: ['*.dkr.ecr.*.amazonaws.com'],
      failOn: 'error'
    }
  ]
} as const
