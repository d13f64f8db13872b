// Validates JSON outputs against the schemas published in schemas/, with ajv.
import { Ajv2020 } from 'ajv/dist/2020.js'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { repoRoot } from './node-binaries.js'

const ajv = new Ajv2020({ allErrors: true, strict: false })
const schemaDir = path.join(repoRoot, 'schemas')
for (const file of readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json'))) {
  ajv.addSchema(JSON.parse(readFileSync(path.join(schemaDir, file), 'utf8')), file)
}

/** Throws with ajv's errors when `data` does not match schemas/<name>. */
export function assertMatchesSchema(name: string, data: unknown): void {
  const validate = ajv.getSchema(name)
  if (validate === undefined) throw new Error(`no schema named ${name} in schemas/`)
  if (!validate(data)) {
    throw new Error(`output does not match ${name}: ${ajv.errorsText(validate.errors, { separator: '\n' })}`)
  }
}
