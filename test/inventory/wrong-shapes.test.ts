// Pod specs of the wrong YAML shape (a container list given as a map or a scalar, a container written
// as a string, `spec: []`) each get one invalid-pod-spec error at the misshapen value, and the good
// containers around them are still read. Also: explicitly tagged image values (`!!binary`, `!!int
// "42"`) are described as what they are, with a fix that is valid YAML.
import { describe, expect, it } from 'vitest'
import { inventoryFromText } from '../../src/inventory/index.js'
import { inventoryOf, textAt } from './support.js'

const FIXTURE = 'fixtures/bad/wrong-shapes.yaml'
const INVALID = 'the manifest is invalid (kubectl rejects it for built-in kinds), and no image under it was checked'
const NOT_A_LIST = 'not a list (items written `- …`)'
const NOT_A_MAPPING = 'not a mapping (an object of fields)'
const NOT_A_CONTAINER = 'not a container object such as `{name: app, image: nginx:1.27}`'

describe('pod specs of the wrong shape', () => {
  it('gives each misshapen field one error at its value, in file order, and reads the good containers', async () => {
    const inventory = await inventoryOf(FIXTURE)
    const shapeDiagnostics = inventory.diagnostics.filter((diagnostic) => diagnostic.code === 'invalid-pod-spec')
    expect(shapeDiagnostics.map((diagnostic) => [diagnostic.severity, diagnostic.line, diagnostic.column, diagnostic.message])).toEqual([
      ['error', 7, 5, `\`containers\` of Pod/containers-is-a-map is a mapping, ${NOT_A_LIST}: ${INVALID}`],
      ['error', 16, 7, `\`containers[0]\` of Pod/containers-are-strings is the string "nginx:1.27", ${NOT_A_CONTAINER}: ${INVALID}`],
      ['error', 17, 7, `\`containers[1]\` of Pod/containers-are-strings is the number 42, ${NOT_A_CONTAINER}: ${INVALID}`],
      ['error', 23, 7, `\`spec\` of Deployment/spec-is-a-list is a list, ${NOT_A_MAPPING}: ${INVALID}`],
      ['error', 59, 19, `\`initContainers\` of Pod/more-wrong-lists is the string "nginx:1.27", ${NOT_A_LIST}: ${INVALID}`],
      ['error', 61, 7, `\`containers[0]\` of Pod/more-wrong-lists is a list, ${NOT_A_CONTAINER}: ${INVALID}`],
      ['error', 67, 5, `\`ephemeralContainers\` of Pod/more-wrong-lists is a mapping, ${NOT_A_LIST}: ${INVALID}`],
      ['error', 74, 7, `\`spec\` of Pod/spec-is-a-string is the string "x", ${NOT_A_MAPPING}: ${INVALID}`],
      ['error', 102, 5, `\`spec.jobTemplate\` of CronJob/job-template-is-a-list is a list, ${NOT_A_MAPPING}: ${INVALID}`],
      ['error', 111, 18, `\`container\` of Workflow/argo-wrong-shapes is the string "alpine:3.20", ${NOT_A_MAPPING}: ${INVALID}`],
      ['error', 113, 9, `\`sidecars\` of Workflow/argo-wrong-shapes is a mapping, ${NOT_A_LIST}: ${INVALID}`],
      ['error', 126, 5, `\`steps\` of Task/tekton-wrong-shapes is a mapping, ${NOT_A_LIST}: ${INVALID}`],
      ['error', 129, 7, `\`sidecars[0]\` of Task/tekton-wrong-shapes is the string "docker:27", ${NOT_A_CONTAINER}: ${INVALID}`]
    ])
    for (const diagnostic of shapeDiagnostics) expect(diagnostic.file).toBe(FIXTURE)
    // The file really holds the misshapen value where each diagnostic points.
    expect(shapeDiagnostics.map((diagnostic) => textAt(FIXTURE, diagnostic.line, diagnostic.column ?? 1))).toEqual([
      'app:',
      'nginx:1.27',
      '42',
      '[]',
      'nginx:1.27',
      '- name: nested',
      'debug:',
      '"x"',
      '- spec: {}',
      'alpine:3.20',
      'cache:',
      'build:',
      'docker:27'
    ])
    expect(inventory.images.map((use) => [use.name, use.container, use.image, use.line, use.column])).toEqual([
      ['in-list', 'app', 'redis:7.4', 37, 18],
      ['more-wrong-lists', 'fine', 'busybox:1.36', 64, 14],
      ['argo-wrong-shapes', 'other', 'python:3.12', 117, 16]
    ])
  })

  it('says nothing about a Deployment without template.spec, a null containers list or a null list item', async () => {
    const inventory = await inventoryOf(FIXTURE)
    const lines = inventory.diagnostics.map((diagnostic) => diagnostic.line)
    // Documents no-template-spec (lines 76-84) and empty-containers (86-93), and the `-` on line 65.
    expect(lines.filter((line) => (line >= 76 && line <= 93) || line === 65)).toEqual([])
  })

  it('reads a scalar `containers` of a JSON manifest as misshapen too, at the value', () => {
    const text = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":"nginx"}}'
    const { diagnostics, images } = inventoryFromText(text, 'pod.json', { json: true })
    expect(images).toEqual([])
    expect(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.line, diagnostic.column])).toEqual([['invalid-pod-spec', 1, 78]])
    expect(text.slice(77, 84)).toBe('"nginx"')
  })

  it('leaves the generic rule silent about a `containers` map of a kind it does not know', () => {
    const text = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  containers:\n    app:\n      image: nginx:1.27\n'
    expect(inventoryFromText(text, 'widget.yaml').diagnostics).toEqual([])
  })

  it('checks the other lists of a pod spec the generic rule recognised', () => {
    const text = [
      'apiVersion: example.com/v1',
      'kind: Widget',
      'metadata:',
      '  name: w',
      'spec:',
      '  containers:',
      '    - name: app',
      '      image: nginx:1.27',
      '  initContainers: busybox:1.36',
      ''
    ].join('\n')
    const { diagnostics, images } = inventoryFromText(text, 'widget.yaml')
    expect(images.map((use) => [use.container, use.line])).toEqual([['app', 8]])
    expect(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.line, diagnostic.column])).toEqual([['invalid-pod-spec', 9, 19]])
  })
})

describe('explicitly tagged image values', () => {
  const pod = (...lines: string[]) =>
    ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  containers:', ...lines, ''].join('\n')
  const messagesOf = (text: string) =>
    inventoryFromText(text, 'pod.yaml').diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.line, diagnostic.column, diagnostic.message])

  it('describes !!binary as binary data and suggests the text it decodes to', () => {
    expect(messagesOf(pod('    - name: bin', '      image: !!binary aGVsbG8=', '    - name: block', '      image: !!binary |', '        aGVsbG8='))).toEqual([
      [
        'invalid-image-value',
        8,
        23,
        'the image of container "bin" of Pod/p is binary data (5 bytes), not a string: the tag `!!binary` makes YAML read `aGVsbG8=` that way. Drop the tag: image: "hello"'
      ],
      [
        'invalid-image-value',
        10,
        23,
        'the image of container "block" of Pod/p is binary data (5 bytes), not a string: the tag `!!binary` makes YAML read `aGVsbG8=` that way. Drop the tag: image: "hello"'
      ]
    ])
  })

  it('suggests no text for binary data that is not printable text', () => {
    // AAEC is the bytes 0, 1, 2.
    expect(messagesOf(pod('    - name: bin', '      image: !!binary AAEC'))).toEqual([
      [
        'invalid-image-value',
        8,
        23,
        'the image of container "bin" of Pod/p is binary data (3 bytes), not a string: the tag `!!binary` makes YAML read `AAEC` that way. Drop the tag and write the image reference as a string, such as image: registry.example.com/app:1.0'
      ]
    ])
  })

  it('blames the tag, not the quotes, for a quoted value tagged as a number, and quotes the fix once', () => {
    expect(messagesOf(pod('    - name: int', '      image: !!int "42"', '    - name: float', "      image: !!float &f '1.5'"))).toEqual([
      [
        'invalid-image-value',
        8,
        20,
        'the image of container "int" of Pod/p is the number 42, not a string: the tag `!!int` makes YAML read `"42"` that way. Drop the tag: image: "42"'
      ],
      [
        'invalid-image-value',
        10,
        25,
        'the image of container "float" of Pod/p is the number 1.5, not a string: the tag `!!float` makes YAML read `\'1.5\'` that way. Drop the tag: image: "1.5"'
      ]
    ])
  })

  it('reads `!!str 42` as the string it is tagged as', () => {
    const { diagnostics, images } = inventoryFromText(pod('    - name: str', '      image: !!str 42'), 'pod.yaml')
    expect(diagnostics).toEqual([])
    expect(images.map((use) => [use.image, use.line, use.column])).toEqual([['42', 8, 20]])
  })
})
