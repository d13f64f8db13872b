// The configuration schema: the published copy is the one the loader uses, it compiles under ajv's
// strict mode, every property is documented with an example, and its defaults are the loader's.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { defaultScanConfig } from '../../src/config/defaults.js'
import { configSchema } from '../../src/config/schema.js'
import { parseSeconds, parseSize } from '../../src/config/units.js'
import { repoRoot } from '../support/node-binaries.js'

interface Node {
  description?: string
  examples?: unknown[]
  default?: unknown
  properties?: Record<string, Node>
}

function eachProperty(node: Node, prefix: string[] = []): Array<[string, Node]> {
  return Object.entries(node.properties ?? {}).flatMap(([key, child]) => [[[...prefix, key].join('.'), child] as [string, Node], ...eachProperty(child, [...prefix, key])])
}

describe('config schema', () => {
  it('is published unchanged as schemas/config.schema.json', async () => {
    const published: unknown = JSON.parse(await readFile(path.join(repoRoot, 'schemas', 'config.schema.json'), 'utf8'))
    expect(published).toEqual(configSchema)
  })

  it('compiles in strict mode', () => {
    expect(() => new Ajv2020({ strict: true, allowUnionTypes: true }).compile(configSchema as unknown as object)).not.toThrow()
  })

  it('documents every property with a description and an example', () => {
    const properties = eachProperty(configSchema as unknown as Node)
    expect(properties.length).toBe(20)
    for (const [key, node] of properties) {
      expect.soft(node.description, key).toMatch(/\S/)
      expect.soft(node.examples?.length ?? 0, key).toBeGreaterThan(0)
    }
  })

  it('states the defaults the loader uses', () => {
    const defaults = defaultScanConfig()
    const properties = Object.fromEntries(eachProperty(configSchema as unknown as Node))
    expect(properties.platforms!.default).toEqual(defaults.platforms)
    expect(parseSize(properties.maxImageSize!.default as string, 'maxImageSize')).toBe(defaults.maxImageSize)
    expect(parseSize(properties.maxFileSize!.default as string, 'maxFileSize')).toBe(defaults.maxFileSize)
    expect(properties.concurrency!.default).toBe(defaults.concurrency)
    expect(parseSeconds(properties.timeout!.default as number, 'timeout')).toBe(defaults.timeoutSeconds)
    expect(parseSeconds(properties.deadline!.default as number, 'deadline')).toBe(defaults.deadlineSeconds)
    expect(properties.failOn!.default).toBe(defaults.failOn)
    expect(properties.defaultNamespace!.default).toBe(defaults.defaultNamespace)
  })

  it('accepts its own examples', () => {
    const validate = new Ajv2020({ strict: true, allowUnionTypes: true }).compile(configSchema as unknown as object)
    for (const example of configSchema.examples) expect(validate(example), JSON.stringify(validate.errors)).toBe(true)
  })
})
