// The pod context the later checks need: namespace, service account, pull secrets with their
// positions, nodeSelector, and the platforms the scheduler may place the pod on.
import { describe, expect, it } from 'vitest'
import { inventoryFromText } from '../../src/inventory/index.js'
import type { PodContext } from '../../src/model.js'
import { inventoryOf, useOf } from './support.js'

/** A Pod manifest with the given lines (indented under `spec:`) and one container. */
function podWith(specLines: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${specLines}  containers:\n    - name: app\n      image: nginx:1.27\n`
}

function podContext(specLines: string): PodContext {
  const inventory = inventoryFromText(podWith(specLines), 'pod.yaml')
  expect(inventory.diagnostics).toEqual([])
  const use = inventory.images[0]
  if (use === undefined) throw new Error('no image found')
  return use.pod
}

function affinity(...terms: string[][]): string {
  const rendered = terms
    .map((expressions) => `        - matchExpressions:\n${expressions.map((expression) => `            - ${expression}\n`).join('')}`)
    .join('')
  return `  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n${rendered}`
}

describe('pod context from the fixtures', () => {
  it('carries namespace, service account, pull secrets with positions, nodeSelector and placement', async () => {
    const inventory = await inventoryOf('fixtures/manifests/workloads/deployment.yaml')
    expect(useOf(inventory, 'api').pod).toEqual({
      namespace: 'shop',
      serviceAccountName: 'storefront',
      imagePullSecrets: [
        { name: 'ghcr-pull', file: 'fixtures/manifests/workloads/deployment.yaml', line: 22, column: 17 },
        { name: 'harbor-pull', file: 'fixtures/manifests/workloads/deployment.yaml', line: 23, column: 17 }
      ],
      nodeSelector: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' },
      placement: { architectures: ['arm64'], operatingSystems: ['linux'] }
    })
  })

  it('ORs node selector terms and ANDs the expressions of a term', async () => {
    const inventory = await inventoryOf('fixtures/manifests/workloads/pod.yaml')
    expect(useOf(inventory, 'shell').pod).toEqual({
      namespace: 'ops',
      serviceAccountName: 'debugger',
      imagePullSecrets: null,
      nodeSelector: {},
      placement: { architectures: ['amd64', 'arm64', 's390x'], operatingSystems: ['linux'] }
    })
  })

  it('lets an Argo template override the workflow nodeSelector, and inherit the rest', async () => {
    const inventory = await inventoryOf('fixtures/manifests/crds/argo-workflows.yaml')
    expect(useOf(inventory, 'build').pod.placement.architectures).toEqual(['arm64'])
    expect(useOf(inventory, 'test').pod.placement.architectures).toEqual(['amd64'])
    expect(useOf(inventory, 'test').pod.serviceAccountName).toBe('workflow-runner')
    expect(useOf(inventory, 'test').pod.imagePullSecrets?.map((secret) => [secret.name, secret.line, secret.column])).toEqual([
      ['ci-registry', 10, 13]
    ])
  })
})

describe('service account and pull secrets', () => {
  it('defaults the service account to "default" and the namespace to null', () => {
    expect(podContext('')).toMatchObject({ serviceAccountName: 'default', namespace: null, imagePullSecrets: null })
  })

  it('reads the deprecated serviceAccount field, and serviceAccountName over it', () => {
    expect(podContext('  serviceAccount: old\n').serviceAccountName).toBe('old')
    expect(podContext('  serviceAccount: old\n  serviceAccountName: new\n').serviceAccountName).toBe('new')
  })

  it('treats an empty imagePullSecrets list as none (the ServiceAccount decides)', () => {
    expect(podContext('  imagePullSecrets: []\n').imagePullSecrets).toBeNull()
  })

  it('points each pull secret at its name', () => {
    expect(podContext('  imagePullSecrets:\n    - name: one\n    - {name: two}\n').imagePullSecrets).toEqual([
      { name: 'one', file: 'pod.yaml', line: 7, column: 13 },
      { name: 'two', file: 'pod.yaml', line: 8, column: 14 }
    ])
  })
})

describe('placement', () => {
  const placementOf = (specLines: string): PodContext['placement'] => podContext(specLines).placement

  it('is unconstrained without nodeSelector or required affinity', () => {
    expect(placementOf('')).toEqual({ architectures: null, operatingSystems: null })
  })

  it('reads nodeSelector, including the deprecated beta labels', () => {
    expect(placementOf('  nodeSelector:\n    beta.kubernetes.io/arch: amd64\n')).toEqual({ architectures: ['amd64'], operatingSystems: null })
    expect(placementOf('  nodeSelector:\n    kubernetes.io/os: windows\n')).toEqual({ architectures: null, operatingSystems: ['windows'] })
  })

  it('intersects nodeSelector with required affinity (both must hold)', () => {
    const spec = `  nodeSelector:\n    kubernetes.io/arch: arm64\n${affinity(['{key: kubernetes.io/arch, operator: In, values: [amd64, arm64]}'])}`
    expect(placementOf(spec).architectures).toEqual(['arm64'])
    const impossible = `  nodeSelector:\n    kubernetes.io/arch: arm64\n${affinity(['{key: kubernetes.io/arch, operator: In, values: [amd64]}'])}`
    expect(placementOf(impossible).architectures).toEqual([])
  })

  it('computes NotIn against the known architectures and operating systems', () => {
    expect(placementOf(affinity(['{key: kubernetes.io/arch, operator: NotIn, values: [amd64, arm64, "386"]}'])).architectures).toEqual([
      'arm',
      'loong64',
      'mips64le',
      'ppc64le',
      'riscv64',
      's390x'
    ])
    expect(placementOf(affinity(['{key: kubernetes.io/os, operator: NotIn, values: [windows]}'])).operatingSystems).toEqual(['linux'])
  })

  it('treats Exists as unconstrained and DoesNotExist, Gt and Lt as matching no node', () => {
    expect(placementOf(affinity(['{key: kubernetes.io/arch, operator: Exists}'])).architectures).toBeNull()
    expect(placementOf(affinity(['{key: kubernetes.io/arch, operator: DoesNotExist}'])).architectures).toEqual([])
    expect(placementOf(affinity(['{key: kubernetes.io/arch, operator: Gt, values: ["1"]}'])).architectures).toEqual([])
  })

  it('is unconstrained when any term says nothing about the label (OR with "anything")', () => {
    const spec = affinity(['{key: kubernetes.io/arch, operator: In, values: [arm64]}'], ['{key: topology.kubernetes.io/zone, operator: In, values: [a]}'])
    expect(placementOf(spec).architectures).toBeNull()
  })

  it('ignores preferred affinity: it is a wish, not a constraint', () => {
    const spec =
      '  affinity:\n    nodeAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n        - weight: 1\n          preference:\n            matchExpressions:\n              - {key: kubernetes.io/arch, operator: In, values: [arm64]}\n'
    expect(placementOf(spec)).toEqual({ architectures: null, operatingSystems: null })
  })
})
