// Reads what is piped into `pullcheck … -` without ever holding more than the file-size limit: a
// gigabyte of input is counted and dropped as it streams by, then refused with its size, instead of
// being buffered whole (and crashing on a string too long for the runtime).
import { InputTooLargeError } from '../files/index.js'

/**
 * All of `stream` as bytes when it is at most `limit` bytes long; otherwise rejects, after reading it
 * to the end, with an InputTooLargeError that carries its size (the inventory reports it as
 * `too-large`, like a file over the limit). Memory stays within `limit`.
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
      reject(new InputTooLargeError(total, limit))
    })
    stream.on('error', reject)
  })
}
