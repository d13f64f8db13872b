// Images that templating tools fill in later: recognised, listed, never parsed as references.
import { describe, expect, it } from 'vitest'
import { isTemplatedImage } from '../../src/inventory/index.js'
import { expectPlace, inventoryOf, useOf } from './support.js'

describe('isTemplatedImage', () => {
  it.each([
    '{{ .Values.image }}',
    '{{inputs.parameters.image}}',
    'repo/app:{{ .Chart.AppVersion }}',
    '${IMAGE}',
    '${REGISTRY}/app:${TAG}',
    '$IMAGE',
    'registry.example.com/app:$TAG',
    '$(params.image)',
    '$(inputs.params.builder)',
    'ko://github.com/acme/app/cmd/server'
  ])('recognises %s', (value) => {
    expect(isTemplatedImage(value)).toBe(true)
  })

  it.each(['nginx', 'nginx:1.27', 'ghcr.io/acme/app@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31', 'localhost:5000/ko/app', 'app:$', '{}'])(
    'does not mistake %s for a template',
    (value) => {
      expect(isTemplatedImage(value)).toBe(false)
    }
  )
})

describe('templated images in manifests', () => {
  it('lists every template style with templated: true, no reference, and a notice each', async () => {
    const inventory = await inventoryOf('fixtures/manifests/templated/templated-images.yaml')
    expect(inventory.images.map((use) => [use.container, use.image, use.templated, use.reference, use.referenceError])).toEqual([
      ['helm', '{{ .Values.image.repository }}:{{ .Values.image.tag }}', true, null, null],
      ['helm-unquoted', '{{ .Values.image }}', true, null, null],
      ['envsubst', '${REGISTRY}/app:${TAG}', true, null, null],
      ['shell', '$IMAGE', true, null, null],
      ['tekton', '$(params.image)', true, null, null],
      ['ko', 'ko://github.com/acme/app/cmd/server', true, null, null],
      ['argo', '{{inputs.parameters.image}}', true, null, null]
    ])
    // Unquoted `{{ .Values.image }}` is a YAML flow mapping; it is still reported as the template it is.
    expectPlace(useOf(inventory, 'helm-unquoted'), 13, 18, '{{ .Values.image }}')
    expect(inventory.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.line, diagnostic.column])).toEqual([
      ['templated-image', 'notice', 11, 18],
      ['templated-image', 'notice', 13, 18],
      ['templated-image', 'notice', 15, 18],
      ['templated-image', 'notice', 17, 18],
      ['templated-image', 'notice', 19, 18],
      ['templated-image', 'notice', 21, 18],
      ['templated-image', 'notice', 23, 18]
    ])
    expect(inventory.diagnostics[4]?.message).toBe(
      'the image of container "tekton" of Deployment/templated is a template ($(params.image)), not a reference: not checked; scan the rendered output to check it'
    )
  })
})
