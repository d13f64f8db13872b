// Reads a discovered file into text, refusing what is not a manifest before it costs anything:
// the size is checked with stat before a byte is read (a 200 MB file is never loaded), then binary
// content (NUL bytes), UTF-16 and invalid UTF-8 are turned away with the line where they show.
// A UTF-8 byte-order mark is dropped. Nothing here throws for a bad file; it returns a diagnostic.
import { open, stat } from 'node:fs/promises'
import { isUtf8 } from 'node:buffer'
import type { Diagnostic, DiagnosticCode, Severity } from '../model.js'
import type { DiscoveredFile } from './discover.js'

/** Default largest file read: 50 MiB. */
export const DEFAULT_MAX_FILE_SIZE = 50 * 1024 * 1024

export type ReadResult = { ok: true; text: string } | { ok: false; diagnostic: Diagnostic }

export interface ReadOptions {
  /** Largest file read, in bytes. */
  maxFileSize: number
  /**
   * Reads stdin, for the `<stdin>` file. It may stop at the limit and reject with an
   * {@link InputTooLargeError}: stdin then gets the same `too-large` diagnostic as a file would.
   */
  readStdin?: () => Promise<string | Uint8Array>
}

function refusal(file: string, code: DiagnosticCode, message: string, line = 1, severity: Severity = 'error'): ReadResult {
  return { ok: false, diagnostic: { file, line, code, severity, message } }
}

/** Human-readable byte size: `210 MB`, `50 MiB` style, with the unit the limit was set in. */
function describeSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB`
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KiB`
  return `${bytes} bytes`
}

/** Why input over the size limit is not read; `subject` is what was refused ('the file', 'stdin'). */
function tooLargeMessage(subject: string, size: number, limit: number): string {
  return `${subject} is ${describeSize(size)}, over the ${describeSize(limit)} limit (--max-file-size, or maxFileSize in .pullcheck.yaml)`
}

function tooLarge(file: string, size: number, limit: number, subject = 'the file'): ReadResult {
  return refusal(file, 'too-large', `not read: ${tooLargeMessage(subject, size, limit)}`, 1, 'warning')
}

/**
 * What a stdin reader rejects with when the input is over the limit (it counts what it drops, so
 * the size is known without holding the bytes). readManifestFile turns it into `too-large`.
 */
export class InputTooLargeError extends Error {
  constructor(
    readonly size: number,
    readonly limit: number
  ) {
    super(tooLargeMessage('stdin', size, limit))
    this.name = 'InputTooLargeError'
  }
}

function lineAtByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let index = 0; index < offset; index++) {
    if (bytes[index] === 0x0a) {
      line++
      lineStart = index + 1
    }
  }
  return { line, column: offset - lineStart + 1 }
}

/** Offset of the first byte that breaks UTF-8, or -1. Only called once isUtf8 has said no. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let index = 0
  while (index < bytes.length) {
    const byte = bytes[index] ?? 0
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0
    if (length === 0) return index
    if (length > 1) {
      const slice = bytes.subarray(index, index + length)
      if (slice.length < length || !isUtf8(slice)) return index
    }
    index += length
  }
  return -1
}

/** Turns a file's bytes into text, or explains why they are not a manifest. */
export function decodeManifestBytes(file: string, bytes: Uint8Array): ReadResult {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return refusal(file, 'not-utf8', 'not read: the file is UTF-16 text; manifests must be UTF-8 (save it as UTF-8)')
  }
  const nul = bytes.indexOf(0)
  if (nul !== -1) {
    const { line } = lineAtByte(bytes, nul)
    return refusal(file, 'binary-file', `not read: a binary file (NUL byte at line ${line}), not a manifest`, line)
  }
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes
  if (!isUtf8(body)) {
    const offset = firstInvalidUtf8(body)
    const { line, column } = lineAtByte(body, Math.max(offset, 0))
    const byte = (body[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0')
    return {
      ok: false,
      diagnostic: {
        file,
        line,
        column,
        code: 'not-utf8',
        severity: 'error',
        message: `not read: the file is not UTF-8 text (byte 0x${byte} at line ${line}, column ${column}); manifests must be UTF-8`
      }
    }
  }
  return { ok: true, text: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8') }
}

function describeReadError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : ''
  switch (code) {
    case 'EISDIR':
      return 'it is a directory, not a file'
    case 'ENOENT':
      return 'no such file (it disappeared, or is a broken symlink)'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'ELOOP':
      return 'a symlink loop'
    default:
      return error instanceof Error ? error.message : String(error)
  }
}

/** Reads up to `limit` bytes of a file whose size was `expectedSize` when it was stat'ed. */
async function readAtMost(file: string, limit: number, expectedSize: number): Promise<Buffer> {
  const handle = await open(file, 'r')
  try {
    const chunks: Buffer[] = []
    let total = 0
    while (total < limit) {
      // One read of the expected size (plus a byte, to notice growth), then small top-ups.
      const chunk = Buffer.allocUnsafe(Math.min(limit - total, total === 0 ? expectedSize + 1 : 1024 * 1024))
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null)
      if (bytesRead === 0) break
      chunks.push(bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead))
      total += bytesRead
      // A short read of a regular file is its end.
      if (bytesRead < chunk.length) break
    }
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total)
  } finally {
    await handle.close()
  }
}

/** Reads one discovered file (or stdin) into text. Never rejects: failures are diagnostics. */
export async function readManifestFile(file: DiscoveredFile, options: ReadOptions): Promise<ReadResult> {
  if (file.absolutePath === null) {
    if (options.readStdin === undefined) return refusal(file.path, 'unreadable', 'cannot read: stdin is not available here')
    let input: string | Uint8Array
    try {
      input = await options.readStdin()
    } catch (error) {
      if (error instanceof InputTooLargeError) return tooLarge(file.path, error.size, error.limit, 'stdin')
      return refusal(file.path, 'unreadable', `cannot read stdin: ${describeReadError(error)}`)
    }
    const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input
    if (bytes.byteLength > options.maxFileSize) return tooLarge(file.path, bytes.byteLength, options.maxFileSize, 'stdin')
    return decodeManifestBytes(file.path, bytes)
  }
  try {
    const info = await stat(file.absolutePath)
    if (info.isDirectory()) return refusal(file.path, 'unreadable', 'cannot read: it is a directory, not a file')
    if (info.size > options.maxFileSize) return tooLarge(file.path, info.size, options.maxFileSize)
    const bytes = await readAtMost(file.absolutePath, options.maxFileSize + 1, info.size)
    // The file may have grown between stat and read: never hold more than the limit.
    if (bytes.byteLength > options.maxFileSize) return tooLarge(file.path, bytes.byteLength, options.maxFileSize)
    return decodeManifestBytes(file.path, bytes)
  } catch (error) {
    return refusal(file.path, 'unreadable', `cannot read: ${describeReadError(error)}`)
  }
}
