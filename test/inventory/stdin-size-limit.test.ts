// Stdin over the size limit is refused like a file over the limit: a `too-large` diagnostic (a file
// pullcheck chose not to read), never `unreadable` (a file it failed to read). Checked in-process
// with the CLI's stdin reader on a real stream, and through the built CLI under every supported Node.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { readStdinWithin } from '../../src/cli/stdin.js'
import { InputTooLargeError } from '../../src/files/index.js'
import { buildInventory } from '../../src/inventory/index.js'
import { nodeRuntimes, repoRoot } from '../support/node-binaries.js'
import { runCli } from '../support/run-cli.js'
import { assertMatchesSchema } from '../support/schemas.js'

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: piped\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n'

/** A stream that delivers `text` in chunks of `size` bytes, as a pipe does. */
function streamOf(text: string, size = 16): Readable {
  const bytes = Buffer.from(text)
  const chunks: Buffer[] = []
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size))
  return Readable.from(chunks)
}

describe('stdin over the size limit', () => {
  it('is rejected by the stdin reader with its size, after reading it to the end', async () => {
    const error = await readStdinWithin(streamOf(POD), 100).then(
      () => null,
      (rejection: unknown) => rejection
    )
    expect(error).toBeInstanceOf(InputTooLargeError)
    expect({ size: (error as InputTooLargeError).size, limit: (error as InputTooLargeError).limit }).toEqual({ size: POD.length, limit: 100 })
    // At the limit exactly, it is read.
    expect(Buffer.from(await readStdinWithin(streamOf(POD), POD.length)).toString('utf8')).toBe(POD)
  })

  it('becomes the too-large diagnostic of the inventory, and the other paths are still read', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'pullcheck-stdin-'))
    writeFileSync(path.join(directory, 'small.yaml'), 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      image: redis:7.4\n')
    const inventory = await buildInventory({
      paths: ['-', 'small.yaml'],
      cwd: directory,
      maxFileSize: 100,
      readStdin: () => readStdinWithin(streamOf(POD), 100)
    }).finally(() => rmSync(directory, { recursive: true, force: true }))
    expect(inventory.diagnostics).toEqual([
      {
        file: '<stdin>',
        line: 1,
        code: 'too-large',
        severity: 'warning',
        message: `not read: stdin is ${POD.length} bytes, over the 100 bytes limit (--max-file-size, or maxFileSize in .pullcheck.yaml)`
      }
    ])
    expect(inventory.files).toEqual(['small.yaml'])
    expect(inventory.images.map((use) => [use.file, use.line, use.image])).toEqual([['small.yaml', 6, 'redis:7.4']])
  })

  it('is also too-large when a reader hands over more than the limit', async () => {
    const inventory = await buildInventory({ paths: ['-'], cwd: repoRoot, maxFileSize: 10, readStdin: async () => POD })
    expect(inventory.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message])).toEqual([
      ['too-large', `not read: stdin is ${POD.length} bytes, over the 10 bytes limit (--max-file-size, or maxFileSize in .pullcheck.yaml)`]
    ])
  })
})

describe.each(nodeRuntimes)('pullcheck images - over --max-file-size ($label)', ({ binary }) => {
  it('lists stdin as too-large, exits 0 and prints no stack trace', async () => {
    const run = await runCli(['images', '-', '--max-file-size', '100', '--format', 'json'], { node: binary, stdin: POD })
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' })
    const output: unknown = JSON.parse(run.stdout)
    assertMatchesSchema('images.schema.json', output)
    expect((output as { diagnostics: unknown[] }).diagnostics).toEqual([
      {
        file: '<stdin>',
        line: 1,
        code: 'too-large',
        severity: 'warning',
        message: `not read: stdin is ${POD.length} bytes, over the 100 bytes limit (--max-file-size, or maxFileSize in .pullcheck.yaml)`
      }
    ])
  })
})
