import { describe, expect, it } from '@jest/globals'
import type { Annotation } from '../../src/model/types.js'
import {
  annotationBatches,
  fitOutput,
  OUTPUT_LIMIT,
  planCheckRuns,
  toApiAnnotation
} from '../../src/report/check-runs.js'
import { checkRunConclusion, overallConclusion, overallTitle } from '../../src/report/conclusion.js'
import { renderJobSummary } from '../../src/report/summary.js'
import { pickWorkflowAnnotations } from '../../src/report/workflow-annotations.js'
import { truncateUtf8 } from '../../src/util/utf8.js'
import { makeReport, makeResult } from '../helpers/plan.js'

const options = { prefix: 'Release gates (production)', maxCheckRuns: 50, maxAnnotations: 200 }
const annotation = (level: Annotation['level'], line: number): Annotation => ({
  path: 'src/a.ts',
  line,
  level,
  message: `${level} ${line}`
})

describe('truncateUtf8', () => {
  it('cuts on a character boundary and keeps the note inside the limit', () => {
    const text = '€'.repeat(100) // 3 bytes each
    const cut = truncateUtf8(text, 100, (dropped) => ` [${dropped} cut]`)
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(100)
    expect(cut).toMatch(/^€+ \[\d+ cut\]$/)
    expect(cut).not.toContain('\uFFFD')
    expect(truncateUtf8('short', 100, () => 'x')).toBe('short')
  })

  it('fits a 200 KB output into 65,535 bytes with a note', () => {
    const fitted = fitOutput('ü'.repeat(100_000))
    expect(Buffer.byteLength(fitted)).toBeLessThanOrEqual(OUTPUT_LIMIT)
    expect(Buffer.byteLength(fitted)).toBeGreaterThan(OUTPUT_LIMIT - 200)
    expect(fitted).toContain("Cut to GitHub's 65,535-byte limit: ")
  })
})

describe('conclusions', () => {
  it('maps unmet advisory gates to neutral and keeps what happened to required ones', () => {
    expect(
      checkRunConclusion(makeResult({ id: 'a', conclusion: 'failure', met: false, blocking: true }))
    ).toBe('failure')
    expect(
      checkRunConclusion(
        makeResult({ id: 'a', conclusion: 'failure', met: false, required: false })
      )
    ).toBe('neutral')
    expect(
      checkRunConclusion(
        makeResult({ id: 'a', conclusion: 'action_required', met: false, required: false })
      )
    ).toBe('neutral')
    expect(
      checkRunConclusion(
        makeResult({ id: 'a', conclusion: 'timed_out', met: false, blocking: true })
      )
    ).toBe('timed_out')
    expect(checkRunConclusion(makeResult({ id: 'a', conclusion: 'skipped' }))).toBe('skipped')
  })

  it('the overall check is action_required when only sign-offs are missing', () => {
    const signOff = makeResult({
      id: 'qa',
      conclusion: 'action_required',
      met: false,
      blocking: true
    })
    const broken = makeResult({ id: 'lint', conclusion: 'failure', met: false, blocking: true })
    expect(overallConclusion(makeReport([makeResult({ id: 'a' }), signOff]))).toBe(
      'action_required'
    )
    expect(overallConclusion(makeReport([signOff, broken]))).toBe('failure')
    expect(overallConclusion(makeReport([makeResult({ id: 'a' })]))).toBe('success')
    expect(overallTitle(makeReport([signOff, broken]))).toBe('2 required gates unmet: qa, lint')
    expect(
      overallTitle(
        makeReport([
          makeResult({ id: 'a' }),
          makeResult({ id: 'b', required: false, met: false, conclusion: 'failure' })
        ])
      )
    ).toBe('The required gate is met, 1 advisory not met')
  })
})

describe('planCheckRuns', () => {
  it('the overall run first, then one per gate; annotations most severe first, capped, in 50s', () => {
    const annotations = [
      ...Array.from({ length: 70 }, (_, index) => annotation('notice', index + 1)),
      ...Array.from({ length: 60 }, (_, index) => annotation('failure', index + 100))
    ]
    const report = makeReport([
      makeResult({
        id: 'lint',
        name: 'ESLint passes',
        conclusion: 'failure',
        met: false,
        blocking: true,
        annotations
      }),
      makeResult({ id: 'build' })
    ])
    const plan = planCheckRuns(report, { ...options, maxAnnotations: 120 })
    expect(plan.grouped).toBe(false)
    expect(plan.runs.map((run) => [run.name, run.conclusion])).toEqual([
      ['Release gates (production)', 'failure'],
      ['Release gates (production) / ESLint passes', 'failure'],
      ['Release gates (production) / build', 'success']
    ])
    const lint = plan.runs[1]!
    expect(lint.annotations).toHaveLength(120)
    expect(lint.annotations.slice(0, 60).every((item) => item.annotation_level === 'failure')).toBe(
      true
    )
    expect(lint.summary).toContain('10 more annotation(s) are not attached (max-annotations: 120)')
    expect(lint.text).toContain('### All 130 annotation(s)')
    expect(annotationBatches(lint.annotations).map((batch) => batch.length)).toEqual([50, 50, 20])
  })

  it('groups by section above max-check-runs, every gate a row, the group concluding as its worst', () => {
    const gates = Array.from({ length: 12 }, (_, index) =>
      makeResult({
        id: `g${index}`,
        section: ['A', 'B', 'C'][index % 3]!,
        ...(index === 4 && { conclusion: 'failure' as const, met: false, blocking: true })
      })
    )
    const plan = planCheckRuns(makeReport(gates), { ...options, maxCheckRuns: 10 })
    expect(plan.grouped).toBe(true)
    expect(plan.runs.map((run) => [run.name, run.conclusion, run.gateIds.length])).toEqual([
      ['Release gates (production)', 'failure', 12],
      ['Release gates (production) / A', 'success', 4],
      ['Release gates (production) / B', 'failure', 4],
      ['Release gates (production) / C', 'success', 4]
    ])
    expect(plan.runs[2]!.title).toBe('1 of 4 required items unmet in B')
  })

  it('keeps the number of check runs within max-check-runs even with many sections', () => {
    const gates = Array.from({ length: 30 }, (_, index) =>
      makeResult({ id: `g${index}`, section: `S${index}` })
    )
    const plan = planCheckRuns(makeReport(gates), { ...options, maxCheckRuns: 5 })
    expect(plan.runs).toHaveLength(5)
    expect(plan.runs.at(-1)!.name).toBe('Release gates (production) / 27 more sections')
    expect(plan.runs.slice(1).reduce((sum, run) => sum + run.gateIds.length, 0)).toBe(30)
  })

  it('maps annotations to the API: columns only on one line, paths under the working directory', () => {
    expect(
      toApiAnnotation(
        { path: 'src/a.ts', line: 3, column: 5, level: 'warning', message: 'm' },
        'packages/web'
      )
    ).toEqual({
      path: 'packages/web/src/a.ts',
      start_line: 3,
      end_line: 3,
      start_column: 5,
      end_column: 5,
      annotation_level: 'warning',
      message: 'm'
    })
    expect(
      toApiAnnotation({ path: 'a', line: 3, endLine: 9, column: 5, level: 'notice', message: 'm' })
    ).toEqual({
      path: 'a',
      start_line: 3,
      end_line: 9,
      annotation_level: 'notice',
      message: 'm'
    })
  })
})

describe('renderJobSummary', () => {
  it('headline, table, details of unmet gates and waivers', () => {
    const report = makeReport(
      [
        makeResult({ id: 'build', name: 'Build passes', section: 'Code Quality' }),
        makeResult({
          id: 'qa',
          name: 'QA sign-off',
          conclusion: 'action_required',
          met: false,
          blocking: true,
          title: 'Needs sign-off: QA sign-off',
          summary: 'Run the plan'
        }),
        makeResult({
          id: 'e2e',
          conclusion: 'neutral',
          waiver: {
            reason: 'runner swap',
            owner: '@qa',
            expires: '2030-01-01',
            location: 'g.yml:9:9',
            original: 'failure'
          }
        })
      ],
      { github: { eventName: 'push', sha: '0123456789abcdef0123456789abcdef01234567' } }
    )
    const summary = renderJobSummary(report)
    expect(summary).toMatch(
      /^## ❌ Release gates failed: 1 required gate unmet: qa\n\n\*\*production\*\* · stage `pre-release` · commit `0123456`/
    )
    expect(summary).toContain(
      '| ✅ pass | Build passes<br><sub>`build`</sub> | Code Quality | ok | required | 1.2s |'
    )
    expect(summary).toContain('| Status | Gate | Section | Result | Required | Time |')
    // The headline counts 1 required gate unmet: so does the section (the waived one is met).
    expect(summary).toContain('### Required, not met (1)')
    expect(summary).not.toContain('Advisory, not met')
    expect(summary).toContain('#### ✋ QA sign-off (`qa`)')
    expect(summary).toContain(
      '| `e2e` | 🟡 in force | @qa | 2030-01-01 | runner swap | `g.yml:9:9` |'
    )
  })

  it('escapes user text, counts advisory gates apart, and lists a finding the summary shows once', () => {
    const report = makeReport([
      makeResult({
        id: 'no-console',
        name: 'No *debug* output in src/**/*.ts',
        conclusion: 'failure',
        met: false,
        blocking: true,
        title: '1 of 1 file rule broken: src/**/*.ts free of /console\\.log/ and `npm test` ran',
        summary: '| Rule | Where |\n|---|---|\n| x | `src/a.ts:3` |',
        annotations: [
          { path: 'src/a.ts', line: 3, level: 'failure', message: 'shown in the table' },
          { path: 'src/b.ts', line: 7, level: 'failure', message: 'only here' }
        ]
      }),
      makeResult({ id: 'perf', required: false, conclusion: 'failure', met: false, title: 'slow' })
    ])
    const summary = renderJobSummary(report)
    // A glob inside bold text no longer closes the bold; the code span is kept.
    expect(summary).toContain(
      '**1 of 1 file rule broken: src/\\*\\*/\\*.ts free of /console\\\\.log/ and `npm test` ran**'
    )
    expect(summary).toContain('No \\*debug\\* output in src/\\*\\*/\\*.ts')
    expect(summary).toContain('### Required, not met (1)')
    expect(summary).toContain('### Advisory, not met (1)')
    expect(summary).not.toContain('shown in the table')
    expect(summary).toContain('- `src/b.ts:7` failure: only here')
  })

  it('stays inside the 1 MiB step-summary limit', () => {
    const huge = makeResult({
      id: 'big',
      conclusion: 'failure',
      met: false,
      blocking: true,
      summary: 'x'.repeat(2 * 1024 * 1024)
    })
    const summary = renderJobSummary(makeReport([huge]))
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(1024 * 1024)
    expect(summary).toContain("The summary was cut to fit GitHub's 1 MiB limit")
  })
})

describe('pickWorkflowAnnotations', () => {
  it('takes unmet required gates first, then their findings, then advisory ones, within each level’s budget', () => {
    const report = makeReport([
      makeResult({
        id: 'advisory',
        required: false,
        met: false,
        conclusion: 'failure',
        title: 'slow',
        annotations: [annotation('warning', 1)]
      }),
      makeResult({
        id: 'lint',
        met: false,
        blocking: true,
        conclusion: 'failure',
        title: 'lint failed',
        location: 'g.yml:4:5',
        annotations: Array.from({ length: 12 }, (_, index) => annotation('failure', index + 1))
      })
    ])
    const { chosen, dropped } = pickWorkflowAnnotations(report, '', {
      error: 9,
      warning: 10,
      notice: 10
    })
    const errors = chosen.filter((item) => item.level === 'error')
    expect(errors).toHaveLength(9)
    expect(errors[0]).toMatchObject({ message: 'lint failed', file: 'g.yml', line: 4, column: 5 })
    expect(errors[1]).toMatchObject({ message: 'failure 1', file: 'src/a.ts', line: 1 })
    expect(chosen.filter((item) => item.level === 'warning').map((item) => item.message)).toEqual([
      'slow',
      'warning 1'
    ])
    expect(dropped).toBe(4)
  })
})
