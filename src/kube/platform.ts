// Platforms as containerd sees them (containerd/platforms: database.go, compare.go, platforms.go):
// parsing `os/arch[/variant]`, normalising aliases (x86_64, aarch64, armhf, arm64/v8, arm = v7…),
// choosing the image a node would pull from a list with the `Only()` fallbacks (amd64 → 386,
// arm64 → arm/v8…v5), and turning a pod's placement constraints into the platforms it can land on.
// Pure functions; nothing here reads the host it runs on.
import { closest } from 'fastest-levenshtein'
import { ConfigurationError } from '../errors.js'
import type { PlacementConstraints, PlatformImage } from '../model.js'

/** An OCI platform: GOOS / GOARCH values and an optional variant (`v7`, `v8`, `v3`). */
export interface Platform {
  os: string
  architecture: string
  /** null (or absent, or '') when there is none. */
  variant?: string | null
}

/** A platform after normalisation: lower-case, aliases resolved, `variant` null when there is none. */
export interface NormalizedPlatform {
  os: string
  architecture: string
  variant: string | null
}

// From Go's syslist.go, as containerd's isKnownOS / isKnownArch list them.
const KNOWN_OPERATING_SYSTEMS = [
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl', 'netbsd',
  'openbsd', 'plan9', 'solaris', 'windows', 'zos'
]
const KNOWN_ARCHITECTURES = [
  '386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'ppc64', 'ppc64le', 'loong64', 'mips', 'mipsle',
  'mips64', 'mips64le', 'mips64p32', 'mips64p32le', 'ppc', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64',
  'wasm'
]
// Spellings people write that normalise to a known architecture, for "did you mean" suggestions.
const ARCHITECTURE_ALIASES = ['x86_64', 'x86-64', 'aarch64', 'armhf', 'armel', 'i386']

function normalizeOS(os: string): string {
  const lower = os.toLowerCase()
  return lower === 'macos' ? 'darwin' : lower
}

/** containerd's normalizeArch: aliases to GOARCH names and the canonical variant of each. */
function normalizeArchitecture(architecture: string, variant: string): [string, string] {
  const arch = architecture.toLowerCase()
  const v = variant.toLowerCase()
  switch (arch) {
    case 'i386':
      return ['386', '']
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      return ['amd64', v === 'v1' ? '' : v]
    case 'aarch64':
    case 'arm64':
      return ['arm64', v === '8' || v === 'v8' ? '' : v]
    case 'armhf':
      return ['arm', 'v7']
    case 'armel':
      return ['arm', 'v6']
    case 'arm':
      if (v === '' || v === '7') return ['arm', 'v7']
      if (v === '5' || v === '6' || v === '8') return ['arm', `v${v}`]
      return ['arm', v]
    default:
      return [arch, v]
  }
}

/** Normalises a platform as containerd does before comparing: `linux/aarch64/8` → linux/arm64. */
export function normalizePlatform(platform: Platform): NormalizedPlatform {
  const [architecture, variant] = normalizeArchitecture(platform.architecture, platform.variant ?? '')
  return { os: normalizeOS(platform.os), architecture, variant: variant === '' ? null : variant }
}

/** `os/arch[/variant]`, e.g. `linux/amd64`, `linux/arm/v7`. */
export function formatPlatform(platform: Platform): string {
  const variant = platform.variant ?? ''
  return `${platform.os}/${platform.architecture}${variant === '' ? '' : `/${variant}`}`
}

/** True when os and architecture are ones Go (and so containerd) knows. */
export function isKnownPlatform(platform: Platform): boolean {
  const normalized = normalizePlatform(platform)
  return KNOWN_OPERATING_SYSTEMS.includes(normalized.os) && KNOWN_ARCHITECTURES.includes(normalized.architecture)
}

const OS_COMPONENT = /^[A-Za-z0-9_-]+$/
const COMPONENT = /^[A-Za-z0-9_.-]+$/

/**
 * Parses `os/arch[/variant]` (a `--platform` flag, a `platforms` entry) into a normalised
 * platform. Throws a ConfigurationError naming `key` and what was expected when the text is not
 * of that shape or names an operating system or architecture that does not exist.
 */
export function parsePlatform(text: string, key = '--platform'): NormalizedPlatform {
  const expected = 'expected os/arch[/variant], such as linux/amd64, linux/arm64 or linux/arm/v7'
  const parts = text.split('/')
  if (parts.length < 2 || parts.length > 3) throw new ConfigurationError(`${expected}; got ${JSON.stringify(text)}`, key)
  const [os = '', architecture = '', variant = ''] = parts
  if (!OS_COMPONENT.test(os) || !COMPONENT.test(architecture) || (parts.length === 3 && !COMPONENT.test(variant))) {
    throw new ConfigurationError(`${expected}, each part made of letters, digits, "_", "-" (and "." in arch and variant); got ${JSON.stringify(text)}`, key)
  }
  const platform = normalizePlatform({ os, architecture, variant })
  if (!KNOWN_OPERATING_SYSTEMS.includes(platform.os)) {
    throw new ConfigurationError(`unknown operating system ${JSON.stringify(os)} in ${JSON.stringify(text)}${suggest(platform.os, KNOWN_OPERATING_SYSTEMS)}; ${expected}`, key)
  }
  if (!KNOWN_ARCHITECTURES.includes(platform.architecture)) {
    throw new ConfigurationError(
      `unknown architecture ${JSON.stringify(architecture)} in ${JSON.stringify(text)}${suggest(platform.architecture, [...KNOWN_ARCHITECTURES, ...ARCHITECTURE_ALIASES])}; ${expected}`,
      key
    )
  }
  return platform
}

function suggest(word: string, candidates: string[]): string {
  const best = closest(word, candidates)
  return best !== undefined && best !== word ? ` (did you mean ${best}?)` : ''
}

/**
 * containerd's `platformVector`: what a node of `platform` accepts, most preferred first. amd64/vN
 * also takes amd64/vN-1…v1 and then 386; arm/vN takes vN-1…v5; arm64 takes its earlier minor
 * variants and then 32-bit arm from v8 down.
 */
function platformVector(platform: NormalizedPlatform): NormalizedPlatform[] {
  const vector: NormalizedPlatform[] = [platform]
  const variant = platform.variant ?? ''
  const same = (architecture: string, v: string): NormalizedPlatform => normalizePlatform({ os: platform.os, architecture, variant: v })
  switch (platform.architecture) {
    case 'amd64': {
      const version = goAtoi(variant.replace(/^v/, ''))
      if (version !== null && version > 1) for (let v = version - 1; v >= 1; v--) vector.push(same('amd64', `v${v}`))
      vector.push(same('386', ''))
      break
    }
    case 'arm': {
      const version = goAtoi(variant.replace(/^v/, ''))
      if (version !== null && version > 5) for (let v = version - 1; v >= 5; v--) vector.push(same('arm', `v${v}`))
      break
    }
    case 'arm64': {
      let armVariant = variant === '' ? 'v8' : variant
      const [majorText = '', minorText] = splitOnce(armVariant, '.')
      let major = goAtoi(majorText.replace(/^v/, ''))
      if (major !== null && major >= 8) {
        let minor = 0
        if (armVariant.length === 4 && minorText !== undefined) minor = goAtoi(minorText) ?? 0
        if (major === 9) {
          for (let m = minor - 1; m >= 0; m--) vector.push(same('arm64', m === 0 ? 'v9' : `v9.${m}`))
          // v9.x descends from v8.(x+5).
          minor += 5
          major = 8
          vector.push(same('arm64', `v8.${minor}`))
        }
        for (let m = minor - 1; m >= 0; m--) vector.push(same('arm64', m === 0 ? `v${major}` : `v${major}.${m}`))
      }
      if (armVariant.startsWith('v8.') || armVariant.startsWith('v9.')) armVariant = 'v8'
      vector.push(...platformVector(normalizePlatform({ os: platform.os, architecture: 'arm', variant: armVariant })))
      break
    }
  }
  return vector
}

/** Go's strconv.Atoi on a plain decimal: null where it would fail. */
function goAtoi(text: string): number | null {
  return /^[+-]?[0-9]+$/.test(text) ? Number.parseInt(text, 10) : null
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator)
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)]
}

/** True for a list entry that declares no platform (os and architecture both empty). */
function hasNoPlatform(image: PlatformImage): boolean {
  return image.os === '' && image.architecture === ''
}

function samePlatform(a: NormalizedPlatform, b: NormalizedPlatform): boolean {
  return a.os === b.os && a.architecture === b.architecture && a.variant === b.variant
}

/** The image a node of `wanted` would pull, and how it was chosen. */
export interface PlatformSelection {
  image: PlatformImage
  /** True when the image is for exactly the node's platform; false for a fallback or an entry without platform. */
  exact: boolean
  /** The entry of the node's preference list that matched (e.g. linux/arm/v7 on an arm64 node); null for an entry without platform. */
  matchedAs: NormalizedPlatform | null
}

/**
 * Chooses what containerd pulls on a node of `wanted` from an index's images: entries matching
 * the node's preference list (platforms.Only), best preference first and list order within it,
 * then entries that declare no platform (os and architecture both ''), which match any node.
 * An entry with an empty os is taken to be for the node's os, as containerd fills in its own.
 * Returns null when nothing matches ("no match for platform in manifest").
 */
export function selectPlatform(images: PlatformImage[], wanted: Platform): PlatformSelection | null {
  const vector = platformVector(normalizePlatform(wanted))
  let best: { image: PlatformImage; rank: number } | null = null
  for (const image of images) {
    let rank: number
    if (hasNoPlatform(image)) rank = vector.length
    else {
      const candidate = normalizePlatform({ ...image, os: image.os === '' ? wanted.os : image.os })
      rank = vector.findIndex((accepted) => samePlatform(accepted, candidate))
      if (rank === -1) continue
    }
    if (best === null || rank < best.rank) best = { image, rank }
  }
  if (best === null) return null
  return { image: best.image, exact: best.rank === 0, matchedAs: vector[best.rank] ?? null }
}

/**
 * The platforms a pod can land on. Without constraints, the configured `defaults`. With
 * `kubernetes.io/arch` / `kubernetes.io/os` constraints, the defaults they allow, plus, for each
 * allowed architecture or OS that no default has, that platform from the constraint itself (an
 * explicit architecture without an OS constraint means linux, as Windows pods must select
 * `kubernetes.io/os: windows`). An empty list of allowed values leaves no platform at all.
 */
export function podPlatforms(placement: PlacementConstraints, defaults: Platform[]): NormalizedPlatform[] {
  const configured = defaults.map(normalizePlatform)
  const architectures = placement.architectures?.map((arch) => normalizePlatform({ os: 'linux', architecture: arch })) ?? null
  const operatingSystems = placement.operatingSystems?.map(normalizeOS) ?? null
  if (architectures === null && operatingSystems === null) return unique(configured)

  // Node labels carry no variant (`arm`, never `arm/v6`), so architectures compare without it.
  const allowsArch = (platform: NormalizedPlatform): boolean =>
    architectures === null || architectures.some((arch) => arch.architecture === platform.architecture)
  const allowsOS = (platform: NormalizedPlatform): boolean => operatingSystems === null || operatingSystems.includes(platform.os)
  const result = configured.filter((platform) => allowsArch(platform) && allowsOS(platform))

  if (architectures !== null) {
    for (const arch of architectures) {
      for (const os of operatingSystems ?? [null]) {
        const covered = result.some((platform) => platform.architecture === arch.architecture && (os === null || platform.os === os))
        if (!covered) result.push({ os: os ?? 'linux', architecture: arch.architecture, variant: arch.variant })
      }
    }
  } else if (operatingSystems !== null) {
    const configuredArchitectures = unique(configured.map((platform) => ({ ...platform, os: '' })))
    const fallback = configuredArchitectures.length > 0 ? configuredArchitectures : [normalizePlatform({ os: '', architecture: 'amd64' })]
    for (const os of operatingSystems) {
      if (result.some((platform) => platform.os === os)) continue
      for (const arch of fallback) result.push({ ...arch, os })
    }
  }
  return unique(result)
}

function unique(platforms: NormalizedPlatform[]): NormalizedPlatform[] {
  const seen = new Set<string>()
  return platforms.filter((platform) => {
    const key = formatPlatform(platform)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
