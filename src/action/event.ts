// The workflow run the action is part of, read from the runner's environment and the event payload
// file (GITHUB_EVENT_PATH): which event, which repository, and for a pull request or merge queue
// the base and head commits. Plain data, so the rest of the action does not reach into payloads.
import { readFile } from 'node:fs/promises'

/** Events whose changed files can be listed; `scope: changed` scans only those. */
export const CHANGE_EVENTS: ReadonlySet<string> = new Set(['pull_request', 'pull_request_target', 'merge_group'])

export interface PullRequestInfo {
  number: number
  baseSha: string
  /** The commit with the change (not GITHUB_SHA, which is the synthetic merge commit). */
  headSha: string
  /** The head branch lives in another repository. */
  fromFork: boolean
  /** `changed_files` from the payload, when given (GitHub lists at most 3000 of them). */
  changedFiles: number | null
}

export interface EventContext {
  eventName: string
  /** `owner/repo` of the workflow's repository, or null outside GitHub. */
  repository: { owner: string; repo: string } | null
  pullRequest: PullRequestInfo | null
  /** Base and head of a merge queue group. */
  mergeGroup: { baseSha: string; headSha: string } | null
  /** The commit findings belong to: the pull request's or merge group's head, else GITHUB_SHA. */
  headSha: string | null
  /** GITHUB_SHA: on pull_request events the merge commit the checkout holds. */
  sha: string | null
  /**
   * The run has no secrets: a `pull_request` from a fork. (`pull_request_target` runs in the base
   * repository with its secrets.)
   */
  withoutSecrets: boolean
  /** The repository checkout (GITHUB_WORKSPACE). */
  workspace: string
}

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null
}

function at(value: unknown, ...keys: string[]): unknown {
  let current: unknown = value
  for (const key of keys) current = record(current)?.[key]
  return current
}

/** Reads the event payload JSON; an unreadable or missing file is an empty payload (e.g. a local run). */
export async function readEventPayload(eventPath: string | undefined): Promise<Record<string, unknown>> {
  if (eventPath === undefined || eventPath === '') return {}
  try {
    return record(JSON.parse(await readFile(eventPath, 'utf8'))) ?? {}
  } catch {
    return {}
  }
}

/** Builds the context from the runner's environment and the event payload. */
export function eventContext(env: NodeJS.ProcessEnv, payload: Record<string, unknown>, cwd: string): EventContext {
  const eventName = env['GITHUB_EVENT_NAME'] ?? ''
  const [owner, repo] = (env['GITHUB_REPOSITORY'] ?? '').split('/')
  const repository = owner && repo ? { owner, repo } : null

  let pullRequest: PullRequestInfo | null = null
  const pr = record(payload['pull_request'])
  const number = typeof pr?.['number'] === 'number' ? pr['number'] : typeof payload['number'] === 'number' ? payload['number'] : null
  const baseSha = text(at(pr, 'base', 'sha'))
  const headSha = text(at(pr, 'head', 'sha'))
  if (pr !== null && number !== null && baseSha !== null && headSha !== null) {
    const headRepo = text(at(pr, 'head', 'repo', 'full_name'))
    const baseRepo = text(at(pr, 'base', 'repo', 'full_name'))
    pullRequest = {
      number,
      baseSha,
      headSha,
      // A deleted fork has no head repository at all.
      fromFork: headRepo === null || (baseRepo !== null && headRepo !== baseRepo),
      changedFiles: typeof pr['changed_files'] === 'number' ? pr['changed_files'] : null
    }
  }

  const group = record(payload['merge_group'])
  const mergeBase = text(group?.['base_sha'])
  const mergeHead = text(group?.['head_sha'])
  const mergeGroup = mergeBase !== null && mergeHead !== null ? { baseSha: mergeBase, headSha: mergeHead } : null

  return {
    eventName,
    repository,
    pullRequest,
    mergeGroup,
    headSha: pullRequest?.headSha ?? mergeGroup?.headSha ?? text(env['GITHUB_SHA']),
    sha: text(env['GITHUB_SHA']),
    withoutSecrets: eventName === 'pull_request' && pullRequest?.fromFork === true,
    workspace: text(env['GITHUB_WORKSPACE']) ?? cwd
  }
}
