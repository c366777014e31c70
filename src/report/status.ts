import type { GateResult } from '../model/report.js'

/** How a gate's result reads at a glance, shared by every text reporter. */
export interface Status {
  word: string
  /** For terminals. */
  symbol: string
  /** For markdown (job summary, check runs). */
  icon: string
  tone: 'good' | 'bad' | 'warn' | 'muted'
}

export function statusOf(result: GateResult): Status {
  if (result.waiver) return { word: 'waived', symbol: '~', icon: '🟡', tone: 'warn' }
  switch (result.conclusion) {
    case 'success':
      return { word: 'pass', symbol: '✔', icon: '✅', tone: 'good' }
    case 'skipped':
      return { word: 'skipped', symbol: '-', icon: '⏭️', tone: 'muted' }
    case 'neutral':
      return { word: 'neutral', symbol: '·', icon: '⚪', tone: 'muted' }
    case 'action_required':
      return result.required
        ? { word: 'SIGN-OFF', symbol: '!', icon: '✋', tone: 'bad' }
        : { word: 'sign-off', symbol: '!', icon: '✋', tone: 'warn' }
    case 'timed_out':
      return result.required
        ? { word: 'TIMEOUT', symbol: '✖', icon: '⏱️', tone: 'bad' }
        : { word: 'timeout', symbol: '✖', icon: '⏱️', tone: 'warn' }
    case 'failure':
      return result.required
        ? { word: 'FAIL', symbol: '✖', icon: '❌', tone: 'bad' }
        : { word: 'warn', symbol: '▲', icon: '⚠️', tone: 'warn' }
  }
}
