// The shared formatting helpers.
import { describe, expect, it } from 'vitest'
import { compareFindings, formatBytes, formatDuration, plural, safeImage, safeText, shortDigest } from '../../src/reports/format.js'
import { sampleFindings } from './scan-result.js'

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [72_351_144, '69.0 MiB'],
    [1024 ** 3, '1.0 GiB'],
    [1_288_490_189, '1.2 GiB'],
    [1024 * 1024 - 1, '1.0 MiB'],
    [5 * 1024 ** 4, '5.0 TiB']
  ])('%d bytes is %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text)
  })
})

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [850, '850ms'],
    [1000, '1.0s'],
    [2149, '2.1s'],
    [59_999, '59.9s'],
    [60_000, '1m 00s'],
    [125_000, '2m 05s']
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})

describe('small helpers', () => {
  it('pluralises', () => {
    expect([plural(1, 'error'), plural(2, 'error'), plural(0, 'entry', 'entries')]).toEqual(['1 error', '2 errors', '0 entries'])
  })

  it('shortens digests like docker images does', () => {
    expect(shortDigest('sha256:0f8fa3b5e5e1b0c6d5d0f1a9b6c4e3d2')).toBe('sha256:0f8fa3b5e5e1')
  })

  it('orders findings by file, line, column, severity and rule', () => {
    const order = sampleFindings()
      .sort(compareFindings)
      .map((finding) => `${finding.file}:${finding.line}`)
    expect(order).toEqual(['deploy/batch.yaml:9', 'deploy/broken.yaml:7', 'deploy/web.yaml:18', 'deploy/web.yaml:24', 'rendered/api.yaml:31'])
  })
})

describe('credential masking', () => {
  it('masks userinfo and secret query parameters in image strings', () => {
    expect(safeImage('bot:hunter2@registry.example.com/app:1')).toBe('***@registry.example.com/app:1')
    expect(safeImage('registry.example.com/app:1?token=abc123')).toBe('registry.example.com/app:1?token=***')
  })

  it('leaves references with digests alone', () => {
    expect(safeImage('nginx:1.27@sha256:' + 'a'.repeat(64))).toBe('nginx:1.27@sha256:' + 'a'.repeat(64))
  })

  it('masks image strings inside free text, quoted or not', () => {
    expect(safeText('pull of "bot:hunter2@registry.example.com/app:1" failed; see https://u:p@host/x')).toBe(
      'pull of "***@registry.example.com/app:1" failed; see https://***@host/x'
    )
    expect(safeText('mail admin@example.com about nginx:1.27')).toBe('mail admin@example.com about nginx:1.27')
  })
})
