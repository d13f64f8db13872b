// The two GitHub REST calls the action makes, through @actions/github's Octokit: the files of a pull
// request (`pulls.listFiles`, paginated; GitHub returns at most 3000 files) and a check run that
// carries every annotation when there are more than workflow commands can show (created on the
// pull request's head commit, annotations sent in batches of 50 as the Checks API requires).
import { getOctokit } from '@actions/github'
import { getErrorMessage } from '../errors.js'
import type { Annotation } from '../reports/annotations.js'

export type GitHubClient = ReturnType<typeof getOctokit>

/** GitHub lists at most this many files of a pull request. */
export const PULL_REQUEST_FILES_LIMIT = 3000
/** The Checks API takes at most this many annotations per request. */
export const CHECK_RUN_ANNOTATIONS_PER_REQUEST = 50
/** The Checks API's limits on text fields. */
const CHECK_RUN_TEXT_LIMIT = 65_535
const ANNOTATION_TITLE_LIMIT = 255

/** Creates the client; `baseUrl` defaults to GITHUB_API_URL as the runner sets it. */
export function createGitHubClient(token: string, baseUrl?: string): GitHubClient {
  return getOctokit(token, baseUrl === undefined ? {} : { baseUrl })
}

/** One file of a pull request, as `pulls.listFiles` returns it. */
export interface PullRequestFile {
  filename: string
  status: string
  /** The unified diff of the file; absent for binary files and very large diffs. */
  patch?: string
}

/** Every file of a pull request (all pages), and whether GitHub's 3000-file cap cut the list. */
export async function listPullRequestFiles(
  client: GitHubClient,
  target: { owner: string; repo: string; pullNumber: number }
): Promise<{ files: PullRequestFile[]; truncated: boolean }> {
  const files = await client.paginate(client.rest.pulls.listFiles, {
    owner: target.owner,
    repo: target.repo,
    pull_number: target.pullNumber,
    per_page: 100
  })
  return {
    files: files.map((file) => ({ filename: file.filename, status: file.status, ...(file.patch === undefined ? {} : { patch: file.patch }) })),
    truncated: files.length >= PULL_REQUEST_FILES_LIMIT
  }
}

export type CheckConclusion = 'success' | 'failure' | 'neutral'

export interface CheckRunRequest {
  owner: string
  repo: string
  /** The pull request's head commit, never the merge commit. */
  headSha: string
  name: string
  conclusion: CheckConclusion
  title: string
  summary: string
  annotations: readonly Annotation[]
}

export type CheckRunOutcome =
  | { ok: true; id: number; url: string | null; annotations: number }
  /** `status` is the HTTP status (403 when the token may not write checks), or null when GitHub could not be reached. */
  | { ok: false; status: number | null; message: string }

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`
}

function checkAnnotation(annotation: Annotation): {
  path: string
  start_line: number
  end_line: number
  start_column?: number
  end_column?: number
  annotation_level: 'notice' | 'warning' | 'failure'
  message: string
  title: string
} {
  return {
    path: annotation.file,
    start_line: annotation.startLine,
    end_line: annotation.startLine,
    ...(annotation.startColumn === undefined ? {} : { start_column: annotation.startColumn }),
    ...(annotation.startColumn === undefined || annotation.endColumn === undefined ? {} : { end_column: annotation.endColumn }),
    annotation_level: annotation.level === 'error' ? 'failure' : annotation.level,
    message: truncate(annotation.message, CHECK_RUN_TEXT_LIMIT),
    title: truncate(annotation.title, ANNOTATION_TITLE_LIMIT)
  }
}

/**
 * Creates a completed check run holding every annotation: the first 50 with the create request, the
 * rest appended by updates of 50 each, the conclusion set with the last batch. Never throws: a
 * refusal (403 without `checks: write`, as on pull requests from forks) is returned so the caller
 * can fall back to workflow commands.
 */
export async function publishCheckRun(client: GitHubClient, request: CheckRunRequest): Promise<CheckRunOutcome> {
  const batches: Array<readonly Annotation[]> = []
  for (let start = 0; start < request.annotations.length; start += CHECK_RUN_ANNOTATIONS_PER_REQUEST) {
    batches.push(request.annotations.slice(start, start + CHECK_RUN_ANNOTATIONS_PER_REQUEST))
  }
  if (batches.length === 0) batches.push([])
  const output = (batch: readonly Annotation[]): { title: string; summary: string; annotations: ReturnType<typeof checkAnnotation>[] } => ({
    title: truncate(request.title, ANNOTATION_TITLE_LIMIT),
    summary: truncate(request.summary, CHECK_RUN_TEXT_LIMIT),
    annotations: batch.map(checkAnnotation)
  })
  const last = batches.length - 1
  let id: number | null = null
  try {
    const created = await client.rest.checks.create({
      owner: request.owner,
      repo: request.repo,
      name: request.name,
      head_sha: request.headSha,
      ...(last === 0 ? { status: 'completed' as const, conclusion: request.conclusion } : { status: 'in_progress' as const }),
      output: output(batches[0]!)
    })
    id = created.data.id
    for (let index = 1; index <= last; index++) {
      await client.rest.checks.update({
        owner: request.owner,
        repo: request.repo,
        check_run_id: id,
        ...(index === last ? { status: 'completed' as const, conclusion: request.conclusion } : {}),
        output: output(batches[index]!)
      })
    }
    return { ok: true, id, url: created.data.html_url ?? null, annotations: request.annotations.length }
  } catch (error) {
    if (id !== null) {
      // Do not leave a check run spinning forever; its annotations are incomplete, so the caller falls back.
      await client.rest.checks
        .update({ owner: request.owner, repo: request.repo, check_run_id: id, status: 'completed', conclusion: request.conclusion })
        .catch(() => undefined)
    }
    const status = (error as { status?: unknown }).status
    return { ok: false, status: typeof status === 'number' ? status : null, message: getErrorMessage(error) }
  }
}
