// The fast path (pre-screen + fast parser) must find exactly what parsing every document with the
// `yaml` package finds: same image uses at the same positions, same secrets, same diagnostics.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseManifestText } from '../../src/documents/index.js'
import { buildInventory, kindCanMatter } from '../../src/inventory/index.js'
import { repoRoot } from '../support/node-binaries.js'

const FIXTURE_ROOTS = ['fixtures/manifests', 'fixtures/helm', 'fixtures/bad']

describe('fast path', () => {
  it.each(FIXTURE_ROOTS)('finds exactly what the reference parse finds in %s', async (root) => {
    const fast = await buildInventory({ paths: [root], cwd: repoRoot })
    const reference = await buildInventory({ paths: [root], cwd: repoRoot, strategy: 'reference' })
    expect(fast.images.length).toBeGreaterThan(0)
    expect(fast.images).toEqual(reference.images)
    expect(fast.secrets).toEqual(reference.secrets)
    expect(fast.serviceAccounts).toEqual(reference.serviceAccounts)
    expect(fast.diagnostics).toEqual(reference.diagnostics)
    expect(fast.files).toEqual(reference.files)
  })

  it('is really taken: most fixture documents are read by the fast parser or skipped by the pre-screen', async () => {
    const inventory = await buildInventory({ paths: ['fixtures/manifests', 'fixtures/helm/rendered'], cwd: repoRoot })
    let fastParsed = 0
    let skipped = 0
    let total = 0
    const skippedKinds = new Set<string>()
    for (const file of inventory.files) {
      if (file.endsWith('.json')) continue
      const text = readFileSync(path.join(repoRoot, file), 'utf8').replace(/^\uFEFF/, '')
      for (const document of parseManifestText(text, { wanted: (header) => kindCanMatter(header.apiVersion, header.kind) })) {
        total++
        if (document.skipped !== null) {
          skipped++
          skippedKinds.add(document.skipped.kind)
        } else if (document.fast) {
          fastParsed++
        }
      }
    }
    expect([...skippedKinds].sort()).toEqual(['ConfigMap', 'CustomResourceDefinition', 'Service'])
    expect(skipped).toBe(5)
    // Anchors, tags and escapes go to the full parser; plain manifests do not.
    expect(fastParsed).toBeGreaterThanOrEqual(total - skipped - 4)
  })
})
