// Every kind that embeds pod specs, with the exact place of each image, its container type and
// name, and the object it belongs to; and the things named `image` that are not pulled.
import { describe, expect, it } from 'vitest'
import { expectPlace, inventoryOf, useOf } from './support.js'

describe('pod controllers', () => {
  it('reads a Deployment: init containers, native sidecars and containers, in file order', async () => {
    const inventory = await inventoryOf('fixtures/manifests/workloads/deployment.yaml')
    expect(inventory.images.map((use) => [use.containerType, use.container, use.image])).toEqual([
      ['initContainer', 'migrate', 'ghcr.io/acme/storefront-migrations:2.14.0'],
      ['sidecar', 'log-shipper', 'docker.io/fluent/fluent-bit:3.1.4'],
      ['container', 'api', 'ghcr.io/acme/storefront-api:2.14.0'],
      ['container', 'metrics', 'prom/statsd-exporter']
    ])
    const api = useOf(inventory, 'api')
    expectPlace(api, 36, 18, 'ghcr.io/acme/storefront-api:2.14.0')
    expect(api).toMatchObject({
      file: 'fixtures/manifests/workloads/deployment.yaml',
      document: 0,
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'storefront-api',
      templated: false,
      referenceError: null,
      source: null,
      imagePullPolicy: 'IfNotPresent'
    })
    expect(api.reference?.canonical).toBe('ghcr.io/acme/storefront-api:2.14.0')
    expectPlace(useOf(inventory, 'migrate'), 29, 18, 'ghcr.io/acme/storefront-migrations:2.14.0')
    expectPlace(useOf(inventory, 'log-shipper'), 32, 18, 'docker.io/fluent/fluent-bit:3.1.4')
    const metrics = useOf(inventory, 'metrics')
    expectPlace(metrics, 46, 18, 'prom/statsd-exporter')
    expect(metrics.reference).toMatchObject({ canonical: 'docker.io/prom/statsd-exporter:latest', implied: ['registry', 'tag'] })
    expect(metrics.imagePullPolicy).toBeNull()
  })

  it('reads a Pod: containers, ephemeral containers and image volumes', async () => {
    const inventory = await inventoryOf('fixtures/manifests/workloads/pod.yaml')
    expect(inventory.images.map((use) => [use.containerType, use.container])).toEqual([
      ['container', 'shell'],
      ['ephemeralContainer', 'debug'],
      ['imageVolume', 'tools']
    ])
    expectPlace(useOf(inventory, 'shell'), 32, 14, 'registry.k8s.io/e2e-test-images/agnhost:2.52')
    expectPlace(useOf(inventory, 'debug'), 39, 14, 'busybox:1.36')
    const volume = useOf(inventory, 'tools')
    expectPlace(volume, 44, 20, 'quay.io/acme/debug-tools:v1')
    expect(volume.imagePullPolicy).toBe('IfNotPresent')
  })

  it('reads StatefulSet, DaemonSet, ReplicaSet, ReplicationController and PodTemplate, one document each', async () => {
    const inventory = await inventoryOf('fixtures/manifests/workloads/controllers.yaml')
    expect(inventory.images.map((use) => [use.document, use.kind, use.name, use.line, use.column])).toEqual([
      [0, 'StatefulSet', 'postgres', 17, 18],
      [1, 'DaemonSet', 'node-exporter', 35, 18],
      [2, 'ReplicaSet', 'legacy-frontend', 50, 18],
      [3, 'ReplicationController', 'memcached', 64, 18],
      [4, 'PodTemplate', 'batch-worker', 76, 16]
    ])
    const digest = useOf(inventory, 'frontend')
    expect(digest.reference?.digest).toBe('sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31')
    expectPlace(useOf(inventory, 'worker'), 76, 16, 'ghcr.io/acme/batch-worker:0.9.1')
  })

  it('reads a Job and the pod template under a CronJob jobTemplate', async () => {
    const inventory = await inventoryOf('fixtures/manifests/workloads/jobs.yaml')
    const job = useOf(inventory, 'backup', 'Job')
    const cronJob = useOf(inventory, 'backup', 'CronJob')
    expectPlace(job, 12, 18, 'ghcr.io/acme/pg-backup:1.3.0')
    expectPlace(cronJob, 29, 22, 'ghcr.io/acme/pg-backup:1.3.0')
    expect(cronJob).toMatchObject({ document: 1, name: 'db-backup-nightly', namespace: 'data' })
    expect(cronJob.pod.serviceAccountName).toBe('backup')
  })
})

describe('CRDs that embed pod specs', () => {
  it('reads an Argo Rollout template and ignores a workloadRef', async () => {
    const inventory = await inventoryOf('fixtures/manifests/crds/argo-rollouts.yaml')
    expect(inventory.images).toHaveLength(1)
    expectPlace(useOf(inventory, 'checkout', 'Rollout'), 19, 18, 'ghcr.io/acme/checkout:4.2.0')
  })

  it('reads Argo Workflows: container, script, init containers, sidecars, container sets, and CronWorkflow specs', async () => {
    const inventory = await inventoryOf('fixtures/manifests/crds/argo-workflows.yaml')
    expect(inventory.images.map((use) => [use.kind, use.containerType, use.container, use.line, use.column])).toEqual([
      ['Workflow', 'initContainer', 'fetch-sources', 30, 18],
      ['Workflow', 'container', 'build', 32, 16],
      ['Workflow', 'sidecar', 'dind', 36, 18],
      ['Workflow', 'script', 'test', 39, 16],
      ['Workflow', 'container', 'lint', 47, 20],
      ['Workflow', 'container', 'vet', 49, 20],
      ['Workflow', 'container', 'deploy', 52, 16],
      ['WorkflowTemplate', 'container', 'notifier', 64, 16],
      ['ClusterWorkflowTemplate', 'container', 'prune', 74, 16],
      ['CronWorkflow', 'container', 'report', 88, 18]
    ])
    // The workflow parameter `image: …` and the script's source text are not images.
    expect(inventory.images.some((use) => use.image.includes('app:latest') || use.image.includes('not-an-image'))).toBe(false)
    expectPlace(useOf(inventory, 'build'), 32, 16, 'gcr.io/kaniko-project/executor:v1.23.2')
    expectPlace(useOf(inventory, 'test'), 39, 16, 'python:3.12-slim')
    const deploy = useOf(inventory, 'deploy')
    expect(deploy).toMatchObject({ templated: true, reference: null, referenceError: null, image: '{{inputs.parameters.image}}' })
    expectPlace(deploy, 52, 16, '"{{inputs.parameters.image}}"')
  })

  it('reads Knative Service, Configuration and Revision, and not a core Service', async () => {
    const inventory = await inventoryOf('fixtures/manifests/crds/knative.yaml')
    expect(inventory.images.map((use) => [use.document, use.kind, use.name, use.container, use.line, use.column])).toEqual([
      [0, 'Service', 'thumbnailer', null, 11, 18],
      [1, 'Configuration', 'resizer', null, 24, 18],
      [2, 'Revision', 'resizer-00001', null, 33, 14]
    ])
    expect(inventory.images[0]?.apiVersion).toBe('serving.knative.dev/v1')
  })

  it('reads an OpenShift DeploymentConfig and a KEDA ScaledJob', async () => {
    const inventory = await inventoryOf('fixtures/manifests/crds/openshift-keda.yaml')
    expectPlace(useOf(inventory, 'billing'), 12, 18, 'image-registry.openshift-image-registry.svc:5000/billing/billing:3.1')
    const consumer = useOf(inventory, 'consumer')
    expectPlace(consumer, 27, 20, '123456789012.dkr.ecr.eu-west-1.amazonaws.com/queue-consumer:7.1.0')
    expect(consumer.pod.imagePullSecrets).toEqual([
      { name: 'ecr-pull', file: 'fixtures/manifests/crds/openshift-keda.yaml', line: 24, column: 19 }
    ])
  })

  it('reads Tekton steps, sidecars, the step template, pipeline task specs and runs with their pod templates', async () => {
    const inventory = await inventoryOf('fixtures/manifests/crds/tekton.yaml')
    expect(inventory.images.map((use) => [use.kind, use.containerType, use.container, use.line, use.column])).toEqual([
      ['Task', 'template', null, 11, 12],
      ['Task', 'step', 'build', 20, 14],
      ['Task', 'step', 'push', 22, 14],
      ['Task', 'sidecar', 'registry', 25, 14],
      ['ClusterTask', 'step', 'clone', 34, 14],
      ['Pipeline', 'step', 'test', 47, 20],
      ['Pipeline', 'step', 'notify', 56, 20],
      ['TaskRun', 'step', 'echo', 73, 16],
      ['PipelineRun', 'step', 'tar', 92, 22]
    ])
    // The parameter default `gcr.io/kaniko-project/executor` is not an image use; the step using it is templated.
    expect(useOf(inventory, 'build')).toMatchObject({ templated: true, image: '$(params.builder-image)' })
    const taskRun = useOf(inventory, 'echo')
    expect(taskRun.pod).toMatchObject({ serviceAccountName: 'builder', nodeSelector: { 'kubernetes.io/arch': 'amd64' } })
    expect(taskRun.pod.imagePullSecrets).toEqual([{ name: 'ci-registry', file: 'fixtures/manifests/crds/tekton.yaml', line: 69, column: 15 }])
    const pipelineRun = useOf(inventory, 'tar')
    expect(pipelineRun.pod).toMatchObject({ serviceAccountName: 'releaser', placement: { architectures: ['arm64'], operatingSystems: null } })
  })

  it('applies the generic rule to unknown kinds, and skips container patches without an image', async () => {
    const inventory = await inventoryOf('fixtures/manifests/crds/unknown-kinds.yaml')
    expect(inventory.images.map((use) => [use.kind, use.containerType, use.container, use.line, use.column])).toEqual([
      ['CloneSet', 'initContainer', 'warmup', 15, 18],
      ['CloneSet', 'container', 'search', 18, 18]
    ])
    expect(useOf(inventory, 'search').pod.serviceAccountName).toBe('search')
  })
})

describe('values named image that are not pulled', () => {
  it.each([
    ['a CRD schema', 'fixtures/manifests/not-images/crd-schema.yaml'],
    ['ConfigMap data', 'fixtures/manifests/not-images/configmap.yaml']
  ])('reports nothing in %s', async (_what, file) => {
    const inventory = await inventoryOf(file)
    expect(inventory.images).toEqual([])
    expect(inventory.diagnostics).toEqual([])
    expect(inventory.files).toEqual([file])
  })

  it('reports spec.containers but not status.containerStatuses', async () => {
    const inventory = await inventoryOf('fixtures/manifests/not-images/status.yaml')
    expect(inventory.images).toHaveLength(1)
    expectPlace(useOf(inventory, 'web'), 10, 14, 'nginx:1.27')
  })
})

describe('Lists', () => {
  it('reads v1 List items and *List kinds as objects of their own, sharing the document index', async () => {
    const inventory = await inventoryOf('fixtures/manifests/lists/list.yaml')
    expect(inventory.images.map((use) => [use.document, use.apiVersion, use.kind, use.namespace, use.name, use.line, use.column])).toEqual([
      [0, 'apps/v1', 'Deployment', 'shop', 'web', 17, 22],
      [0, 'v1', 'Pod', 'ops', 'probe', 26, 18],
      [1, 'apps/v1', 'Deployment', null, 'worker', 40, 22]
    ])
  })
})
