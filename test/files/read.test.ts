// Reading files: the size limit is checked before reading (a 200 MB file is never loaded), and
// bytes that are not UTF-8 manifest text are refused with the line where they show.
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeManifestBytes, readManifestFile, type DiscoveredFile } from '../../src/files/index.js'

let root = ''
const fileAt = (name: string): DiscoveredFile => ({ path: name, absolutePath: path.join(root, name), explicit: true })
const limit = { maxFileSize: 50 * 1024 * 1024 }

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'pullcheck-read-'))
  writeFileSync(path.join(root, 'huge.yaml'), '')
  // Sparse: 200 MB by stat, no disk used; reading it would take 200 MB of memory.
  truncateSync(path.join(root, 'huge.yaml'), 200 * 1024 * 1024)
  writeFileSync(path.join(root, 'small.yaml'), 'kind: Pod\n')
  mkdirSync(path.join(root, 'dir.yaml'))
})

afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

describe('readManifestFile', () => {
  it('refuses a file over the limit from its size alone, without reading it', async () => {
    const before = process.memoryUsage().rss
    const result = await readManifestFile(fileAt('huge.yaml'), limit)
    expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024)
    expect(result).toEqual({
      ok: false,
      diagnostic: {
        file: 'huge.yaml',
        line: 1,
        code: 'too-large',
        severity: 'warning',
        message: 'not read: the file is 200 MiB, over the 50 MiB limit (--max-file-size, or maxFileSize in .pullcheck.yaml)'
      }
    })
  })

  it('applies a configured limit', async () => {
    const result = await readManifestFile(fileAt('small.yaml'), { maxFileSize: 5 })
    expect(result.ok ? null : result.diagnostic.message).toBe(
      'not read: the file is 10 bytes, over the 5 bytes limit (--max-file-size, or maxFileSize in .pullcheck.yaml)'
    )
    expect(await readManifestFile(fileAt('small.yaml'), { maxFileSize: 10 })).toEqual({ ok: true, text: 'kind: Pod\n' })
  })

  it('refuses a directory and a missing file with a diagnostic', async () => {
    expect(await readManifestFile(fileAt('dir.yaml'), limit)).toEqual({
      ok: false,
      diagnostic: { file: 'dir.yaml', line: 1, code: 'unreadable', severity: 'error', message: 'cannot read: it is a directory, not a file' }
    })
    const missing = await readManifestFile(fileAt('gone.yaml'), limit)
    expect(missing.ok ? null : missing.diagnostic.code).toBe('unreadable')
  })

  it('reads stdin as text or bytes, and never rejects when stdin fails', async () => {
    const stdin: DiscoveredFile = { path: '<stdin>', absolutePath: null, explicit: true }
    expect(await readManifestFile(stdin, { ...limit, readStdin: async () => 'kind: Pod\n' })).toEqual({ ok: true, text: 'kind: Pod\n' })
    expect(await readManifestFile(stdin, { ...limit, readStdin: async () => Buffer.from([0xef, 0xbb, 0xbf, 0x61]) })).toEqual({ ok: true, text: 'a' })
    const failed = await readManifestFile(stdin, { ...limit, readStdin: () => Promise.reject(new Error('EPIPE')) })
    expect(failed.ok ? null : failed.diagnostic.message).toBe('cannot read stdin: EPIPE')
  })
})

describe('decodeManifestBytes', () => {
  it('drops a UTF-8 byte-order mark', () => {
    expect(decodeManifestBytes('x', Buffer.from('\ufeffa: 1\n', 'utf8'))).toEqual({ ok: true, text: 'a: 1\n' })
  })

  it('finds the first invalid UTF-8 byte after valid multi-byte characters', () => {
    const bytes = Buffer.concat([Buffer.from('a: é\nb: 日本\nc: ok \u{1F600} ', 'utf8'), Buffer.from([0xc3, 0x28])])
    expect(decodeManifestBytes('x.yaml', bytes)).toEqual({
      ok: false,
      diagnostic: {
        file: 'x.yaml',
        line: 3,
        column: 12,
        code: 'not-utf8',
        severity: 'error',
        message: 'not read: the file is not UTF-8 text (byte 0xC3 at line 3, column 12); manifests must be UTF-8'
      }
    })
  })

  it('refuses a truncated multi-byte character at the end', () => {
    const result = decodeManifestBytes('x.yaml', Buffer.from([0x61, 0x0a, 0xe6, 0x97]))
    expect(result.ok ? null : [result.diagnostic.line, result.diagnostic.column]).toEqual([2, 1])
  })

  it('refuses NUL bytes as binary, at their line', () => {
    const result = decodeManifestBytes('x.yaml', Buffer.from('a: 1\nb: 2\n\u0000', 'utf8'))
    expect(result.ok ? null : [result.diagnostic.code, result.diagnostic.line]).toEqual(['binary-file', 3])
  })
})
