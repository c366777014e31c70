import { readFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from '@jest/globals'
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import { parse } from 'yaml'

const WORKFLOW = '.github/workflows/release-gates.reusable.yml'

interface Input {
  description: string
  default?: unknown
  type?: string
}

describe('the reusable workflow', () => {
  const text = readFileSync(WORKFLOW, 'utf8')
  const workflow = parse(text) as {
    on: { workflow_call: { inputs: Record<string, Input>; outputs: Record<string, unknown> } }
    jobs: { gates: { steps: Array<{ uses?: string; with?: Record<string, string> }> } }
  }
  const action = parse(readFileSync('action.yml', 'utf8')) as {
    inputs: Record<string, Input>
    outputs: Record<string, unknown>
  }

  it("is a workflow GitHub's own parser accepts", () => {
    const result = parseWorkflow({ name: WORKFLOW, content: text }, new NoOperationTraceWriter())
    expect(result.context.errors.getErrors().map((error) => error.message)).toEqual([])
    expect(result.value).toBeDefined()
    // The parser does catch a mistake: an unknown key on a step.
    const broken = parseWorkflow(
      {
        name: WORKFLOW,
        content: text.replace('      - id: gates\n', '      - id: gates\n        whatever: 1\n')
      },
      new NoOperationTraceWriter()
    )
    expect(
      broken.context.errors
        .getErrors()
        .map((error) => error.message)
        .join('\n')
    ).toMatch(/whatever/)
  })

  it('mirrors the action: each input with its default, passed on; each output; the token as a secret', () => {
    const { inputs, outputs } = workflow.on.workflow_call
    const step = workflow.jobs.gates.steps.find((candidate) =>
      candidate.uses?.startsWith('release-gates/')
    )!
    for (const [name, input] of Object.entries(action.inputs)) {
      if (name === 'token') continue
      expect(inputs[name]).toEqual({
        description: input.description,
        type: 'string',
        default: input.default ?? ''
      })
      expect(step.with![name]).toBe(`\${{ inputs.${name} }}`)
    }
    expect(inputs.token).toBeUndefined()
    expect(step.with!.token).toBe('${{ secrets.token || github.token }}')
    expect(Object.keys(outputs)).toEqual(Object.keys(action.outputs))
    expect(
      execFileSync(process.execPath, ['scripts/build-workflow.mjs', '--check']).toString()
    ).toContain('mirrors action.yml')
  })
})
