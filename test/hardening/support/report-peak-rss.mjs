// Preloaded into a child process (NODE_OPTIONS=--import …): writes the process's peak resident set
// size in KiB to $PULLCHECK_PEAK_RSS_FILE when it exits, so a test can bound memory without /usr/bin/time.
import { writeFileSync } from 'node:fs'

const target = process.env.PULLCHECK_PEAK_RSS_FILE
if (target) {
  process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)))
}
