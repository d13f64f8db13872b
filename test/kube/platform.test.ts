// containerd's platform rules as tables: parsing and normalising `os/arch[/variant]`
// (containerd/platforms database.go and its tests), which image a node pulls from an index
// (compare.go `Only()`), and the platforms a pod's placement constraints allow.
import { describe, expect, it } from 'vitest'
import { ConfigurationError } from '../../src/errors.js'
import {
  formatPlatform,
  isKnownPlatform,
  normalizePlatform,
  parsePlatform,
  podPlatforms,
  selectPlatform,
  type NormalizedPlatform
} from '../../src/kube/platform.js'
import type { PlacementConstraints, PlatformImage } from '../../src/model.js'

function platform(text: string): NormalizedPlatform {
  const [os = '', architecture = '', variant = null] = text.split('/')
  return { os, architecture, variant }
}

/** A list entry named after its platform, so that tests can say which one was chosen. */
function image(text: string, size: number | null = 1000): PlatformImage {
  const [os = '', architecture = '', variant = null] = text === 'none' ? ['', ''] : text.split('/')
  return { os, architecture, variant, digest: `sha256:${text}`, size }
}

function format(platforms: NormalizedPlatform[]): string[] {
  return platforms.map(formatPlatform)
}

describe('parsePlatform', () => {
  // prettier-ignore
  const cases: Array<[string, string]> = [
    ['linux/amd64', 'linux/amd64'],
    ['Linux/AMD64', 'linux/amd64'],
    ['linux/x86_64', 'linux/amd64'],
    ['linux/x86-64', 'linux/amd64'],
    ['linux/amd64/v1', 'linux/amd64'],
    ['linux/amd64/v3', 'linux/amd64/v3'],
    ['linux/i386', 'linux/386'],
    ['linux/aarch64', 'linux/arm64'],
    ['linux/arm64/v8', 'linux/arm64'],
    ['linux/arm64/8', 'linux/arm64'],
    ['linux/arm64/v8.2', 'linux/arm64/v8.2'],
    ['linux/arm64/v9', 'linux/arm64/v9'],
    ['linux/arm', 'linux/arm/v7'],
    ['linux/arm/7', 'linux/arm/v7'],
    ['linux/arm/v6', 'linux/arm/v6'],
    ['linux/arm/5', 'linux/arm/v5'],
    ['linux/armhf', 'linux/arm/v7'],
    ['linux/armel', 'linux/arm/v6'],
    ['macos/arm64', 'darwin/arm64'],
    ['windows/amd64', 'windows/amd64'],
    ['linux/ppc64le', 'linux/ppc64le'],
    ['linux/s390x', 'linux/s390x'],
    ['linux/riscv64', 'linux/riscv64']
  ]
  it.each(cases)('%s → %s', (text, expected) => {
    expect(formatPlatform(parsePlatform(text))).toBe(expected)
  })

  it('returns the normalised parts, variant null when there is none', () => {
    expect(parsePlatform('linux/aarch64/v8')).toEqual({ os: 'linux', architecture: 'arm64', variant: null })
    expect(parsePlatform('linux/armhf')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' })
  })

  // prettier-ignore
  const errors: Array<[string, string]> = [
    ['amd64', 'expected os/arch[/variant], such as linux/amd64, linux/arm64 or linux/arm/v7; got "amd64"'],
    ['linux/arm/v7/extra', 'expected os/arch[/variant], such as linux/amd64, linux/arm64 or linux/arm/v7; got "linux/arm/v7/extra"'],
    ['linux/', 'expected os/arch[/variant], such as linux/amd64, linux/arm64 or linux/arm/v7, each part made of letters, digits, "_", "-" (and "." in arch and variant); got "linux/"'],
    ['linux/amd 64', 'expected os/arch[/variant], such as linux/amd64, linux/arm64 or linux/arm/v7, each part made of letters, digits, "_", "-" (and "." in arch and variant); got "linux/amd 64"'],
    ['linux/amd46', 'unknown architecture "amd46" in "linux/amd46" (did you mean amd64?); expected os/arch[/variant], such as linux/amd64, linux/arm64 or linux/arm/v7'],
    ['linus/amd64', 'unknown operating system "linus" in "linus/amd64" (did you mean linux?); expected os/arch[/variant], such as linux/amd64, linux/arm64 or linux/arm/v7'],
    ['linux/arch64', 'unknown architecture "arch64" in "linux/arch64" (did you mean aarch64?); expected os/arch[/variant], such as linux/amd64, linux/arm64 or linux/arm/v7']
  ]
  it.each(errors)('rejects %s', (text, message) => {
    let caught: unknown
    try {
      parsePlatform(text, 'platforms[1]')
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ConfigurationError)
    expect((caught as ConfigurationError).key).toBe('platforms[1]')
    expect((caught as ConfigurationError).message).toBe(`platforms[1]: ${message}`)
  })

  it('names --platform when no key is given', () => {
    expect(() => parsePlatform('arm64')).toThrow(/^--platform: expected os\/arch/)
  })
})

describe('normalizePlatform and formatPlatform', () => {
  it('normalises both sides the way containerd compares them', () => {
    expect(normalizePlatform({ os: 'Linux', architecture: 'AArch64', variant: '8' })).toEqual({ os: 'linux', architecture: 'arm64', variant: null })
    expect(normalizePlatform({ os: 'linux', architecture: 'arm', variant: null })).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' })
    expect(normalizePlatform({ os: 'linux', architecture: 'arm', variant: '6' })).toEqual({ os: 'linux', architecture: 'arm', variant: 'v6' })
    expect(normalizePlatform({ os: 'linux', architecture: 'i386', variant: 'v5' })).toEqual({ os: 'linux', architecture: '386', variant: null })
    expect(normalizePlatform({ os: 'linux', architecture: 'riscv64', variant: 'rva22u64' })).toEqual({ os: 'linux', architecture: 'riscv64', variant: 'rva22u64' })
  })

  it('writes os/arch and the variant only when there is one', () => {
    expect(formatPlatform({ os: 'linux', architecture: 'arm', variant: 'v7' })).toBe('linux/arm/v7')
    expect(formatPlatform({ os: 'linux', architecture: 'amd64', variant: null })).toBe('linux/amd64')
    expect(formatPlatform({ os: 'linux', architecture: 'amd64' })).toBe('linux/amd64')
    expect(formatPlatform({ os: 'linux', architecture: 'amd64', variant: '' })).toBe('linux/amd64')
  })

  it('knows which platforms exist', () => {
    expect(isKnownPlatform({ os: 'linux', architecture: 'x86_64' })).toBe(true)
    expect(isKnownPlatform({ os: 'unknown', architecture: 'unknown' })).toBe(false)
    expect(isKnownPlatform({ os: 'linux', architecture: 'amd46' })).toBe(false)
  })
})

describe('selectPlatform', () => {
  // [node, entries of the index in order, chosen entry or null, exact, matched as]
  // prettier-ignore
  const cases: Array<[string, string[], string | null, boolean, string | null]> = [
    ['linux/amd64', ['linux/amd64', 'linux/arm64'], 'linux/amd64', true, 'linux/amd64'],
    ['linux/amd64', ['linux/arm64', 'linux/amd64'], 'linux/amd64', true, 'linux/amd64'],
    ['linux/amd64', ['linux/386'], 'linux/386', false, 'linux/386'],
    ['linux/amd64', ['linux/386', 'linux/amd64'], 'linux/amd64', true, 'linux/amd64'],
    ['linux/amd64', ['linux/amd64/v2', 'linux/amd64/v3'], null, false, null],
    ['linux/amd64', ['linux/amd64/v1'], 'linux/amd64/v1', true, 'linux/amd64'],
    ['linux/amd64', ['linux/x86_64'], 'linux/x86_64', true, 'linux/amd64'],
    ['linux/amd64/v3', ['linux/amd64/v2', 'linux/amd64'], 'linux/amd64/v2', false, 'linux/amd64/v2'],
    ['linux/amd64/v3', ['linux/386', 'linux/amd64'], 'linux/amd64', false, 'linux/amd64'],
    ['linux/arm64', ['linux/arm64/v8'], 'linux/arm64/v8', true, 'linux/arm64'],
    ['linux/arm64/v8', ['linux/arm64'], 'linux/arm64', true, 'linux/arm64'],
    ['linux/arm64', ['linux/amd64', 'linux/arm/v7'], 'linux/arm/v7', false, 'linux/arm/v7'],
    ['linux/arm64', ['linux/arm/v6', 'linux/arm/v7'], 'linux/arm/v7', false, 'linux/arm/v7'],
    ['linux/arm64', ['linux/arm/v7', 'linux/arm/v8'], 'linux/arm/v8', false, 'linux/arm/v8'],
    ['linux/arm64', ['linux/arm/v5'], 'linux/arm/v5', false, 'linux/arm/v5'],
    ['linux/arm64', ['linux/arm'], 'linux/arm', false, 'linux/arm/v7'],
    ['linux/arm64', ['linux/arm64/v8.2'], null, false, null],
    ['linux/arm64/v8.2', ['linux/arm64/v8.1', 'linux/arm64'], 'linux/arm64/v8.1', false, 'linux/arm64/v8.1'],
    ['linux/arm64/v8.2', ['linux/arm64'], 'linux/arm64', false, 'linux/arm64'],
    ['linux/arm64/v9', ['linux/arm64/v8.5', 'linux/arm64'], 'linux/arm64/v8.5', false, 'linux/arm64/v8.5'],
    ['linux/arm/v7', ['linux/arm/v6'], 'linux/arm/v6', false, 'linux/arm/v6'],
    ['linux/arm/v7', ['linux/arm/v8'], null, false, null],
    ['linux/arm/v7', ['linux/arm'], 'linux/arm', true, 'linux/arm/v7'],
    ['linux/arm/v7', ['linux/arm64'], null, false, null],
    ['linux/arm/v6', ['linux/arm/v7', 'linux/arm/v5'], 'linux/arm/v5', false, 'linux/arm/v5'],
    ['linux/amd64', ['unknown/unknown'], null, false, null],
    ['windows/amd64', ['linux/amd64'], null, false, null],
    ['linux/ppc64le', ['linux/amd64', 'linux/ppc64le'], 'linux/ppc64le', true, 'linux/ppc64le'],
    ['linux/s390x', ['linux/amd64', 'linux/arm64'], null, false, null],
    ['linux/amd64', ['none'], 'none', false, null],
    ['linux/amd64', ['none', 'linux/amd64'], 'linux/amd64', true, 'linux/amd64'],
    ['linux/amd64', ['none', 'linux/386'], 'linux/386', false, 'linux/386'],
    ['linux/amd64', ['/amd64'], '/amd64', true, 'linux/amd64'],
    ['linux/amd64', [], null, false, null]
  ]

  it.each(cases)('on a %s node, %j → %s', (node, entries, chosen, exact, matchedAs) => {
    const selection = selectPlatform(entries.map((entry) => image(entry)), platform(node))
    if (chosen === null) {
      expect(selection).toBeNull()
      return
    }
    expect(selection?.image.digest).toBe(`sha256:${chosen}`)
    expect(selection?.exact).toBe(exact)
    expect(selection?.matchedAs === null || selection?.matchedAs === undefined ? null : formatPlatform(selection.matchedAs)).toBe(matchedAs)
  })

  it('takes the first of equally good entries, and returns its size', () => {
    const first = { ...image('linux/amd64', 2_000_000_000), digest: 'sha256:first' }
    const second = { ...image('linux/amd64', 10), digest: 'sha256:second' }
    const selection = selectPlatform([image('linux/arm64', 5), first, second], { os: 'linux', architecture: 'amd64' })
    expect(selection).toEqual({ image: first, exact: true, matchedAs: { os: 'linux', architecture: 'amd64', variant: null } })
  })
})

describe('podPlatforms', () => {
  const defaults = [platform('linux/amd64'), platform('linux/arm64')]

  // [architectures, operating systems, configured defaults, platforms the pod can land on]
  // prettier-ignore
  const cases: Array<[PlacementConstraints['architectures'], PlacementConstraints['operatingSystems'], string[], string[]]> = [
    [null, null, ['linux/amd64', 'linux/arm64'], ['linux/amd64', 'linux/arm64']],
    [null, null, ['linux/amd64', 'linux/x86_64', 'linux/arm/v7', 'linux/arm'], ['linux/amd64', 'linux/arm/v7']],
    [null, null, [], []],
    [['arm64'], null, ['linux/amd64', 'linux/arm64'], ['linux/arm64']],
    [['arm64'], null, ['linux/amd64'], ['linux/arm64']],
    [['aarch64'], null, ['linux/amd64'], ['linux/arm64']],
    [['amd64', 'arm64'], null, ['linux/amd64'], ['linux/amd64', 'linux/arm64']],
    [['arm'], null, ['linux/amd64'], ['linux/arm/v7']],
    [['arm'], null, ['linux/arm/v6', 'linux/amd64'], ['linux/arm/v6']],
    [['amd64'], null, ['windows/amd64'], ['windows/amd64']],
    [null, ['linux'], ['linux/amd64', 'windows/amd64'], ['linux/amd64']],
    [null, ['windows'], ['linux/amd64', 'linux/arm64'], ['windows/amd64', 'windows/arm64']],
    [null, ['windows'], [], ['windows/amd64']],
    [['amd64'], ['windows'], ['linux/amd64'], ['windows/amd64']],
    [['amd64'], ['linux', 'windows'], ['linux/amd64'], ['linux/amd64', 'windows/amd64']],
    [['arm64'], ['linux'], ['linux/amd64', 'linux/arm64/v8'], ['linux/arm64']],
    [[], null, ['linux/amd64'], []],
    [null, [], ['linux/amd64'], []]
  ]

  it.each(cases)('arch %j, os %j, defaults %j → %j', (architectures, operatingSystems, configured, expected) => {
    expect(format(podPlatforms({ architectures, operatingSystems }, configured.map(platform)))).toEqual(expected)
  })

  it('returns normalised platforms that selectPlatform accepts', () => {
    const [only] = podPlatforms({ architectures: ['arm64'], operatingSystems: null }, defaults)
    expect(only).toEqual({ os: 'linux', architecture: 'arm64', variant: null })
    expect(selectPlatform([image('linux/arm64/v8')], only ?? platform('linux/amd64'))?.exact).toBe(true)
  })
})
