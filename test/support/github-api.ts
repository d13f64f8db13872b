// A local stand-in for the two GitHub REST endpoints the action calls (api.github.com cannot be
// reached from here): the files of a pull request and the check-run endpoints, answering the way
// GitHub documents (see startFakeGitHubApi). Every request is recorded (method, path, query,
// Authorization, body) so tests can assert what the action sent.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface PullRequestFileFixture {
  filename: string
  status?: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged'
  patch?: string
}

export interface RecordedApiRequest {
  method: string
  /** Path without the query. */
  path: string
  query: Record<string, string>
  /** The raw Authorization header, or null. */
  authorization: string | null
  /** Parsed JSON body, or null. */
  body: unknown
}

export interface FakeGitHubApiOptions {
  owner: string
  repo: string
  /** Numeric repository id, used in the Link URLs as GitHub does. */
  repositoryId?: number
  pulls?: Record<number, PullRequestFileFixture[]>
  /** `write`: check runs are created; `forbidden`: 403 as for a read-only token (fork pull requests). */
  checks?: 'write' | 'forbidden'
  /** The token requests must carry (`Authorization: token …` or `Bearer …`); 401 otherwise. */
  token: string
}

export interface CheckRunRecord {
  id: number
  headSha: string
  name: string
  status: string
  conclusion: string | null
  title: string | null
  /** Annotations in the order received (create, then each update appends). */
  annotations: unknown[]
}

export interface FakeGitHubApi {
  /** http://127.0.0.1:PORT, for GITHUB_API_URL. */
  url: string
  requests: RecordedApiRequest[]
  checkRuns: CheckRunRecord[]
  stop(): Promise<void>
}

/** GitHub lists at most this many files of a pull request. */
const FILES_LIMIT = 3000
const MAX_ANNOTATIONS_PER_REQUEST = 50

function sendJson(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers })
  response.end(text)
}

function linkHeader(base: string, query: URLSearchParams, page: number, lastPage: number): string {
  const link = (target: number, rel: string): string => {
    const params = new URLSearchParams(query)
    params.set('page', String(target))
    return `<${base}?${params.toString()}>; rel="${rel}"`
  }
  const parts: string[] = []
  if (page > 1) parts.push(link(page - 1, 'prev'))
  if (page < lastPage) parts.push(link(page + 1, 'next'), link(lastPage, 'last'))
  if (page > 1) parts.push(link(1, 'first'))
  return parts.join(', ')
}

function fileEntry(file: PullRequestFileFixture, index: number): Record<string, unknown> {
  const sha = index.toString(16).padStart(40, '0')
  return {
    sha,
    filename: file.filename,
    status: file.status ?? 'modified',
    additions: 1,
    deletions: 1,
    changes: 2,
    blob_url: `https://github.com/o/r/blob/${sha}/${file.filename}`,
    raw_url: `https://github.com/o/r/raw/${sha}/${file.filename}`,
    contents_url: `https://api.github.com/repos/o/r/contents/${file.filename}?ref=${sha}`,
    ...(file.patch === undefined ? {} : { patch: file.patch })
  }
}

/**
 * Starts the stand-in on 127.0.0.1 with a free port. It reproduces the documented behaviour the
 * action depends on:
 * - `GET /repos/{owner}/{repo}/pulls/{pull_number}/files` (docs.github.com/rest/pulls/pulls#list-pull-requests-files):
 *   `per_page` (default 30, max 100) and `page`; a `Link` header with absolute `/repositories/{id}/…`
 *   URLs and rel="prev"/"next"/"last"/"first", as GitHub sends them; at most 3000 files listed.
 * - `POST /repos/{owner}/{repo}/check-runs` (201) and `PATCH …/check-runs/{id}` (200)
 *   (docs.github.com/rest/checks/runs): at most 50 annotations per request (422 otherwise), each
 *   update appending its annotations, and 403 "Resource not accessible by integration" for a token
 *   without `checks: write`.
 * - 401 "Bad credentials" for a request without the expected token.
 */
export async function startFakeGitHubApi(options: FakeGitHubApiOptions): Promise<FakeGitHubApi> {
  const requests: RecordedApiRequest[] = []
  const checkRuns: CheckRunRecord[] = []
  const repositoryId = options.repositoryId ?? 1296269
  let url = ''

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const parsed = new URL(request.url ?? '/', 'http://127.0.0.1')
      const text = Buffer.concat(chunks).toString('utf8')
      let body: unknown = null
      try {
        body = text === '' ? null : JSON.parse(text)
      } catch {
        body = text
      }
      const authorization = request.headers.authorization ?? null
      requests.push({ method: request.method ?? '', path: parsed.pathname, query: Object.fromEntries(parsed.searchParams), authorization, body })

      if (authorization !== `token ${options.token}` && authorization !== `Bearer ${options.token}`) {
        sendJson(response, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' })
        return
      }
      const repoPrefix = `/repos/${options.owner}/${options.repo}`
      const files = new RegExp(`^(?:${repoPrefix}|/repositories/${repositoryId})/pulls/(\\d+)/files$`).exec(parsed.pathname)
      if (request.method === 'GET' && files !== null) {
        const all = (options.pulls?.[Number(files[1])] ?? []).slice(0, FILES_LIMIT)
        const perPage = Math.min(Math.max(Number(parsed.searchParams.get('per_page') ?? 30) || 30, 1), 100)
        const page = Math.max(Number(parsed.searchParams.get('page') ?? 1) || 1, 1)
        const lastPage = Math.max(Math.ceil(all.length / perPage), 1)
        const slice = all.slice((page - 1) * perPage, page * perPage).map((file, i) => fileEntry(file, (page - 1) * perPage + i))
        const link = linkHeader(`${url}/repositories/${repositoryId}/pulls/${files[1]}/files`, parsed.searchParams, page, lastPage)
        sendJson(response, 200, slice, link === '' ? {} : { link })
        return
      }
      const checkRun = new RegExp(`^${repoPrefix}/check-runs(?:/(\\d+))?$`).exec(parsed.pathname)
      if (checkRun !== null && (request.method === 'POST' || request.method === 'PATCH')) {
        if (options.checks !== 'write') {
          sendJson(response, 403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/checks/runs#create-a-check-run', status: '403' })
          return
        }
        const payload = (body ?? {}) as { name?: string; head_sha?: string; status?: string; conclusion?: string; output?: { title?: string; annotations?: unknown[] } }
        const annotations = payload.output?.annotations ?? []
        if (annotations.length > MAX_ANNOTATIONS_PER_REQUEST) {
          sendJson(response, 422, { message: 'Validation Failed', errors: ['Only 50 annotations are allowed per request'], status: '422' })
          return
        }
        let record: CheckRunRecord | undefined
        if (request.method === 'POST' && checkRun[1] === undefined) {
          record = { id: 4000 + checkRuns.length, headSha: payload.head_sha ?? '', name: payload.name ?? '', status: payload.status ?? 'queued', conclusion: payload.conclusion ?? null, title: payload.output?.title ?? null, annotations: [] }
          checkRuns.push(record)
        } else if (request.method === 'PATCH' && checkRun[1] !== undefined) {
          record = checkRuns.find((run) => run.id === Number(checkRun[1]))
          if (record !== undefined) {
            if (payload.status !== undefined) record.status = payload.status
            if (payload.conclusion !== undefined) record.conclusion = payload.conclusion
            if (payload.output?.title !== undefined) record.title = payload.output.title
          }
        }
        if (record === undefined) {
          sendJson(response, 404, { message: 'Not Found', status: '404' })
          return
        }
        record.annotations.push(...annotations)
        sendJson(response, request.method === 'POST' ? 201 : 200, {
          id: record.id,
          head_sha: record.headSha,
          name: record.name,
          status: record.status,
          conclusion: record.conclusion,
          html_url: `https://github.com/${options.owner}/${options.repo}/runs/${record.id}`,
          output: { title: record.title, annotations_count: record.annotations.length }
        })
        return
      }
      sendJson(response, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    requests,
    checkRuns,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error === undefined ? resolve() : reject(error)))
      })
  }
}
