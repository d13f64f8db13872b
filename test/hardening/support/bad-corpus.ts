// The bad-input corpus: what each committed file under fixtures/bad/ must yield (the diagnostics by
// code and line, the image uses that are still read), and the cases that are generated at test time
// because they are too large, too many or not storable in git (a 200 MB file, 10 000 files, symlink
// loops, a broken symlink, a directory named like a manifest, a megabyte-long image reference).
import { mkdir, open, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { DiagnosticCode } from '../../../src/model.js'

/** What the inventory must say about one committed file. */
export interface BadCase {
  /** Diagnostics as `[code, line]`, in file order. */
  diagnostics: Array<[DiagnosticCode, number]>
  /** Image uses still read, as `[line, valid]` (valid: a parseable reference, templated or not). */
  images: Array<[number, boolean]>
}

/** Every committed file of fixtures/bad/ and what it must yield. A file missing here fails the test. */
export const COMMITTED_CASES: Record<string, BadCase> = {
  // Billion laughs over sequences and over mappings: refused at the anchor that overflows, the next document read.
  'alias-bomb.yaml': { diagnostics: [['alias-limit', 13]], images: [[27, true]] },
  'alias-bomb-mappings.yaml': { diagnostics: [['alias-limit', 11]], images: [[27, true]] },
  'binary.yaml': { diagnostics: [['binary-file', 3]], images: [] },
  'binary-gzip.yaml': { diagnostics: [['binary-file', 1]], images: [] },
  'binary-without-nul.yaml': { diagnostics: [['not-utf8', 1]], images: [] },
  'broken-stream.json': { diagnostics: [['yaml-syntax', 3]], images: [[1, true]] },
  'control-characters.yaml': { diagnostics: [], images: [[9, false], [11, false], [13, false]] },
  'control-characters-escapes.yaml': { diagnostics: [], images: [[9, false], [11, false], [13, false], [15, false], [17, false], [19, false], [21, false]] },
  'deep-nesting.yaml': { diagnostics: [['too-deep', 6]], images: [[18, true]] },
  'deep-nesting-mappings.yaml': { diagnostics: [['too-deep', 15]], images: [[8, true], [24, true]] },
  // 400 levels of block mappings: refused where the depth limit is reached, the next document read.
  'deep-nesting-block.yaml': { diagnostics: [['too-deep', 205]], images: [[414, true]] },
  // The later key wins, as in kubectl: the second `containers` list replaces the first.
  'duplicate-keys.yaml': { diagnostics: [['duplicate-key', 9], ['duplicate-key', 10]], images: [[12, true]] },
  'empty.yaml': { diagnostics: [], images: [] },
  'only-comments.yaml': { diagnostics: [], images: [] },
  'only-document-markers.yaml': { diagnostics: [], images: [] },
  // Concatenated JSON objects, one spread over two lines; a top-level array is not an object.
  'json-stream.json': { diagnostics: [], images: [[1, true], [3, true]] },
  'json-truncated.json': { diagnostics: [['yaml-syntax', 1]], images: [] },
  'json-wrong-types.json': { diagnostics: [['invalid-image-value', 1], ['invalid-image-value', 1], ['invalid-image-value', 1]], images: [[1, true]] },
  'latin1.yaml': { diagnostics: [['not-utf8', 3]], images: [] },
  'long-reference.yaml': { diagnostics: [], images: [[8, false]] },
  // Tags are at most 128 characters.
  'long-tag.yaml': { diagnostics: [], images: [[8, false], [17, true]] },
  'syntax-bad-directive.yaml': { diagnostics: [], images: [[10, true]] },
  'syntax-bad-escape.yaml': { diagnostics: [['yaml-syntax', 8]], images: [[17, true]] },
  'syntax-bad-indentation.yaml': { diagnostics: [['yaml-syntax', 9]], images: [[18, true]] },
  'syntax-crlf.yaml': { diagnostics: [['yaml-syntax', 15]], images: [[8, true], [24, true]] },
  'syntax-duplicate-anchor-and-tag.yaml': { diagnostics: [['invalid-image-value', 8], ['invalid-image-value', 12]], images: [[10, false]] },
  'syntax-error-in-third-document.yaml': { diagnostics: [['yaml-syntax', 26]], images: [[8, true], [17, true], [36, true]] },
  'syntax-errors-in-skipped-kinds.yaml': { diagnostics: [['yaml-syntax', 20], ['yaml-syntax', 62], ['yaml-syntax', 80], ['unrendered-template', 88]], images: [[38, true], [112, true]] },
  'syntax-mapping-value-in-plain-scalar.yaml': { diagnostics: [['yaml-syntax', 8]], images: [[17, true]] },
  'syntax-stray-closing-bracket.yaml': { diagnostics: [['yaml-syntax', 6]], images: [[15, true]] },
  'syntax-unclosed-flow-mapping.yaml': { diagnostics: [['yaml-syntax', 13]], images: [[8, true], [25, true]] },
  'syntax-unclosed-single-quote.yaml': { diagnostics: [['yaml-syntax', 17]], images: [[8, true]] },
  'syntax-undefined-alias.yaml': { diagnostics: [['yaml-syntax', 8]], images: [[17, true]] },
  'tabs.yaml': { diagnostics: [['yaml-syntax', 4]], images: [] },
  // Tabs after a colon are separation, not indentation: only the second document is broken.
  'tabs-in-flow-and-values.yaml': { diagnostics: [['yaml-syntax', 15]], images: [[8, true]] },
  'template-go-control.yaml': { diagnostics: [['unrendered-template', 1]], images: [] },
  'template-helm-values.yaml': { diagnostics: [['unrendered-template', 10]], images: [] },
  'template-placeholders.yaml': {
    diagnostics: [['templated-image', 8], ['templated-image', 10], ['templated-image', 12], ['templated-image', 14]],
    images: [[8, true], [10, true], [12, true], [14, true], [16, true]]
  },
  'unrendered-template.yaml': { diagnostics: [['unrendered-template', 5]], images: [] },
  'utf16.yaml': { diagnostics: [['not-utf8', 1]], images: [] },
  'utf8-bom-and-crlf.yaml': { diagnostics: [], images: [[8, true]] },
  'utf8-overlong.yaml': { diagnostics: [['not-utf8', 6]], images: [] },
  'utf8-surrogate.yaml': { diagnostics: [['not-utf8', 6]], images: [] },
  'utf8-truncated-at-end.yaml': { diagnostics: [['not-utf8', 9]], images: [] },
  'wrong-image-types.yaml': {
    diagnostics: [
      ['invalid-image-value', 9],
      ['invalid-image-value', 11],
      ['invalid-image-value', 13],
      ['invalid-image-value', 15],
      ['invalid-image-value', 17],
      ['invalid-image-value', 20],
      ['invalid-image-value', 23],
      ['invalid-image-value', 25]
    ],
    images: [[27, true]]
  },
  // Container lists given as maps or scalars, containers written as strings or lists, `spec` of the
  // wrong shape: one invalid-pod-spec each. A Deployment without template.spec, a null `containers`
  // and a null list item are not shape errors. A List's non-object items are skipped without a word.
  'wrong-shapes.yaml': {
    diagnostics: [
      ['invalid-pod-spec', 7],
      ['invalid-pod-spec', 16],
      ['invalid-pod-spec', 17],
      ['invalid-pod-spec', 23],
      ['invalid-image-value', 46],
      ['invalid-image-value', 48],
      ['invalid-image-value', 50],
      ['invalid-image-value', 52],
      ['invalid-pod-spec', 59],
      ['invalid-pod-spec', 61],
      ['invalid-pod-spec', 67],
      ['invalid-pod-spec', 74],
      ['invalid-pod-spec', 102],
      ['invalid-pod-spec', 111],
      ['invalid-pod-spec', 113],
      ['invalid-pod-spec', 126],
      ['invalid-pod-spec', 129]
    ],
    images: [[37, true], [64, true], [117, true]]
  }
}

/** Size of the generated oversized file. */
export const HUGE_FILE_BYTES = 200 * 1024 * 1024

/** A file name with a line break, a workflow command and a legacy `##[` command in it. */
export const EVIL_FILE_NAME = 'evil\n::error file=a.yaml,line=1::from-a-file-name ##[warning]legacy.yaml'

/** What each generated case must yield, by path relative to the workspace. */
export const GENERATED_CASES: Record<string, BadCase> = {
  'generated/huge.yaml': { diagnostics: [['too-large', 1]], images: [] },
  'generated/loop-a.yaml': { diagnostics: [['unreadable', 1]], images: [] },
  'generated/loop-b.yaml': { diagnostics: [['unreadable', 1]], images: [] },
  'generated/broken-link.yaml': { diagnostics: [['unreadable', 1]], images: [] },
  'generated/cycle/up': { diagnostics: [['unreadable', 1]], images: [] },
  // A directory named like a manifest is walked like any directory: the manifest inside is read.
  'generated/x.yaml/inside.yaml': { diagnostics: [], images: [[8, true]] },
  'generated/long-single-line.yaml': { diagnostics: [], images: [[8, false]] },
  // A file name is PR-controlled too: a line break and workflow-command text in it must stay inert.
  [`generated/${EVIL_FILE_NAME}`]: { diagnostics: [], images: [[8, true]] }
}

function pod(name: string, image: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: app\n      image: ${image}\n`
}

/** Writes a valid manifest stream of exactly `bytes` bytes without holding it in memory. */
async function writeHugeFile(file: string, bytes: number): Promise<void> {
  const handle = await open(file, 'w')
  try {
    const chunk = Buffer.from(Array.from({ length: 2000 }, (_, index) => `---\n${pod(`pod-${index}`, 'nginx:1.27')}`).join(''))
    let written = 0
    while (written + chunk.length <= bytes) {
      await handle.write(chunk)
      written += chunk.length
    }
    await handle.write(Buffer.alloc(bytes - written, '#'))
  } finally {
    await handle.close()
  }
}

/** Creates the generated cases under `<workspace>/generated`. */
export async function writeGeneratedCases(workspace: string): Promise<void> {
  const dir = path.join(workspace, 'generated')
  await mkdir(path.join(dir, 'x.yaml'), { recursive: true })
  await mkdir(path.join(dir, 'cycle'), { recursive: true })
  await writeHugeFile(path.join(dir, 'huge.yaml'), HUGE_FILE_BYTES)
  await symlink('loop-b.yaml', path.join(dir, 'loop-a.yaml'))
  await symlink('loop-a.yaml', path.join(dir, 'loop-b.yaml'))
  await symlink('nowhere.yaml', path.join(dir, 'broken-link.yaml'))
  // A directory symlink to its own parent: walking it would never end.
  await symlink('..', path.join(dir, 'cycle', 'up'))
  await writeFile(path.join(dir, 'x.yaml', 'inside.yaml'), pod('inside', 'nginx:1.27'))
  await writeFile(path.join(dir, EVIL_FILE_NAME), pod('evil-name', 'nginx:1.27'))
  await writeFile(path.join(dir, 'long-single-line.yaml'), pod('megabyte', `registry.example.com/app:${'v'.repeat(1_000_000)}`))
}

/** Writes `count` one-Pod files, `tags[i % tags.length]` as each one's image, in 100 directories. */
export async function writeManyTinyFiles(root: string, count: number, images: readonly string[]): Promise<void> {
  for (let start = 0; start < count; start += 100) {
    const dir = path.join(root, `d${String(start / 100).padStart(3, '0')}`)
    await mkdir(dir, { recursive: true })
    await Promise.all(
      Array.from({ length: Math.min(100, count - start) }, (_, offset) => {
        const index = start + offset
        return writeFile(path.join(dir, `p${index}.yaml`), pod(`p${index}`, images[index % images.length]!))
      })
    )
  }
}
