import { readFromDisk } from '../../src/config/source.js'
import { policyReader } from '../../src/engine/evaluate.js'
import { readFileSync } from 'node:fs'
import type { Plan, PlannedGate } from '../../src/config/model.js'
import type { GateResult, Report } from '../../src/model/report.js'
import { countConclusions } from '../../src/model/report.js'
import { annotationsOf } from '../../src/engine/findings.js'
import { judgeFindings } from '../../src/engine/run-plan.js'
import type { Outcome, Workspace } from '../../src/model/types.js'
import { exec } from '../../src/util/exec.js'

export function makeGate(
  partial: Partial<PlannedGate> & Pick<PlannedGate, 'id' | 'check'>
): PlannedGate {
  return {
    name: partial.id,
    with: {},
    required: true,
    stages: ['pre-release'],
    timeoutMs: 30_000,
    waivers: [],
    needs: [],
    after: [],
    enabled: true,
    location: 'test.yml:1:1',
    ...partial
  }
}

export function makePlan(gates: PlannedGate[]): Plan {
  return { file: 'test.yml', stage: 'pre-release', gates }
}

/** A workspace for calling a check directly; `secrets` collects what it registered. */
export function makeWorkspace(
  cwd: string,
  env: NodeJS.ProcessEnv = {}
): Workspace & { secrets: string[]; logs: string[] } {
  const secrets: string[] = []
  const logs: string[] = []
  return {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    exec,
    signal: new AbortController().signal,
    logger: { info: (m) => logs.push(m), warning: (m) => logs.push(m), debug: () => undefined },
    secret: (value) => secrets.push(value),
    readPolicyFile: policyReader(cwd, readFromDisk),
    now: new Date('2026-06-01T12:00:00Z'),
    secrets,
    logs
  }
}

/** Whether a process still runs (a zombie waiting to be reaped counts as gone). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

/** A GateResult with sensible defaults, for reporter tests. */
export function makeResult(partial: Partial<GateResult> & Pick<GateResult, 'id'>): GateResult {
  return {
    name: partial.id,
    check: 'command',
    required: true,
    met: true,
    blocking: false,
    startedAt: '2026-06-01T12:00:00.000Z',
    completedAt: '2026-06-01T12:00:01.200Z',
    durationMs: 1200,
    expiredWaivers: [],
    location: '.github/release-gates.yml:3:5',
    conclusion: 'success',
    title: 'ok',
    summary: '',
    annotations: [],
    ...partial
  }
}

/** A Report around results, counted the way runPlan counts them. */
export function makeReport(gates: GateResult[], partial: Partial<Report> = {}): Report {
  const failedGates = gates.filter((gate) => gate.blocking).map((gate) => gate.id)
  return {
    tool: { name: 'release-gates', version: '0.0.0' },
    file: '.github/release-gates.yml',
    environment: 'production',
    stage: 'pre-release',
    startedAt: '2026-06-01T12:00:00.000Z',
    durationMs: 5000,
    result: failedGates.length ? 'failed' : 'passed',
    counts: countConclusions(gates),
    failedGates,
    gates,
    ...partial
  }
}

/**
 * A check's outcome with the annotations the engine derives from its findings, for tests that
 * call a check directly (the engine does this for every gate it runs).
 */
/** A check's outcome as the engine reports it: fingerprinted, its finding waivers applied, annotated. */
export async function judged(
  check: (gate: PlannedGate, workspace: Workspace) => Promise<Outcome>,
  gate: PlannedGate,
  workspace: Workspace
): Promise<Outcome> {
  return (await judgeFindings(gate, await check(gate, workspace), workspace)).outcome
}

export async function annotated(outcome: Promise<Outcome> | Outcome): Promise<Outcome> {
  const result = await outcome
  return {
    ...result,
    annotations: [...result.annotations, ...annotationsOf(result.findings ?? [])]
  }
}
