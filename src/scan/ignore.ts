// Configuration `ignore`: image uses and files the user chose not to check. Image globs are matched
// against the image as written and against its canonical form; path globs against the file path as
// the inventory names it (relative to the scan's working directory, absolute outside it), with the
// config module's matcher so that a relative glob never matches a file outside cwd.
import picomatch from 'picomatch'
import { ignoredPathMatcher } from '../config/paths.js'
import type { ScanConfig } from '../config/types.js'
import type { ImageUse } from '../model.js'

/** Answers whether an image use or a file is left unchecked by `ignore`. */
export interface IgnoreMatcher {
  /** True when the image use is not to be checked (by its image or its file). */
  image(use: ImageUse): boolean
  /** True when the file is not to be checked. */
  path(file: string): boolean
}

/** Compiles the configured globs once per scan. */
export function ignoreMatcher(ignore: ScanConfig['ignore']): IgnoreMatcher {
  const imageMatches = ignore.images.length === 0 ? (): boolean => false : picomatch(ignore.images, { dot: true })
  const pathMatches = ignoredPathMatcher(ignore.paths)
  return {
    image: (use) => pathMatches(use.file) || imageMatches(use.image) || (use.reference !== null && imageMatches(use.reference.canonical)),
    path: pathMatches
  }
}
