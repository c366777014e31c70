import { readFileSync } from 'node:fs'
import type { Plan, PlannedGate } from '../../src/config/model.js'
import type { Workspace } from '../../src/engine/types.js'
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
