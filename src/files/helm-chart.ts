// Helm chart sources are not manifests: files under `templates/` of a directory holding
// `Chart.yaml` are Go templates that only `helm template` turns into YAML. They are set aside with
// one notice per chart that says how to scan the rendered output instead.
import { access } from 'node:fs/promises'
import path from 'node:path'
import type { Diagnostic } from '../model.js'
import type { DiscoveredFile } from './discover.js'
import { reportedPath, toPosix } from './paths.js'

async function exists(file: string): Promise<boolean> {
  try {
    await access(file)
    return true
  } catch {
    return false
  }
}

/** The chart directory whose templates/ holds `file`, or null. Nested charts: the nearest. */
async function chartOf(file: string, cache: Map<string, boolean>): Promise<string | null> {
  let directory = path.dirname(file)
  for (;;) {
    const parent = path.dirname(directory)
    if (parent === directory) return null
    if (path.basename(directory) === 'templates') {
      let isChart = cache.get(parent)
      if (isChart === undefined) {
        isChart = await exists(path.join(parent, 'Chart.yaml'))
        cache.set(parent, isChart)
      }
      if (isChart) return parent
    }
    directory = parent
  }
}

/** Splits out chart templates; returns the files to read and one notice per chart. */
export async function setAsideChartTemplates(
  files: DiscoveredFile[],
  cwd: string
): Promise<{ files: DiscoveredFile[]; notices: Diagnostic[] }> {
  const cache = new Map<string, boolean>()
  const kept: DiscoveredFile[] = []
  const skippedPerChart = new Map<string, { chartFile: string; count: number }>()
  for (const file of files) {
    const chart = file.absolutePath === null ? null : await chartOf(file.absolutePath, cache)
    if (chart === null) {
      kept.push(file)
      continue
    }
    const entry = skippedPerChart.get(chart)
    if (entry !== undefined) {
      entry.count++
      continue
    }
    // Name Chart.yaml the way the template was named (relative to cwd, or from the given path).
    const inChart = toPosix(path.relative(chart, file.absolutePath ?? ''))
    const given = file.path.endsWith(`/${inChart}`) ? `${file.path.slice(0, -inChart.length)}Chart.yaml` : path.join(chart, 'Chart.yaml')
    skippedPerChart.set(chart, { chartFile: reportedPath(path.join(chart, 'Chart.yaml'), given, cwd), count: 1 })
  }
  const notices = [...skippedPerChart.values()].map(({ chartFile, count }): Diagnostic => {
    const chartDirectory = path.posix.dirname(chartFile)
    const files = count === 1 ? '1 file' : `${count} files`
    return {
      file: chartFile,
      line: 1,
      code: 'helm-chart-template',
      severity: 'notice',
      message:
        `${files} under ${chartDirectory}/templates/ not scanned: Helm chart templates are not manifests. ` +
        `Scan the rendered chart instead: helm template RELEASE ${chartDirectory} | pullcheck images -`
    }
  })
  return { files: kept, notices }
}
