#!/usr/bin/env node
// Entry point of the `pullcheck` command: everything else lives in main.ts and the library.
import { inertOutput } from '../reports/inert.js'
import { main } from './main.js'

process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(inertOutput(text)),
  stderr: (text) => process.stderr.write(inertOutput(text)),
  stdin: process.stdin,
  stderrIsTTY: process.stderr.isTTY === true,
  cwd: process.cwd(),
  env: process.env
})
