// "Did you mean …?": nearest tags, the closest repository used elsewhere, and the short name that
// silently resolved to Docker Hub while the rest of the files use another registry.
import { describe, expect, it } from 'vitest'
import type { ImageReference } from '../../src/model.js'
import { closestRepository, dockerHubSurprise, nearestTags } from '../../src/scan/suggest.js'
import type { ScanPicture } from '../../src/rules/types.js'

function reference(registry: string, repository: string, implied: ImageReference['implied'] = []): ImageReference {
  return { input: `${registry}/${repository}`, registry, repository, tag: '1', digest: null, canonical: `${registry}/${repository}:1`, implied }
}

function picture(entries: Array<[string, number]>): ScanPicture {
  const repositories = new Map(entries)
  const registries = new Map<string, number>()
  for (const [key, uses] of entries) {
    const registry = key.split('/')[0]!
    registries.set(registry, (registries.get(registry) ?? 0) + uses)
  }
  return { repositories, registries }
}

describe('nearestTags', () => {
  it('suggests the nearest tags, newest first among equals', () => {
    expect(nearestTags('v2.0.1', ['v1.0.0', 'v2.0.0', 'v2.0.2', 'latest', 'v3.1.0'])).toEqual(['v2.0.2', 'v2.0.0', 'v1.0.0'])
  })

  it('suggests nothing when no tag is a plausible typo', () => {
    expect(nearestTags('v2.0.1', ['latest', 'stable', 'edge-20240101'])).toEqual([])
  })
})

describe('closestRepository', () => {
  const used = picture([
    ['127.0.0.1:5000/team/web', 3],
    ['127.0.0.1:5000/team/worker', 1],
    ['ghcr.io/acme/api', 2]
  ])

  it('finds a typo of a repository used elsewhere', () => {
    expect(closestRepository(reference('127.0.0.1:5000', 'team/wbe'), used)).toBe('127.0.0.1:5000/team/web')
  })

  it('suggests nothing for a name far from everything', () => {
    expect(closestRepository(reference('127.0.0.1:5000', 'billing/ledger-exporter'), used)).toBeNull()
  })
})

describe('dockerHubSurprise', () => {
  const used = picture([
    ['127.0.0.1:5000/team/web', 3],
    ['127.0.0.1:5000/team/api', 2],
    ['docker.io/library/web', 1]
  ])

  it('says when a short name resolved to Docker Hub while the rest uses another registry', () => {
    expect(dockerHubSurprise(reference('docker.io', 'library/web', ['registry', 'library']), used)).toEqual({
      registry: '127.0.0.1:5000',
      uses: 5,
      candidate: '127.0.0.1:5000/team/web'
    })
  })

  it('stays quiet when the registry was written out', () => {
    expect(dockerHubSurprise(reference('docker.io', 'library/web'), used)).toBeNull()
  })

  it('stays quiet when Docker Hub is what the files mostly use', () => {
    const hubMostly = picture([
      ['docker.io/library/web', 4],
      ['127.0.0.1:5000/team/api', 1]
    ])
    expect(dockerHubSurprise(reference('docker.io', 'library/web', ['registry', 'library']), hubMostly)).toBeNull()
  })
})
