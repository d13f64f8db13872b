// `runScan`: the whole pre-deploy check, shared by the CLI and the GitHub Action. Inventory of the
// files → the pod's pull secrets → the registry's answers (once per unique reference and identity,
// for the uses the caller selects) → the rules → inline suppressions → a ScanResult that every
// report is rendered from.
import picomatch from 'picomatch'
import type { ScanConfig } from '../config/types.js'
import { buildInventory } from '../inventory/index.js'
import { formatPlatform, parsePlatform, podPlatforms, type NormalizedPlatform } from '../kube/platform.js'
import { silentLogger, type Logger } from '../logger.js'
import type { Diagnostic, Finding, ImageReference, ImageUse, ScannedImage, ScanResult, ScanSummary, SecretRef } from '../model.js'
import { loadCaCertificates, RegistryClient, type CredentialStore, type RegistryClientOptions } from '../registry/index.js'
import { isSizeChecked } from '../rules/image-too-large.js'
import { allRules } from '../rules/index.js'
import type { ImageCheck, Rule, RuleContext, ScanPicture } from '../rules/types.js'
import { compareFindings, decidingFailure, evaluateDiagnostic, evaluateImage, imageStatus } from './evaluate.js'
import { ignoreMatcher } from './ignore.js'
import { LookupScheduler, type RegistryLookup } from './lookups.js'
import { redactImage } from '../reference/embedded-credentials.js'
import { PullSecretIndex, type PullSecretView } from './secrets.js'
import { repositoryKey } from './suggest.js'
import { applySuppressions, sourceReader } from './suppress.js'
import { isNeverPulled, type RegistryView } from './verdict.js'

export type { RegistryLookup } from './lookups.js'

/** How far the registry stage is: `done` of `total` questions answered so far (total grows as questions are found). */
export interface ScanProgress {
  done: number
  total: number
}

/** What runScan needs: where to look, the configuration, pullcheck's credentials, and the shell's hooks. */
export interface ScanOptions {
  /** Files, directories and globs to scan; `-` reads stdin. */
  paths: string[]
  /** Paths are resolved against and reported relative to this directory. */
  cwd: string
  config: ScanConfig
  /** pullcheck's own registry credentials (src/registry `loadToolCredentials`). */
  credentials: CredentialStore
  /** The environment (NODE_EXTRA_CA_CERTS and the like are read from it, never from process.env). */
  env: NodeJS.ProcessEnv
  logger?: Logger
  /** Reads stdin when `-` is among the paths. */
  readStdin?: () => Promise<string>
  onProgress?: (progress: ScanProgress) => void
  /** The rules to run; every rule by default. */
  rules?: readonly Rule[]
  /** Asks the registries; a RegistryClient built from `config` and `credentials` by default. */
  registry?: RegistryLookup
  /** Builds the client from the options runScan chose, when `registry` is not given (default: `new RegistryClient`). */
  createRegistry?: (options: RegistryClientOptions) => RegistryLookup
  /** Which image uses get registry work; every valid, not ignored one by default. */
  selection?: UseSelection
}

/**
 * Chooses the image uses that are checked against the registries. An unselected use gets no
 * registry request and no registry or pull-secret finding; the offline rules still apply, and its
 * status is 'skipped' with `reason`.
 */
export interface UseSelection {
  /** True to check the use; `pullSecretRefs` are the pod's effective imagePullSecrets references (its own, else its ServiceAccount's). */
  select(use: ImageUse, pullSecretRefs: readonly SecretRef[]): boolean
  /** Why an unselected use was not checked, in words for the reports. */
  reason: string
}

/**
 * What runScan does with one image use: nothing at all (ignored by the configuration), the offline
 * rules only, or the registry's questions too — only whether it exists when the kubelet never pulls it.
 */
type UsePlan =
  | { kind: 'skip'; ignored: boolean; skipReason: string }
  | { kind: 'lookup'; reference: ImageReference; view: PullSecretView; pulled: boolean; platforms: NormalizedPlatform[] }

/** Runs the full check and returns what every report is rendered from. Never throws for bad input; a ConfigurationError for bad configuration. */
export async function runScan(options: ScanOptions): Promise<ScanResult> {
  const started = Date.now()
  const logger = options.logger ?? silentLogger
  const { config } = options
  const rules = options.rules ?? allRules

  // Stdin cannot be read twice; keep its text for the inline suppressions.
  const texts = new Map<string, string>()
  const readStdin =
    options.readStdin === undefined
      ? undefined
      : async (): Promise<string> => {
          const text = await options.readStdin!()
          texts.set('<stdin>', text)
          return text
        }
  const inventory = await buildInventory({ paths: options.paths, cwd: options.cwd, readStdin, maxFileSize: config.maxFileSize, logger })
  logger.debug(`inventory: ${inventory.images.length} images in ${inventory.files.length} files`)

  const ignored = ignoreMatcher(config.ignore)
  const context: RuleContext = { config, picture: scanPicture(inventory.images) }
  const secrets = new PullSecretIndex(inventory, config)
  const platformDefaults = config.platforms.map((text) => parsePlatform(text, 'platforms'))
  const nodeCredentials = config.nodeCredentials.length === 0 ? () => false : picomatch(config.nodeCredentials, { dot: true })

  const skip = (skipReason: string, isIgnored = false): UsePlan => ({ kind: 'skip', ignored: isIgnored, skipReason })
  const plans = inventory.images.map((use): UsePlan => {
    if (ignored.image(use)) return skip('ignored by the configuration (ignore)', true)
    if (use.templated) return skip('a template, not an image: check the rendered output')
    if (use.reference === null) return skip('not a valid image reference')
    const view = secrets.view(use, use.reference)
    if (options.selection !== undefined && !options.selection.select(use, view.effective.map((secret) => secret.ref))) {
      return skip(options.selection.reason)
    }
    const pulled = !isNeverPulled(use)
    return { kind: 'lookup', reference: use.reference, view, pulled, platforms: podPlatforms(use.pod.placement, platformDefaults) }
  })
  const lookupPlatforms = plans.flatMap((plan) => (plan.kind === 'lookup' ? [plan.platforms] : []))
  const registry = options.registry ?? (await defaultRegistryClient(options, sizePlatforms(platformDefaults, lookupPlatforms), logger))
  const scheduler = new LookupScheduler({
    registry,
    toolHasCredentials: async (host) => (await options.credentials.get(host)) !== null,
    logger,
    onProgress: options.onProgress === undefined ? undefined : (done, total) => options.onProgress!({ done, total })
  })

  // `ignored`: the user chose not to check it (no findings at all); templated images and uses not
  // selected for registry work are still given to the rules, whose offline checks apply to them.
  let checks: Array<{ check: ImageCheck; ignored: boolean; skipReason: string | null }>
  try {
    checks = await Promise.all(
      inventory.images.map(async (use, index) => {
        const plan = plans[index]!
        if (plan.kind === 'skip') return { check: { use, secrets: null, registry: null }, ignored: plan.ignored, skipReason: plan.skipReason }
        const { reference, view, pulled, platforms } = plan
        const answers = await scheduler.answersFor(reference, view, pulled)
        const placement = use.pod.placement
        const registryView: RegistryView = {
          reference,
          ...answers,
          platforms,
          platformsFromPod: placement.architectures !== null || placement.operatingSystems !== null,
          nodeCredentials: nodeCredentials(reference.registry)
        }
        // Pull secrets play no part in an image that is never pulled: the pull-secret rules see none.
        return { check: { use, secrets: pulled ? view : null, registry: registryView }, ignored: false, skipReason: null }
      })
    )
  } finally {
    if (options.registry === undefined) await registry.close()
  }

  const findings: Finding[] = []
  const perImage: Finding[][] = []
  for (const { check, ignored: isIgnored } of checks) {
    const imageFindings = isIgnored ? [] : evaluateImage(check, rules, context)
    perImage.push(imageFindings)
    findings.push(...imageFindings)
  }
  // A diagnostic that a finding already reports on its line (an unparseable file, a templated
  // image) is not listed twice.
  const findingLines = new Set(findings.map((finding) => `${finding.file}\u0000${finding.line}`))
  const diagnostics: Diagnostic[] = []
  for (const diagnostic of inventory.diagnostics) {
    const fromDiagnostic = ignored.path(diagnostic.file) ? [] : evaluateDiagnostic(diagnostic, rules, context)
    findings.push(...fromDiagnostic)
    if (fromDiagnostic.length === 0 && !findingLines.has(`${diagnostic.file}\u0000${diagnostic.line}`)) diagnostics.push(diagnostic)
  }

  const kept = new Set(await applySuppressions(findings, sourceReader(options.cwd, texts)))
  const ruleOrder = new Map(rules.map((rule, index) => [rule.id, index]))
  const sorted = [...kept].sort(compareFindings(ruleOrder))

  const images: ScannedImage[] = checks.map(({ check, ignored: isIgnored, skipReason }, index) => {
    const own = perImage[index]!.filter((finding) => kept.has(finding))
    const registryView = check.registry
    const image = redactImage(check.use.image)
    const status = imageStatus(check, own, isIgnored)
    return {
      ...check.use,
      image,
      // A parser message may quote the image; it must not quote a password written into it.
      referenceError: check.use.referenceError?.split(check.use.image).join(image) ?? null,
      status,
      facts: registryView?.existence.kind === 'found' ? registryView.existence.facts : null,
      failure: decidingFailure(check, isSizeChecked(config)),
      ...(status === 'skipped' && skipReason !== null ? { skipReason } : {})
    }
  })

  return {
    findings: sorted,
    diagnostics,
    images,
    summary: summarize(inventory.files.length, images, sorted, Date.now() - started),
    rateLimit: scheduler.lowestRateLimit
  }
}

/** The repository-wide picture the suggestions draw on. */
function scanPicture(uses: readonly ImageUse[]): ScanPicture {
  const repositories = new Map<string, number>()
  const registries = new Map<string, number>()
  for (const use of uses) {
    if (use.reference === null) continue
    const key = repositoryKey(use.reference)
    repositories.set(key, (repositories.get(key) ?? 0) + 1)
    registries.set(use.reference.registry, (registries.get(use.reference.registry) ?? 0) + 1)
  }
  return { repositories, registries }
}

function summarize(files: number, images: ScannedImage[], findings: Finding[], durationMs: number): ScanSummary {
  const unique = new Set(images.map((image) => image.reference?.canonical ?? image.image))
  return {
    files,
    images: images.length,
    uniqueImages: unique.size,
    errors: findings.filter((finding) => finding.severity === 'error').length,
    warnings: findings.filter((finding) => finding.severity === 'warning').length,
    notices: findings.filter((finding) => finding.severity === 'notice').length,
    durationMs
  }
}

/**
 * The platforms whose image sizes a rule may need: the configured ones and every one a pod can land
 * on. Only their manifests are fetched from an index: each GET counts as a pull on Docker Hub.
 */
function sizePlatforms(configured: readonly NormalizedPlatform[], perUse: ReadonlyArray<readonly NormalizedPlatform[]>): NormalizedPlatform[] {
  const wanted = new Map(configured.map((platform) => [formatPlatform(platform), platform]))
  for (const platforms of perUse) for (const platform of platforms) wanted.set(formatPlatform(platform), platform)
  return [...wanted.values()]
}

async function defaultRegistryClient(options: ScanOptions, sizePlatforms: NormalizedPlatform[], logger: Logger): Promise<RegistryLookup> {
  const { config } = options
  const caCertificates = await loadCaCertificates(config.caFiles, options.env, 'caFile')
  const clientOptions: RegistryClientOptions = {
    credentials: options.credentials,
    insecureRegistries: config.insecureRegistries,
    caCertificates,
    mirrors: config.mirrors,
    timeoutMs: config.timeoutSeconds * 1000,
    deadline: Date.now() + config.deadlineSeconds * 1000,
    concurrencyPerHost: config.concurrency,
    allowedRegistries: config.allowedRegistries,
    sizePlatforms,
    logger
  }
  return options.createRegistry === undefined ? new RegistryClient(clientOptions) : options.createRegistry(clientOptions)
}

