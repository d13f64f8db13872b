// Reads what is piped into `pullcheck … -` without ever holding more than the file-size limit: a
// gigabyte of input is counted and dropped as it streams by, then refused with its size, instead of
// being buffered whole (and crashing on a string too long for the runtime).
import { formatBytes } from '../reports/format.js'

/**
 * All of `stream` as bytes when it is at most `limit` bytes long; otherwise rejects, after reading it
 * to the end, with a message that names its size and the limit. Memory stays within `limit`.
 */
export function readStdinWithin(stream: NodeJS.ReadableStream, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = []
    let total = 0
    stream.on('data', (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      total += bytes.length
      if (total <= limit) chunks.push(bytes)
      else chunks = []
    })
    stream.on('end', () => {
      if (total <= limit) return resolve(Buffer.concat(chunks, total))
      reject(new Error(`stdin is ${formatBytes(total)}, over the ${formatBytes(limit)} limit (--max-file-size, or maxFileSize in .pullcheck.yaml)`))
    })
    stream.on('error', reject)
  })
}
