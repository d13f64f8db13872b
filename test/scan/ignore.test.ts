// Configuration `ignore`: path globs match files as the inventory names them — relative globs only
// relative names, absolute globs (a config file's globs rebased for files outside cwd) only
// absolute ones — and image globs match the image as written or its canonical form.
import { describe, expect, it } from 'vitest'
import type { ImageUse } from '../../src/model.js'
import { parseReference } from '../../src/reference/index.js'
import { ignoreMatcher } from '../../src/scan/ignore.js'
import { anImage } from '../action/builders.js'

function use(file: string, image: string): ImageUse {
  const parsed = parseReference(image)
  return anImage({ file, image, reference: parsed.ok ? parsed.reference : null })
}

describe('ignoreMatcher', () => {
  it('does not let a relative ** glob match a file outside cwd', () => {
    const ignored = ignoreMatcher({ images: [], paths: ['**/generated.yaml'] })
    expect(ignored.path('deploy/generated.yaml')).toBe(true)
    expect(ignored.path('generated.yaml')).toBe(true)
    expect(ignored.path('/srv/elsewhere/generated.yaml')).toBe(false)
    expect(ignored.image(use('/srv/elsewhere/generated.yaml', 'nginx:1.27'))).toBe(false)
    expect(ignored.image(use('deploy/generated.yaml', 'nginx:1.27'))).toBe(true)
  })

  it('matches absolute globs against files outside cwd only', () => {
    const ignored = ignoreMatcher({ images: [], paths: ['/srv/shared/vendor/**'] })
    expect(ignored.path('/srv/shared/vendor/a.yaml')).toBe(true)
    expect(ignored.path('/srv/shared/apps/a.yaml')).toBe(false)
    expect(ignored.path('vendor/a.yaml')).toBe(false)
  })

  it('matches image globs against the image as written and its canonical form', () => {
    const ignored = ignoreMatcher({ images: ['nginx:*', 'docker.io/library/redis:*'], paths: [] })
    expect(ignored.image(use('a.yaml', 'nginx:1.27'))).toBe(true)
    expect(ignored.image(use('a.yaml', 'redis:7'))).toBe(true)
    expect(ignored.image(use('a.yaml', 'ghcr.io/acme/nginx:1.27'))).toBe(false)
  })
})
