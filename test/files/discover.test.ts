// Finding files: directories, globs, stdin, skipped directories, how paths are reported, and the
// paths that cannot be used (missing, broken symlinks, symlink loops, directories named x.yaml,
// chart templates) — each a diagnostic, never an exception. Runs in a temporary tree it builds.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { discoverFiles } from '../../src/files/index.js'

let root = ''

function write(relative: string, text = 'apiVersion: v1\nkind: Pod\n'): void {
  const file = path.join(root, relative)
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, text)
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'pullcheck-discover-'))
  write('deploy/app.yaml')
  write('deploy/app.yml')
  write('deploy/nested/deeper/job.json', '{}')
  write('deploy/README.md', '# not a manifest')
  write('deploy/Upper.YAML')
  write('deploy/node_modules/pkg/x.yaml')
  write('deploy/.git/config.yaml')
  write('deploy/.github/workflow.yaml')
  write('deploy/.pullcheck.yaml', 'platforms: [linux/arm64]\n')
  write('deploy/nested/.pullcheck.yml', 'maxImageSize: 1GiB\n')
  write('chart/Chart.yaml', 'apiVersion: v2\nname: chart\nversion: 1.0.0\n')
  write('chart/values.yaml', 'image: {}\n')
  write('chart/templates/deployment.yaml', 'kind: {{ .Values.kind }}\n')
  write('chart/templates/sub/service.yaml', 'kind: Service\n')
  write('chart/charts/sub/Chart.yaml', 'apiVersion: v2\nname: sub\nversion: 1.0.0\n')
  write('chart/charts/sub/templates/cm.yaml', 'kind: ConfigMap\n')
  write('chart/crds/crd.yaml', 'kind: CustomResourceDefinition\n')
  write('odd/dir.yaml/inside.yaml')
  mkdirSync(path.join(root, 'links'))
  symlinkSync(path.join(root, 'links', 'missing.yaml'), path.join(root, 'links', 'broken.yaml'))
  mkdirSync(path.join(root, 'links', 'sub'))
  symlinkSync('..', path.join(root, 'links', 'sub', 'up'))
  symlinkSync(path.join(root, 'deploy', 'app.yaml'), path.join(root, 'links', 'to-app.yaml'))
  symlinkSync('self.yaml', path.join(root, 'links', 'self.yaml'))
})

afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

describe('discoverFiles', () => {
  it('walks directories recursively in name order, manifest extensions only, skipping node_modules, .git and pullcheck config files', async () => {
    const { files, diagnostics } = await discoverFiles(['deploy'], { cwd: root })
    expect(files).toEqual([
      { path: 'deploy/.github/workflow.yaml', absolutePath: path.join(root, 'deploy/.github/workflow.yaml'), explicit: false },
      { path: 'deploy/Upper.YAML', absolutePath: path.join(root, 'deploy/Upper.YAML'), explicit: false },
      { path: 'deploy/app.yaml', absolutePath: path.join(root, 'deploy/app.yaml'), explicit: false },
      { path: 'deploy/app.yml', absolutePath: path.join(root, 'deploy/app.yml'), explicit: false },
      { path: 'deploy/nested/deeper/job.json', absolutePath: path.join(root, 'deploy/nested/deeper/job.json'), explicit: false }
    ])
    expect(diagnostics).toEqual([])
  })

  it('reads a pullcheck config file when it is named explicitly', async () => {
    const { files } = await discoverFiles(['deploy/.pullcheck.yaml'], { cwd: root })
    expect(files.map((file) => file.path)).toEqual(['deploy/.pullcheck.yaml'])
  })

  it('reads a file named explicitly whatever its extension, once even when named twice', async () => {
    const { files } = await discoverFiles(['./deploy/README.md', 'deploy/README.md', 'deploy'], { cwd: root })
    expect(files.map((file) => [file.path, file.explicit])).toEqual([
      ['deploy/README.md', true],
      ['deploy/.github/workflow.yaml', false],
      ['deploy/Upper.YAML', false],
      ['deploy/app.yaml', false],
      ['deploy/app.yml', false],
      ['deploy/nested/deeper/job.json', false]
    ])
  })

  it('matches globs with picomatch, relative to cwd', async () => {
    const { files, diagnostics } = await discoverFiles(['deploy/**/*.json', 'deploy/*.yml'], { cwd: root })
    expect(files.map((file) => file.path)).toEqual(['deploy/nested/deeper/job.json', 'deploy/app.yml'])
    expect(diagnostics).toEqual([])
  })

  it('reports paths outside cwd as given, and paths below it relative to it', async () => {
    const outside = await discoverFiles([path.join(root, 'deploy', 'app.yaml')], { cwd: path.join(root, 'chart') })
    expect(outside.files.map((file) => file.path)).toEqual([path.join(root, 'deploy', 'app.yaml')])
    const relative = await discoverFiles(['../deploy/nested'], { cwd: path.join(root, 'chart') })
    expect(relative.files.map((file) => file.path)).toEqual(['../deploy/nested/deeper/job.json'])
    const absoluteBelow = await discoverFiles([path.join(root, 'deploy', 'app.yml')], { cwd: root })
    expect(absoluteBelow.files.map((file) => file.path)).toEqual(['deploy/app.yml'])
  })

  it('takes - as stdin, once', async () => {
    const { files } = await discoverFiles(['-', 'deploy/app.yaml', '-'], { cwd: root })
    expect(files).toEqual([
      { path: '<stdin>', absolutePath: null, explicit: true },
      { path: 'deploy/app.yaml', absolutePath: path.join(root, 'deploy/app.yaml'), explicit: true }
    ])
  })

  it('sets chart templates aside with one notice per chart, nested charts included, and keeps the chart crds/ and values', async () => {
    const { files, diagnostics } = await discoverFiles(['chart'], { cwd: root })
    expect(files.map((file) => file.path)).toEqual(['chart/Chart.yaml', 'chart/charts/sub/Chart.yaml', 'chart/crds/crd.yaml', 'chart/values.yaml'])
    expect(diagnostics).toEqual([
      {
        file: 'chart/charts/sub/Chart.yaml',
        line: 1,
        code: 'helm-chart-template',
        severity: 'notice',
        message:
          '1 file under chart/charts/sub/templates/ not scanned: Helm chart templates are not manifests. Scan the rendered chart instead: helm template RELEASE chart/charts/sub | pullcheck images -'
      },
      {
        file: 'chart/Chart.yaml',
        line: 1,
        code: 'helm-chart-template',
        severity: 'notice',
        message:
          '2 files under chart/templates/ not scanned: Helm chart templates are not manifests. Scan the rendered chart instead: helm template RELEASE chart | pullcheck images -'
      }
    ])
  })

  it('turns every unusable path into a diagnostic and goes on', async () => {
    const { files, diagnostics } = await discoverFiles(['missing.yaml', 'links', 'odd/**/*.yaml', 'nothing/**/*.yaml', 'deploy/*.txt'], { cwd: root })
    expect(files.map((file) => file.path)).toEqual(['links/to-app.yaml', 'odd/dir.yaml/inside.yaml'])
    expect(diagnostics).toEqual([
      { file: 'missing.yaml', line: 1, code: 'unreadable', severity: 'error', message: 'cannot read: no such file or directory' },
      { file: 'links/broken.yaml', line: 1, code: 'unreadable', severity: 'error', message: 'cannot read: a broken symlink (its target does not exist)' },
      { file: 'links/self.yaml', line: 1, code: 'unreadable', severity: 'error', message: 'cannot read: a symlink loop' },
      { file: 'links/sub/up', line: 1, code: 'unreadable', severity: 'error', message: 'not followed: a symlink loop (it points back to a directory above it)' },
      {
        file: 'odd/dir.yaml',
        line: 1,
        code: 'unreadable',
        severity: 'error',
        message: 'cannot read: it is a directory, not a file (pass it as a path to scan the files in it)'
      },
      { file: 'nothing/**/*.yaml', line: 1, code: 'unreadable', severity: 'error', message: 'no file matches: nothing no such file or directory' },
      { file: 'deploy/*.txt', line: 1, code: 'unreadable', severity: 'error', message: 'no file matches this pattern' }
    ])
  })

  it('names a broken symlink given explicitly as such', async () => {
    const { diagnostics } = await discoverFiles(['links/broken.yaml'], { cwd: root })
    expect(diagnostics.map((diagnostic) => diagnostic.message)).toEqual(['cannot read: a broken symlink (its target does not exist)'])
  })
})
