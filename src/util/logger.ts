import type { Logger } from '../model/types.js'

/** What an entry point logs with: a gate's logger, and groups a reader can fold (the action's log). */
export interface RunLogger extends Logger {
  group<T>(title: string, body: () => Promise<T>): Promise<T>
}

/**
 * The CLI's logger, on a stream (stderr: stdout carries the report). A group is a heading line:
 * a terminal has nothing to fold.
 */
export function streamLogger(
  write: (text: string) => void,
  options: { debug?: boolean; quiet?: boolean } = {}
): RunLogger {
  return {
    info: (message) => options.quiet || write(`${message}\n`),
    warning: (message) => write(`warning: ${message}\n`),
    debug: (message) => options.debug && write(`debug: ${message}\n`),
    group: async (title, body) => {
      if (!options.quiet) write(`${title}\n`)
      return body()
    }
  }
}
