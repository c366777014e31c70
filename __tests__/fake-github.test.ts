import { afterEach, describe, expect, it } from '@jest/globals'
import { startFakeGitHub } from './helpers/fake-github.js'
import type { FakeGitHub } from './helpers/fake-github.js'

let fake: FakeGitHub
afterEach(() => fake.close())

const post = (body: unknown, token = 'token ghs_x') =>
  fetch(`${fake.url}/repos/o/r/check-runs`, {
    method: 'POST',
    headers: { authorization: token, 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })

describe('the fake GitHub holds requests to GitHub’s contract', () => {
  it('accepts a valid create and answers with a schema-valid check run', async () => {
    fake = await startFakeGitHub()
    const response = await post({
      name: 'x',
      head_sha: 'a'.repeat(40),
      status: 'completed',
      conclusion: 'success',
      output: { title: 't', summary: 's' }
    })
    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({
      name: 'x',
      conclusion: 'success',
      output: { annotations_count: 0 }
    })
    expect(fake.problems).toEqual([])
  })

  it.each([
    [
      'a body the OpenAPI schema rejects',
      { name: 'x', head_sha: 'a', conclusion: 'passed' },
      /conclusion must be equal to one of the allowed values/
    ],
    ['a missing required field', { name: 'x' }, /must have required property 'head_sha'/],
    [
      'a summary over 65,535 bytes (but not characters)',
      { name: 'x', head_sha: 'a', output: { title: 't', summary: 'é'.repeat(40_000) } },
      /output.summary is 80000 bytes/
    ],
    [
      '51 annotations in one request',
      {
        name: 'x',
        head_sha: 'a',
        output: {
          title: 't',
          summary: 's',
          annotations: Array(51).fill({
            path: 'a',
            start_line: 1,
            end_line: 1,
            annotation_level: 'notice',
            message: 'm'
          })
        }
      },
      /51 annotations in one request/
    ],
    [
      'completed without a conclusion',
      { name: 'x', head_sha: 'a', status: 'completed' },
      /completed without a conclusion/
    ],
    [
      'columns on a multi-line annotation',
      {
        name: 'x',
        head_sha: 'a',
        output: {
          title: 't',
          summary: 's',
          annotations: [
            {
              path: 'a',
              start_line: 1,
              end_line: 2,
              start_column: 1,
              end_column: 1,
              annotation_level: 'notice',
              message: 'm'
            }
          ]
        }
      },
      /columns on a multi-line annotation/
    ]
  ])('rejects %s with 422 and records the problem', async (_name, body, problem) => {
    fake = await startFakeGitHub()
    const response = await post(body)
    expect(response.status).toBe(422)
    expect(fake.problems.join('\n')).toMatch(problem)
  })

  it('records a request without a token', async () => {
    fake = await startFakeGitHub()
    await post({ name: 'x', head_sha: 'a' }, '')
    expect(fake.problems).toEqual(['checks/create without a token'])
  })

  it('answers scripted faults in order, then normally', async () => {
    fake = await startFakeGitHub()
    fake.fail('checks/create', { status: 502, body: { message: 'Bad Gateway' } })
    expect((await post({ name: 'x', head_sha: 'a' })).status).toBe(502)
    expect((await post({ name: 'x', head_sha: 'a' })).status).toBe(201)
  })
})
