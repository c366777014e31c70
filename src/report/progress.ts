import type { ProgressEvent } from '../model/report.js'
import { formatDuration } from '../util/duration.js'
import { statusOf } from './status.js'

export interface ProgressWriter {
  write(text: string): void
  isTTY: boolean
}

/**
 * Live progress while gates run. On a terminal: one line redrawn in place (which gates are
 * running, N of M done). Elsewhere (CI logs): one line per finished gate.
 */
export class Progress {
  private readonly running = new Map<string, number>()
  private done = 0
  private total = 0
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly out: ProgressWriter) {}

  start(total: number): void {
    this.total = total
    if (this.out.isTTY) this.timer = setInterval(() => this.redraw(), 250)
  }

  handle = (event: ProgressEvent): void => {
    if (event.type === 'start') {
      this.running.set(event.gate.id, Date.now())
    } else {
      this.running.delete(event.result.id)
      this.done = event.done
      if (!this.out.isTTY) {
        const status = statusOf(event.result)
        this.out.write(
          `${status.symbol} ${event.result.id}: ${status.word} (${formatDuration(event.result.durationMs)}) [${event.done}/${event.total}]\n`
        )
      }
    }
    if (this.out.isTTY) this.redraw()
  }

  stop(): void {
    clearInterval(this.timer)
    if (this.out.isTTY) this.out.write('\r\u001b[K')
  }

  private redraw(): void {
    const now = Date.now()
    const running = [...this.running].map(([id, since]) => `${id} ${formatDuration(now - since)}`)
    this.out.write(
      `\r\u001b[K${this.done}/${this.total} done · running: ${running.join(', ') || '—'}`.slice(
        0,
        200
      )
    )
  }
}
