import { killAllProcessGroups } from './exec.js'

/** Exit code of a process ended by SIGINT/SIGTERM, as shells report it (128 + signal number). */
const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 }

/**
 * On SIGINT or SIGTERM (Ctrl-C, a cancelled workflow), kills every command's process group
 * before exiting: they run in groups of their own and would otherwise outlive us.
 */
export function killChildrenOnInterrupt(onInterrupt: (signal: string) => void): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAllProcessGroups('SIGTERM')
      onInterrupt(signal)
      // Give the groups a moment to end cleanly; exit with the signal's code either way, even
      // if the run meanwhile finished with the killed gates as failures.
      setTimeout(() => {
        killAllProcessGroups('SIGKILL')
        process.exit(SIGNAL_EXIT[signal])
      }, 500)
    })
  }
}
