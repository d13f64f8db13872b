// Bundles the two entry points into dist/ so that the runner needs no node_modules.
// `node scripts/build.mjs --check` rebuilds in memory and fails when dist/ differs.
import { build } from 'esbuild'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Builds dist/index.js (the action) and dist/cli.js (the CLI); returns the output files. */
export async function buildDist({ write }) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: { index: 'src/action/index.ts', cli: 'src/cli/index.ts' },
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: true,
    minify: false,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
    write,
    // Bundled CommonJS dependencies call require() for Node built-ins; ESM has no require.
    banner: {
      js: "import { createRequire as __pullcheckCreateRequire } from 'node:module';\nconst require = __pullcheckCreateRequire(import.meta.url);"
    }
  })
  return result.outputFiles ?? []
}

/** Lists the dist/ files whose committed bytes differ from a fresh build. */
export async function staleDistFiles() {
  const stale = []
  for (const file of await buildDist({ write: false })) {
    const committed = await readFile(file.path).catch(() => null)
    if (committed === null || !Buffer.from(file.contents).equals(committed)) {
      stale.push(path.relative(root, file.path))
    }
  }
  return stale
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const stale = await staleDistFiles()
    if (stale.length > 0) {
      console.error(`dist/ is not the build of src/: ${stale.join(', ')} differ. Run: npm run build`)
      process.exit(1)
    }
  } else {
    await buildDist({ write: true })
  }
}
