// Globs written relative to the config file must select exactly the same files once rebased onto
// the scan's cwd, however the two directories relate.
import path from 'node:path'
import picomatch from 'picomatch'
import { describe, expect, it } from 'vitest'
import { displayPath, ignoredPathMatcher, rebaseGlob } from '../../src/config/paths.js'

const files = [
  '/repo/deploy/web.yaml',
  '/repo/deploy/legacy/old.yaml',
  '/repo/deploy/legacy/deep/older.yaml',
  '/repo/deploy/app.example.yaml',
  '/repo/charts/api/rendered.yaml',
  '/repo/charts/api/values.example.yaml',
  '/repo/top.yaml',
  '/repo/x.example.yaml'
]

const patterns = [
  'deploy/legacy/**',
  '**/*.example.yaml',
  'deploy/*.yaml',
  '*.yaml',
  'charts/*/rendered.yaml',
  '**/legacy/**',
  'de*/legacy/*.yaml',
  '**'
]

/** Whether the original glob (relative to the config dir) selects the file. */
function selectedByOriginal(pattern: string, configDir: string, file: string): boolean {
  const relative = path.posix.relative(configDir, file)
  return !relative.startsWith('..') && picomatch.isMatch(relative, pattern)
}

/** Whether any rebased glob selects the file as the inventory names it (relative to cwd when below it). */
function selectedByRebased(pattern: string, configDir: string, cwd: string, file: string, nameOutside: 'relative' | 'absolute'): boolean {
  const below = !path.posix.relative(cwd, file).startsWith('..')
  const name = below || nameOutside === 'relative' ? path.posix.relative(cwd, file) : file
  return ignoredPathMatcher(rebaseGlob(pattern, configDir, cwd))(name)
}

describe('rebaseGlob', () => {
  const layouts = [
    { configDir: '/repo', cwd: '/repo' },
    { configDir: '/repo', cwd: '/repo/deploy' },
    { configDir: '/repo', cwd: '/repo/deploy/legacy' },
    { configDir: '/repo/deploy', cwd: '/repo' },
    { configDir: '/repo/charts', cwd: '/repo/deploy' }
  ]
  for (const { configDir, cwd } of layouts) {
    for (const pattern of patterns) {
      it(`${pattern} from ${configDir}, scanned in ${cwd}`, () => {
        for (const file of files) {
          const expected = selectedByOriginal(pattern, configDir, file)
          expect.soft(selectedByRebased(pattern, configDir, cwd, file, 'relative'), `${file} named relatively`).toBe(expected)
          expect.soft(selectedByRebased(pattern, configDir, cwd, file, 'absolute'), `${file} named absolutely`).toBe(expected)
        }
      })
    }
  }

  it('leaves the glob alone when the config file is in cwd', () => {
    expect(rebaseGlob('deploy/**', '/repo', '/repo')).toEqual(['deploy/**'])
  })

  it('strips the directories leading down to cwd', () => {
    expect(rebaseGlob('deploy/legacy/**', '/repo', '/repo/deploy')).toEqual(['legacy/**', '../deploy/legacy/**', '/repo/deploy/legacy/**'])
  })
})

describe('absolute globs', () => {
  it('match below cwd by relative name and elsewhere by absolute name', () => {
    const globs = rebaseGlob('/repo/deploy/**', '/repo/charts', '/repo/deploy')
    expect(ignoredPathMatcher(globs)('web.yaml')).toBe(true)
    expect(ignoredPathMatcher(globs)('/repo/deploy/web.yaml')).toBe(true)
    expect(ignoredPathMatcher(globs)('../charts/a.yaml')).toBe(false)
  })
})

describe('ignoredPathMatcher', () => {
  it('matches relative names with relative globs and absolute names with absolute globs only', () => {
    const matches = ignoredPathMatcher(['**', '/elsewhere/*.yaml'])
    expect(matches('deploy/web.yaml')).toBe(true)
    expect(matches('./deploy/web.yaml')).toBe(true)
    expect(matches('/elsewhere/a.yaml')).toBe(true)
    expect(matches('/other/a.yaml')).toBe(false)
  })

  it('matches nothing without globs', () => {
    expect(ignoredPathMatcher([])('a.yaml')).toBe(false)
  })
})

describe('displayPath', () => {
  it('is relative below cwd and absolute elsewhere', () => {
    expect(displayPath('/repo/a/.pullcheck.yaml', '/repo')).toBe('a/.pullcheck.yaml')
    expect(displayPath('/other/.pullcheck.yaml', '/repo')).toBe('/other/.pullcheck.yaml')
  })
})
