import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Ajv } from 'ajv'
import type { ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import {
  COMMENT_ROUTES,
  SIGNOFF_ROUTES,
  emptySignoffState,
  serveCommentWrite,
  serveSignoffRead
} from './fake-github-signoffs.js'
import type { FakeSignoffState } from './fake-github-signoffs.js'
import { shaped } from './github-samples.js'

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv

interface Operation {
  method: string
  path: string
  requestBody: object | null
  responses: Record<string, object>
}

const spec = JSON.parse(
  readFileSync(new URL('../fixtures/github/openapi-operations.json', import.meta.url), 'utf8')
) as {
  operations: Record<string, Operation>
}

/** GitHub's byte limit on check-run output.summary and output.text (the schema counts characters). */
const OUTPUT_BYTES = 65_535

export interface RecordedRequest {
  operationId: string
  method: string
  /** The path as received, including any GHES prefix such as /api/v3. */
  path: string
  body: Record<string, unknown> | undefined
  authorization: string | undefined
  /** What the fake answered. */
  status: number
  /** When it arrived (ms since the epoch). */
  at: number
}

export interface FakeCheckRun {
  id: number
  owner: string
  repo: string
  body: Record<string, unknown>
  /** Every annotation the run received, across create and updates, in order. */
  annotations: Array<Record<string, unknown>>
  updates: number
}

/** A scripted answer for the next request of an operation. */
export interface Fault {
  status: number
  body?: unknown
  headers?: Record<string, string>
  /** Drop the connection instead of answering. */
  destroy?: boolean
  /** Accept the request and never answer (the connection stays open until close()). */
  hang?: boolean
}

/** Repository settings as the fake serves them; `forbidden` answers 403, as to a token without the permission. */
export interface FakeSettings {
  defaultBranch: string
  /** Classic protection of the default branch: its required checks, each with its app (null: any). */
  protection?: { checks: Array<{ context: string; app_id: number | null }> } | 'forbidden'
  /** Rules of active rulesets on the branch. */
  rules: Array<{ type: string; checks?: Array<{ context: string; integration_id?: number }> }>
  /** Undefined: hidden, as GitHub hides it from a token without admin rights. */
  security?: { scanning: 'enabled' | 'disabled'; pushProtection: 'enabled' | 'disabled' }
  vulnerabilityAlerts: boolean | 'forbidden'
  environments: Map<string, { reviewers: number; waitTimer: number }>
  /**
   * Check runs other apps and workflow jobs put on commits, oldest first; those written through
   * checks/create are listed beside them, as GitHub lists every app's. `forbidden`: 403.
   */
  commitCheckRuns: FakeCommitCheckRun[] | 'forbidden'
  /** Commit statuses, oldest first (GitHub lists them newest first). */
  commitStatuses: Array<{
    sha: string
    context: string
    state: 'error' | 'failure' | 'pending' | 'success'
  }>
}

export interface FakeCommitCheckRun {
  sha: string
  name: string
  status: 'queued' | 'in_progress' | 'completed'
  conclusion?:
    'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required'
  /** Default: GitHub Actions (15368). */
  appId?: number
  detailsUrl?: string
}

export interface FakeGitHub {
  /** Base URL to put in GITHUB_API_URL. */
  url: string
  requests: RecordedRequest[]
  checkRuns: FakeCheckRun[]
  /** Request or response that broke GitHub's contract: a test passes only when this is empty. */
  problems: string[]
  /** Files served by the contents API, keyed `ref:path`. */
  files: Map<string, string>
  /**
   * Other repositories (`owner/repo`): their refs (tag or branch -> commit sha) and files by
   * `sha:path`, for `extends: github:…`. A repository not listed answers 404, as a private one does.
   */
  repositories: Map<string, { refs: Map<string, string>; files: Map<string, string> }>
  /** The repository's settings the `github` kind reads. */
  settings: FakeSettings
  /** Pull requests, reviews, comments, issues, teams and commits the sign-off reads see. */
  signoffs: FakeSignoffState
  /** Answers the next requests of an operation with these faults, in order. */
  fail(operationId: string, ...faults: Fault[]): void
  close(): Promise<void>
}

const SETTINGS_OPERATIONS = new Set([
  'repos/get',
  'repos/get-branch-protection',
  'repos/get-branch-rules',
  'repos/check-vulnerability-alerts',
  'repos/get-environment',
  'checks/list-for-ref',
  'repos/list-commit-statuses-for-ref'
])

const ROUTES: Array<{ operationId: string; method: string; pattern: RegExp }> = [
  {
    operationId: 'checks/create',
    method: 'POST',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/check-runs$/
  },
  {
    operationId: 'checks/update',
    method: 'PATCH',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/check-runs\/(\d+)$/
  },
  {
    operationId: 'repos/get-content',
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/
  },
  { operationId: 'repos/get', method: 'GET', pattern: /^\/repos\/([^/]+)\/([^/]+)$/ },
  {
    operationId: 'repos/get-branch-protection',
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/branches\/([^/]+)\/protection$/
  },
  {
    operationId: 'repos/get-branch-rules',
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/rules\/branches\/([^/]+)$/
  },
  {
    operationId: 'repos/check-vulnerability-alerts',
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/vulnerability-alerts$/
  },
  {
    operationId: 'repos/get-environment',
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/environments\/([^/]+)$/
  },
  {
    operationId: 'checks/list-for-ref',
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/check-runs$/
  },
  {
    operationId: 'repos/list-commit-statuses-for-ref',
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/statuses$/
  },
  {
    operationId: 'repos/get-commit',
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)$/
  },
  ...SIGNOFF_ROUTES,
  ...COMMENT_ROUTES
]

/**
 * A local stand-in for api.github.com that holds every request to GitHub's own OpenAPI
 * description of its operation, and to the limits the description cannot express.
 * `prefix` serves under a path, as GitHub Enterprise Server does (/api/v3).
 */
export async function startFakeGitHub(options: { prefix?: string } = {}): Promise<FakeGitHub> {
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats(ajv)
  const validators = new Map<
    string,
    { request?: ValidateFunction; responses: Record<string, ValidateFunction> }
  >()
  for (const [id, operation] of Object.entries(spec.operations)) {
    validators.set(id, {
      ...(operation.requestBody && {
        request: ajv.compile(openApiNullable(operation.requestBody))
      }),
      responses: Object.fromEntries(
        Object.entries(operation.responses).map(([status, schema]) => [
          status,
          ajv.compile(openApiNullable(schema))
        ])
      )
    })
  }
  const prefix = options.prefix ?? ''
  const requests: RecordedRequest[] = []
  const checkRuns: FakeCheckRun[] = []
  const problems: string[] = []
  const files = new Map<string, string>()
  const repositories: FakeGitHub['repositories'] = new Map()
  const settings: FakeSettings = {
    defaultBranch: 'main',
    rules: [],
    vulnerabilityAlerts: false,
    environments: new Map(),
    commitCheckRuns: [],
    commitStatuses: []
  }
  const signoffs = emptySignoffState()
  const faults = new Map<string, Fault[]>()

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      problems.push(`fake server error: ${(error as Error).stack}`)
      send(response, 500, { message: 'fake server error' })
    })
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake')
    const raw = await readBody(request)
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname
    const route = ROUTES.find(
      (candidate) => candidate.method === request.method && candidate.pattern.test(path)
    )
    const record = (operationId: string, status: number, body?: Record<string, unknown>): void => {
      requests.push({
        operationId,
        method: request.method ?? '',
        path: url.pathname,
        body,
        authorization: request.headers.authorization,
        status,
        at: Date.now()
      })
    }
    if (!route || (prefix && !url.pathname.startsWith(prefix))) {
      problems.push(`unexpected request ${request.method} ${url.pathname}`)
      record('unknown', 404)
      return send(response, 404, { message: 'Not Found' })
    }
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined
    const fault = faults.get(route.operationId)?.shift()
    if (fault) {
      record(route.operationId, fault.destroy || fault.hang ? 0 : fault.status, body)
      if (fault.destroy) return void request.socket.destroy()
      if (fault.hang) return
      return send(response, fault.status, fault.body ?? { message: 'fault' }, fault.headers)
    }
    if (!/^(token|Bearer) \S+$/.test(request.headers.authorization ?? ''))
      problems.push(`${route.operationId} without a token`)

    const match = route.pattern.exec(path)!
    const [owner, repo] = [match[1]!, match[2]!]
    const invalid = validateRequest(route.operationId, body)
    if (invalid.length) {
      problems.push(...invalid.map((text) => `${route.operationId}: ${text}`))
      record(route.operationId, 422, body)
      return send(response, 422, {
        message: `Invalid request.\n\n${invalid.join('\n')}`,
        documentation_url: 'https://docs.github.com/rest/checks/runs',
        status: '422'
      })
    }

    if (SIGNOFF_ROUTES.some((candidate) => candidate.operationId === route.operationId))
      return serveSignoffRead(
        route.operationId,
        match,
        request,
        signoffs,
        (operationId) => spec.operations[operationId]!.responses['200'] as Record<string, unknown>,
        (status, payload, headers) => {
          record(route.operationId, status)
          reply(response, route.operationId, status, payload, headers)
        }
      )

    if (COMMENT_ROUTES.some((candidate) => candidate.operationId === route.operationId))
      return serveCommentWrite(
        route.operationId,
        match,
        body,
        signoffs,
        (operationId, status) =>
          spec.operations[operationId]!.responses[status] as Record<string, unknown>,
        (status, payload, headers) => {
          record(route.operationId, status, body)
          reply(response, route.operationId, status, payload, headers)
        }
      )

    if (route.operationId === 'checks/create') {
      const run: FakeCheckRun = {
        id: 4_000_000 + checkRuns.length + 1,
        owner,
        repo,
        body: body!,
        annotations: [...annotationsOf(body)],
        updates: 0
      }
      checkRuns.push(run)
      record(route.operationId, 201, body)
      return reply(response, route.operationId, 201, checkRunResponse(run))
    }
    if (route.operationId === 'checks/update') {
      const run = checkRuns.find((candidate) => candidate.id === Number(match[3]))
      if (!run) {
        record(route.operationId, 404, body)
        return send(response, 404, { message: 'Not Found' })
      }
      run.annotations.push(...annotationsOf(body))
      run.updates++
      run.body = {
        ...run.body,
        ...body,
        output: { ...(run.body.output as object), ...(body?.output as object) }
      }
      record(route.operationId, 200, body)
      return reply(response, route.operationId, 200, checkRunResponse(run))
    }
    const notFound = {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404'
    }
    if (SETTINGS_OPERATIONS.has(route.operationId)) {
      const [status, payload] = settingsAnswer(route.operationId, match, owner, repo)
      record(route.operationId, status)
      return reply(response, route.operationId, status, payload)
    }
    const other = repositories.get(`${owner}/${repo}`)
    if (route.operationId === 'repos/get-commit') {
      const wanted = decodeURIComponent(match[3]!)
      const sha =
        other?.refs.get(wanted) ??
        ([...(other?.refs.values() ?? [])].includes(wanted) ? wanted : undefined)
      record(route.operationId, sha ? 200 : 404)
      if (!sha) return reply(response, route.operationId, 404, notFound)
      const schema = spec.operations['repos/get-commit']!.responses['200'] as never
      return reply(
        response,
        route.operationId,
        200,
        shaped(schema, {
          sha,
          url: `https://api.github.com/repos/${owner}/${repo}/commits/${sha}`,
          html_url: `https://github.com/${owner}/${repo}/commit/${sha}`
        })
      )
    }
    // repos/get-content with the raw media type
    const filePath = decodeURIComponent(match[3]!)
    const ref = url.searchParams.get('ref') ?? 'HEAD'
    const content = other ? other.files.get(`${ref}:${filePath}`) : files.get(`${ref}:${filePath}`)
    record(route.operationId, content === undefined ? 404 : 200)
    if (content === undefined)
      return send(response, 404, {
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest/repos/contents#get-repository-content',
        status: '404'
      })
    // GitHub serves raw content for application/vnd.github.raw (and its versioned v3 form).
    if (!/application\/vnd\.github(\.v3)?\.raw/.test(String(request.headers.accept)))
      problems.push(
        `repos/get-content without the raw media type (accept: ${request.headers.accept})`
      )
    response.writeHead(200, { 'content-type': 'application/vnd.github.raw; charset=utf-8' })
    response.end(content)
  }

  function validateRequest(
    operationId: string,
    body: Record<string, unknown> | undefined
  ): string[] {
    const validate = validators.get(operationId)?.request
    if (!validate) return []
    const found: string[] = []
    if (!validate(body ?? {}))
      found.push(
        ...(validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`)
      )
    const output = body?.output as Record<string, unknown> | undefined
    for (const field of ['summary', 'text'] as const) {
      const value = output?.[field]
      if (typeof value === 'string' && Buffer.byteLength(value) > OUTPUT_BYTES) {
        found.push(
          `output.${field} is ${Buffer.byteLength(value)} bytes; only ${OUTPUT_BYTES} are allowed`
        )
      }
    }
    const annotations = output?.annotations
    if (Array.isArray(annotations) && annotations.length > 50)
      found.push(`${annotations.length} annotations in one request; at most 50`)
    for (const annotation of Array.isArray(annotations)
      ? (annotations as Array<Record<string, unknown>>)
      : []) {
      if (annotation.start_column !== undefined && annotation.start_line !== annotation.end_line)
        found.push('annotation columns on a multi-line annotation')
    }
    if (
      operationId === 'checks/create' &&
      (body?.status === 'completed' || body?.completed_at) &&
      !body?.conclusion
    ) {
      found.push('completed without a conclusion')
    }
    return found
  }

  /** The answer of a settings read, shaped by GitHub's response schema. */
  function settingsAnswer(
    operationId: string,
    match: RegExpExecArray,
    owner: string,
    repo: string
  ): [number, unknown] {
    const schema = (status: string) => spec.operations[operationId]!.responses[status] as never
    const forbidden = { message: 'Resource not accessible by integration', status: '403' }
    const missing = {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404'
    }
    switch (operationId) {
      case 'repos/get':
        return [
          200,
          shaped(schema('200'), {
            name: repo,
            full_name: `${owner}/${repo}`,
            default_branch: settings.defaultBranch,
            ...(settings.security && {
              security_and_analysis: {
                secret_scanning: { status: settings.security.scanning },
                secret_scanning_push_protection: { status: settings.security.pushProtection }
              }
            })
          })
        ]
      case 'repos/get-branch-protection':
        if (settings.protection === 'forbidden') return [403, forbidden]
        if (!settings.protection || match[3] !== settings.defaultBranch)
          return [
            404,
            {
              message: 'Branch not protected',
              documentation_url: 'https://docs.github.com/rest',
              status: '404'
            }
          ]
        return [
          200,
          shaped(schema('200'), {
            url: `https://api.github.com/repos/${owner}/${repo}/branches/${match[3]}/protection`,
            required_status_checks: {
              url: `https://api.github.com/repos/${owner}/${repo}/branches/${match[3]}/protection/required_status_checks`,
              strict: true,
              contexts: settings.protection.checks.map((check) => check.context),
              contexts_url: `https://api.github.com/repos/${owner}/${repo}/branches/${match[3]}/protection/required_status_checks/contexts`,
              checks: settings.protection.checks
            }
          })
        ]
      case 'repos/get-branch-rules':
        return [
          200,
          (match[3] === settings.defaultBranch ? settings.rules : []).map((rule, index) => ({
            type: rule.type,
            ruleset_source_type: 'Repository',
            ruleset_source: `${owner}/${repo}`,
            ruleset_id: index + 1,
            ...(rule.type === 'required_status_checks' && {
              parameters: {
                strict_required_status_checks_policy: false,
                required_status_checks: rule.checks ?? []
              }
            })
          }))
        ]
      case 'checks/list-for-ref': {
        if (settings.commitCheckRuns === 'forbidden') return [403, forbidden]
        const sha = decodeURIComponent(match[3]!)
        const scripted = settings.commitCheckRuns
          .filter((run) => run.sha === sha)
          .map((run, index) =>
            checkRunResponse({
              id: 3_000_000 + index,
              owner,
              repo,
              body: {
                head_sha: sha,
                name: run.name,
                status: run.status,
                ...(run.conclusion && { conclusion: run.conclusion }),
                ...(run.detailsUrl && { details_url: run.detailsUrl })
              },
              annotations: [],
              updates: 0,
              ...(run.appId !== undefined && { appId: run.appId })
            })
          )
        const written = checkRuns
          .filter((run) => run.body.head_sha === sha)
          .map((run) => checkRunResponse(run))
        // filter=latest, GitHub's default: the most recent run of each name.
        const latest = new Map<unknown, Record<string, unknown>>()
        for (const run of [...scripted, ...written]) latest.set(run.name, run)
        return [200, { total_count: latest.size, check_runs: [...latest.values()] }]
      }
      case 'repos/list-commit-statuses-for-ref': {
        const sha = decodeURIComponent(match[3]!)
        const statuses = settings.commitStatuses
          .filter((status) => status.sha === sha)
          .map((status, index) =>
            shaped(schema('200'), [
              {
                id: 9_000 + index,
                node_id: `SC_${index}`,
                url: `https://api.github.com/repos/${owner}/${repo}/statuses/${sha}`,
                avatar_url: null,
                state: status.state,
                description: null,
                target_url: null,
                context: status.context,
                created_at: '2026-01-01T00:00:00Z',
                updated_at: '2026-01-01T00:00:00Z',
                creator: null
              }
            ])
          )
          .flat()
          .reverse()
        return [200, statuses]
      }
      case 'repos/check-vulnerability-alerts':
        return settings.vulnerabilityAlerts === 'forbidden'
          ? [403, forbidden]
          : settings.vulnerabilityAlerts
            ? [204, undefined]
            : [404, missing]
      default: {
        const name = decodeURIComponent(match[3]!)
        const environment = settings.environments.get(name)
        if (!environment) return [404, missing]
        const rules = [
          ...(environment.reviewers
            ? [
                {
                  id: 1,
                  node_id: 'GA_1',
                  type: 'required_reviewers',
                  prevent_self_review: true,
                  reviewers: Array.from({ length: environment.reviewers }, (_, index) => ({
                    type: 'User',
                    reviewer: { login: `reviewer${index}`, id: 100 + index }
                  }))
                }
              ]
            : []),
          ...(environment.waitTimer
            ? [{ id: 2, node_id: 'GA_2', type: 'wait_timer', wait_timer: environment.waitTimer }]
            : [])
        ]
        return [
          200,
          {
            id: 7,
            node_id: 'EN_7',
            name,
            url: `https://api.github.com/repos/${owner}/${repo}/environments/${name}`,
            html_url: `https://github.com/${owner}/${repo}/deployments/activity_log?environments_filter=${name}`,
            created_at: '2026-01-01T00:00:00Z',
            updated_at: '2026-01-01T00:00:00Z',
            protection_rules: rules,
            deployment_branch_policy: null
          }
        ]
      }
    }
  }

  function reply(
    response: ServerResponse,
    operationId: string,
    status: number,
    body: unknown,
    headers: Record<string, string> = {}
  ): void {
    const validate = validators.get(operationId)?.responses[String(status)]
    if (validate && !validate(body))
      problems.push(
        `fake's own ${operationId} ${status} response breaks the schema: ${ajv.errorsText(validate.errors)}`
      )
    send(response, status, body, headers)
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    checkRuns,
    problems,
    files,
    repositories,
    settings,
    signoffs,
    fail(operationId, ...list) {
      faults.set(operationId, [...(faults.get(operationId) ?? []), ...list])
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/**
 * OpenAPI 3.0's `nullable: true` admits null even beside an `enum`, or without a `type`; ajv
 * only does when the enum lists null, and only beside `type`. Rewrites both, so the schema means
 * what GitHub's description says.
 */
function openApiNullable<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(openApiNullable) as T
  if (!schema || typeof schema !== 'object') return schema
  const copy = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, openApiNullable(value)])
  ) as Record<string, unknown>
  if (copy.nullable === true && Array.isArray(copy.enum) && !copy.enum.includes(null))
    copy.enum = [...copy.enum, null]
  // ajv reads `nullable` only beside `type`; a nullable allOf/anyOf means "that, or null".
  if (copy.nullable === true && copy.type === undefined) {
    const { nullable: _nullable, ...rest } = copy
    return { anyOf: [rest, { type: 'null' }] } as T
  }
  return copy as T
}

function annotationsOf(body: Record<string, unknown> | undefined): Array<Record<string, unknown>> {
  const annotations = (body?.output as { annotations?: unknown } | undefined)?.annotations
  return Array.isArray(annotations) ? (annotations as Array<Record<string, unknown>>) : []
}

/** A check-run object as GitHub returns it (every field its schema requires). */
function checkRunResponse(run: FakeCheckRun & { appId?: number }): Record<string, unknown> {
  const body = run.body
  const output = (body.output ?? {}) as Record<string, unknown>
  const base = `https://api.github.com/repos/${run.owner}/${run.repo}`
  const now = new Date().toISOString()
  return {
    id: run.id,
    node_id: `CR_${run.id}`,
    head_sha: body.head_sha,
    external_id: body.external_id ?? '',
    url: `${base}/check-runs/${run.id}`,
    html_url: `https://github.com/${run.owner}/${run.repo}/runs/${run.id}`,
    details_url: body.details_url ?? null,
    status: body.status ?? 'queued',
    conclusion: body.conclusion ?? null,
    started_at: body.started_at ?? now,
    completed_at: body.completed_at ?? null,
    output: {
      title: output.title ?? null,
      summary: output.summary ?? null,
      text: output.text ?? null,
      annotations_count: run.annotations.length,
      annotations_url: `${base}/check-runs/${run.id}/annotations`
    },
    name: body.name,
    check_suite: { id: 5_000_000 },
    app: {
      id: run.appId ?? 15368,
      slug: run.appId === undefined || run.appId === 15368 ? 'github-actions' : `app-${run.appId}`,
      node_id: 'MDM6QXBwMTUzNjg=',
      client_id: 'Iv1.05c79e9ad1f6bdfa',
      owner: {
        login: 'github',
        id: 9919,
        node_id: 'MDEyOk9yZ2FuaXphdGlvbjk5MTk=',
        avatar_url: 'https://avatars.githubusercontent.com/u/9919?v=4',
        gravatar_id: '',
        url: 'https://api.github.com/users/github',
        html_url: 'https://github.com/github',
        followers_url: 'https://api.github.com/users/github/followers',
        following_url: 'https://api.github.com/users/github/following{/other_user}',
        gists_url: 'https://api.github.com/users/github/gists{/gist_id}',
        starred_url: 'https://api.github.com/users/github/starred{/owner}{/repo}',
        subscriptions_url: 'https://api.github.com/users/github/subscriptions',
        organizations_url: 'https://api.github.com/users/github/orgs',
        repos_url: 'https://api.github.com/users/github/repos',
        events_url: 'https://api.github.com/users/github/events{/privacy}',
        received_events_url: 'https://api.github.com/users/github/received_events',
        type: 'Organization',
        site_admin: false
      },
      name: 'GitHub Actions',
      description: 'Automate your workflow from idea to production',
      external_url: 'https://help.github.com/en/actions',
      html_url: 'https://github.com/apps/github-actions',
      created_at: '2018-07-30T09:30:17Z',
      updated_at: '2019-12-10T19:04:12Z',
      permissions: { checks: 'write', contents: 'read' },
      events: ['check_run', 'push']
    },
    pull_requests: []
  }
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  response.end(JSON.stringify(body))
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}
