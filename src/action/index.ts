// Entry point of the GitHub Action: everything lives in main.ts.
import { run } from './main.js'

await run()
