// The worker side of the guarded inventory fuzz: runs the property and tells the parent about every
// case before it starts it, so that a case that never finishes (a hang is a bug too: a pull request
// could stall the check until the job's time limit) is caught by the parent and shown.
import { parentPort, workerData } from 'node:worker_threads'
import { inventoryViolations, loadSeeds, mutatedManifest, type FuzzRunOptions } from './inventory-fuzz.js'
import fc from 'fast-check'

const options = workerData as FuzzRunOptions
const seeds = loadSeeds()
let cases = 0
try {
  fc.assert(
    fc.property(mutatedManifest(seeds), ({ seed, text }) => {
      cases += 1
      parentPort!.postMessage({ kind: 'case', seed: seed.name, text })
      const violations = [...inventoryViolations(text, seed.json, 'fast'), ...inventoryViolations(text, seed.json, 'reference')]
      if (violations.length > 0) throw new Error(`${seed.name}, mutated:\n${JSON.stringify(text)}\n${violations.join('\n')}`)
    }),
    { numRuns: options.runs, seed: options.seed, ...(options.timeLimitMs === undefined ? {} : { interruptAfterTimeLimit: options.timeLimitMs }) }
  )
  parentPort!.postMessage({ kind: 'done', cases })
} catch (error) {
  // fast-check reports the property's own error as the cause of its counterexample error.
  const cause = error instanceof Error && error.cause instanceof Error ? `\n${error.cause.message}` : ''
  parentPort!.postMessage({ kind: 'failed', message: `${error instanceof Error ? error.message : String(error)}${cause}` })
}
