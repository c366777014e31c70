import type { GateResult } from '../engine/report.js'

/** How a gate's result reads at a glance, shared by every text reporter. */
export interface Status {
  word: string
  symbol: string
  tone: 'good' | 'bad' | 'warn' | 'muted'
}

export function statusOf(result: GateResult): Status {
  if (result.waiver) return { word: 'waived', symbol: '~', tone: 'warn' }
  switch (result.conclusion) {
    case 'success':
      return { word: 'pass', symbol: '✔', tone: 'good' }
    case 'skipped':
      return { word: 'skipped', symbol: '-', tone: 'muted' }
    case 'neutral':
      return { word: 'neutral', symbol: '·', tone: 'muted' }
    case 'action_required':
      return result.required
        ? { word: 'SIGN-OFF', symbol: '!', tone: 'bad' }
        : { word: 'sign-off', symbol: '!', tone: 'warn' }
    case 'timed_out':
      return result.required
        ? { word: 'TIMEOUT', symbol: '✖', tone: 'bad' }
        : { word: 'timeout', symbol: '✖', tone: 'warn' }
    case 'failure':
      return result.required
        ? { word: 'FAIL', symbol: '✖', tone: 'bad' }
        : { word: 'warn', symbol: '▲', tone: 'warn' }
  }
}
