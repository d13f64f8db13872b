import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: plain JavaScript build script without type declarations
import { staleDistFiles } from '../scripts/build.mjs'
import { VERSION } from '../src/version.js'
import { repoRoot } from './support/node-binaries.js'

describe('project', () => {
  it('commits dist/ as the exact build of src/', async () => {
    expect(await staleDistFiles()).toEqual([])
  })

  it('reports the version of package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }
    expect(VERSION).toBe(pkg.version)
  })
})
