/** The process's verdict; only the entry points turn errors into these. */
export const EXIT = {
  /** Every required gate is met (or, for validate/list, the file is valid). */
  ok: 0,
  /** A required gate is unmet. */
  unmet: 1,
  /** The gates file or the command line is wrong: fix the configuration. */
  config: 2,
  /** A bug in Release Gates: please report it. */
  internal: 3
} as const
