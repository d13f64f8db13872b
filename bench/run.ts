// `npm run bench`: runs every benchmark in one process and prints their figures as Markdown, each
// against its reference measured in the same run. Exits non-zero when a benchmark misses its target
// or finds a correctness problem (e.g. the fast path losing an image).
import { runExtractionBenchmark } from './extraction.js'
import { runRegistryBenchmark } from './registry.js'

const benchmarks: Array<[string, () => Promise<{ markdown: string; ok: boolean }>]> = [
  ['Image extraction', runExtractionBenchmark],
  ['Registry checks', runRegistryBenchmark]
]

const only = process.argv.slice(2)
let allOk = true
for (const [title, run] of benchmarks) {
  if (only.length > 0 && !only.some((word) => title.toLowerCase().includes(word.toLowerCase()))) continue
  process.stdout.write(`## ${title}\n\n`)
  const { markdown, ok } = await run()
  process.stdout.write(`${markdown.trimEnd()}\n\n`)
  if (!ok) {
    allOk = false
    process.stdout.write(`**${title}: target missed or check failed.**\n\n`)
  }
}
process.exitCode = allOk ? 0 : 1
