// src/git: unified-diff parsing, and the changed files and lines of a real temporary repository
// with a base and a head commit (git runs for real; no shell is involved).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile, mkdir, unlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { addedLinesFromPatch, changedFilesBetween, changedLinesBetween, GitError, hasCommit, isLineChanged, parseUnifiedDiff } from '../../src/git/index.js'

describe('addedLinesFromPatch', () => {
  it('counts new-file lines across hunks, skipping context and removed lines', () => {
    const patch = [
      '@@ -1,4 +1,5 @@',
      ' apiVersion: apps/v1',
      '-kind: Deployment',
      '+kind: StatefulSet',
      '+# added',
      ' metadata:',
      '   name: web',
      '@@ -20,2 +21,3 @@ spec:',
      '         - name: web',
      '-          image: nginx:1.25',
      '+          image: nginx:1.27',
      '+          imagePullPolicy: Always',
      '\\ No newline at end of file'
    ].join('\n')
    expect([...addedLinesFromPatch(patch)]).toEqual([2, 3, 22, 23])
  })

  it('handles a hunk header without counts and a patch of a new file', () => {
    expect([...addedLinesFromPatch('@@ -0,0 +1 @@\n+only line')]).toEqual([1])
    expect([...addedLinesFromPatch('@@ -1 +0,0 @@\n-gone')]).toEqual([])
  })
})

describe('parseUnifiedDiff', () => {
  it('splits a git diff by file and leaves deleted files out', () => {
    const diff = [
      'diff --git a/deploy/app.yaml b/deploy/app.yaml',
      'index 1111111..2222222 100644',
      '--- a/deploy/app.yaml',
      '+++ b/deploy/app.yaml',
      '@@ -5 +5 @@',
      '-  image: a:1',
      '+  image: a:2',
      'diff --git a/old.yaml b/old.yaml',
      'deleted file mode 100644',
      '--- a/old.yaml',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-x: 1',
      'diff --git "a/dir with space/\\303\\251t\\303\\251.yaml" "b/dir with space/\\303\\251t\\303\\251.yaml"',
      'new file mode 100644',
      '--- /dev/null',
      '+++ "b/dir with space/\\303\\251t\\303\\251.yaml"',
      '@@ -0,0 +1,2 @@',
      '+a: 1',
      '+b: 2',
      ''
    ].join('\n')
    const changed = parseUnifiedDiff(diff)
    expect([...changed.keys()]).toEqual(['deploy/app.yaml', 'dir with space/été.yaml'])
    expect([...changed.get('deploy/app.yaml')!]).toEqual([5])
    expect([...changed.get('dir with space/été.yaml')!]).toEqual([1, 2])
  })
})

describe('isLineChanged', () => {
  it('is true for added lines and for files whose lines are unknown', () => {
    const changed = new Map<string, ReadonlySet<number> | null>([
      ['a.yaml', new Set([3])],
      ['big.yaml', null]
    ])
    expect(isLineChanged(changed, 'a.yaml', 3)).toBe(true)
    expect(isLineChanged(changed, 'a.yaml', 4)).toBe(false)
    expect(isLineChanged(changed, 'big.yaml', 999)).toBe(true)
    expect(isLineChanged(changed, 'other.yaml', 1)).toBe(false)
  })
})

describe('a real repository', () => {
  let repo: string
  let base: string
  let head: string
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' }).trim()

  beforeAll(async () => {
    repo = await mkdtemp(path.join(tmpdir(), 'pullcheck-git-'))
    git('init', '-q', '-b', 'main')
    await mkdir(path.join(repo, 'deploy'))
    await writeFile(path.join(repo, 'deploy', 'app.yaml'), 'kind: Pod\nspec:\n  containers:\n    - name: a\n      image: a:1\n')
    await writeFile(path.join(repo, 'deploy', 'gone.yaml'), 'kind: Pod\n')
    await writeFile(path.join(repo, 'README.md'), 'hello\n')
    git('add', '-A')
    git('commit', '-q', '-m', 'base')
    base = git('rev-parse', 'HEAD')
    git('checkout', '-q', '-b', 'feature')
    await writeFile(path.join(repo, 'deploy', 'app.yaml'), 'kind: Pod\nspec:\n  containers:\n    - name: a\n      image: a:2\n    - name: b\n      image: b:1\n')
    await unlink(path.join(repo, 'deploy', 'gone.yaml'))
    await writeFile(path.join(repo, 'deploy', 'new file.yaml'), 'kind: Pod\n')
    git('add', '-A')
    git('commit', '-q', '-m', 'head')
    head = git('rev-parse', 'HEAD')
    // A later commit on main must not show up in base...head (three dots: from the merge base).
    git('checkout', '-q', 'main')
    await writeFile(path.join(repo, 'README.md'), 'hello again\n')
    git('commit', '-q', '-am', 'main moves on')
    base = git('rev-parse', 'HEAD')
  })

  afterAll(async () => {
    await rm(repo, { recursive: true, force: true })
  })

  it('lists the files the change touched, without deleted ones and without later base commits', async () => {
    expect(await changedFilesBetween({ cwd: repo, base, head })).toEqual(['deploy/app.yaml', 'deploy/new file.yaml'])
  })

  it('lists the lines each file gained', async () => {
    const lines = await changedLinesBetween({ cwd: repo, base, head })
    expect([...lines.keys()]).toEqual(['deploy/app.yaml', 'deploy/new file.yaml'])
    expect([...lines.get('deploy/app.yaml')!]).toEqual([5, 6, 7])
    expect([...lines.get('deploy/new file.yaml')!]).toEqual([1])
    const only = await changedLinesBetween({ cwd: repo, base, head, files: ['deploy/new file.yaml'] })
    expect([...only.keys()]).toEqual(['deploy/new file.yaml'])
  })

  it('knows which commits exist and refuses anything but a commit id', async () => {
    expect(await hasCommit(repo, head)).toBe(true)
    expect(await hasCommit(repo, 'f'.repeat(40))).toBe(false)
    expect(await hasCommit(repo, '--upload-pack=touch /tmp/x')).toBe(false)
    await expect(changedFilesBetween({ cwd: repo, base: '--output=/tmp/x', head })).rejects.toThrow(GitError)
    await expect(changedFilesBetween({ cwd: repo, base: 'f'.repeat(40), head })).rejects.toThrow(/git diff failed/)
  })
})
