import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { resolveConfigRef } from '../../src/github/config-source.js'
import { readGitHubContext } from '../../src/github/context.js'

const event = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../fixtures/github/events/${name}.json`, import.meta.url), 'utf8')
  )
const env = (eventName: string) => ({
  GITHUB_ACTIONS: 'true',
  GITHUB_EVENT_NAME: eventName,
  GITHUB_EVENT_PATH: `${eventName}.json`,
  GITHUB_SHA: 'f'.repeat(40),
  GITHUB_REF: 'refs/pull/2/merge',
  GITHUB_REPOSITORY: 'Codertocat/Hello-World',
  GITHUB_RUN_ID: '42',
  GITHUB_WORKSPACE: '/home/runner/work/x'
})
const read = (name: string) => () => event(name)

describe('readGitHubContext on real payloads', () => {
  it('pull_request: the head sha, not the merge commit; the base for config-ref', () => {
    const payload = event('pull_request')
    const context = readGitHubContext(env('pull_request'), read('pull_request'))!
    expect(context).toMatchObject({
      eventName: 'pull_request',
      sha: payload.pull_request.head.sha,
      owner: 'Codertocat',
      repo: 'Hello-World',
      pullRequest: {
        number: 2,
        headSha: payload.pull_request.head.sha,
        baseSha: payload.pull_request.base.sha,
        fromFork: false
      },
      runUrl: 'https://github.com/Codertocat/Hello-World/actions/runs/42',
      workspace: '/home/runner/work/x'
    })
  })

  it.each([
    ['push', () => 'f'.repeat(40)],
    ['release', () => 'f'.repeat(40)],
    ['workflow_dispatch', () => 'f'.repeat(40)],
    ['merge_group', () => event('merge_group').merge_group.head_sha],
    ['workflow_run', () => event('workflow_run').workflow_run.head_sha]
  ])('%s', (name, sha) => {
    expect(readGitHubContext(env(name), read(name))!.sha).toBe(sha())
  })

  it('workflow_run: the pull request the triggering run was for, where the comment goes', () => {
    const payload = event('workflow_run')
    expect(readGitHubContext(env('workflow_run'), () => payload)!.workflowRunPullRequest).toBe(
      undefined
    )
    payload.workflow_run.pull_requests = [{ number: 7, head: {}, base: {} }]
    expect(readGitHubContext(env('workflow_run'), () => payload)!.workflowRunPullRequest).toBe(7)
  })

  it('is undefined outside GitHub Actions, and survives an unreadable payload', () => {
    expect(readGitHubContext({}, read('push'))).toBeUndefined()
    const unreadable = () => {
      throw new Error('gone')
    }
    expect(readGitHubContext(env('push'), unreadable)!.sha).toBe('f'.repeat(40))
  })
})

describe('resolveConfigRef', () => {
  const pr = readGitHubContext(env('pull_request_target'), read('pull_request'))!
  it('defaults to base on pull_request_target and head elsewhere', () => {
    expect(resolveConfigRef('', pr).ref).toBe(event('pull_request').pull_request.base.sha)
    expect(
      resolveConfigRef('', readGitHubContext(env('pull_request'), read('pull_request'))).ref
    ).toBeUndefined()
    expect(resolveConfigRef('v2.0.0', undefined)).toEqual({ ref: 'v2.0.0', why: 'ref v2.0.0' })
  })
  it("refuses 'base' where there is no base", () => {
    expect(() => resolveConfigRef('base', readGitHubContext(env('push'), read('push')))).toThrow(
      "config-ref 'base' needs a pull_request"
    )
  })
})
