import type { CommitCheck, RequiredCheck } from '../../model/types.js'
import type { Assertion } from '../shared/assertions.js'

/** `required`: what the branch requires; `all`: every check run and status on the commit. */
export type ChecksGreenMode = 'required' | 'all'

export interface ChecksVerdict {
  assertions: Assertion[]
  /** Checks still running or not reported yet, which waiting could settle. */
  waitingFor: string[]
}

const EXPECTED = 'passed'

/**
 * Whether the pipelines on the commit are green. Release Gates' own check runs are the verdict
 * being formed, never a pipeline; a job of this workflow run still running may be this very
 * job, so it is never waited for.
 */
export function judgeCommitChecks(
  mode: ChecksGreenMode,
  checks: CommitCheck[],
  required: RequiredCheck[],
  isOwnCheck: (name: string) => boolean
): ChecksVerdict {
  return mode === 'all' ? judgeAll(checks) : judgeRequired(checks, required, isOwnCheck)
}

function judgeAll(checks: CommitCheck[]): ChecksVerdict {
  const judged = checks.filter(
    (check) => !check.own && !(check.thisRun && check.state === 'pending')
  )
  if (!judged.length)
    return {
      assertions: [
        {
          what: 'checks on the commit',
          expected: 'at least one check run or status, each passed',
          got: 'none but this run’s own: nothing shows a pipeline ran on this commit',
          ok: false
        }
      ],
      waitingFor: []
    }
  return {
    assertions: judged.map((check) => ({
      what: `${check.source} ${check.name}`,
      expected: EXPECTED,
      got: describeCheck(check),
      ok: check.state === 'passed'
    })),
    waitingFor: judged.filter((check) => check.state === 'pending').map((check) => check.name)
  }
}

function judgeRequired(
  checks: CommitCheck[],
  required: RequiredCheck[],
  isOwnCheck: (name: string) => boolean
): ChecksVerdict {
  const assertions: Assertion[] = []
  const waitingFor: string[] = []
  const pipelines = required.filter((rule) => !isOwnCheck(rule.context))
  if (!pipelines.length)
    return {
      assertions: [
        {
          what: 'required checks',
          expected: 'the branch requires checks, each passed on the commit',
          got: required.length
            ? 'the branch requires only this action’s own check: nothing else to be green'
            : 'the branch requires no status checks: nothing to be green (use checks-green: all)',
          ok: false
        }
      ],
      waitingFor
    }
  for (const rule of pipelines) {
    const what = `required check ${rule.context}`
    const named = checks.filter((check) => check.name === rule.context && !check.own)
    const eligible = named.filter(
      (check) =>
        rule.appId === undefined || (check.source === 'check run' && check.appId === rule.appId)
    )
    const passed = eligible.find((check) => check.state === 'passed')
    const pending = eligible.find((check) => check.state === 'pending')
    const failed = eligible.find((check) => check.state === 'failed')
    if (passed) {
      assertions.push({ what, expected: EXPECTED, got: describeCheck(passed), ok: true })
    } else if (pending?.thisRun) {
      assertions.push({
        what,
        expected: EXPECTED,
        got: `${describeCheck(pending)} in this workflow run: make this job need it, a gate cannot wait on its own run`,
        ok: false
      })
    } else if (pending) {
      waitingFor.push(rule.context)
      assertions.push({ what, expected: EXPECTED, got: describeCheck(pending), ok: false })
    } else if (failed) {
      assertions.push({ what, expected: EXPECTED, got: describeCheck(failed), ok: false })
    } else {
      waitingFor.push(rule.context)
      assertions.push({
        what,
        expected: EXPECTED,
        got: named.length
          ? `reported only by ${named.map((check) => (check.appId === undefined ? 'a commit status' : `app ${check.appId}`)).join(', ')}; the ${rule.from} binds it to app ${rule.appId}`
          : 'not reported on this commit',
        ok: false
      })
    }
  }
  return { assertions, waitingFor }
}

function describeCheck(check: CommitCheck): string {
  if (check.state === 'pending') return `still running (${check.result})`
  return check.source === 'status' ? `status ${check.result}` : check.result
}
