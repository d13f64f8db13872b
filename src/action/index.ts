// Entry point of the GitHub Action (action.yml `runs.main` is its bundle, dist/index.js): it only
// starts run(); everything else lives in main.ts.
import { run } from './main.js'

await run()
