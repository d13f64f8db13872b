// Starts the fuzz worker (fuzz-worker.ts) in a worker thread: worker threads do not inherit the
// TypeScript loader the tests run under, so it is registered here first.
import { register } from 'tsx/esm/api'

register()
await import('./fuzz-worker.ts')
