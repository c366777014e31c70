import * as core from '@actions/core'
import type { RunLogger } from '../util/logger.js'

/** The action's logger: the toolkit's log commands, each phase a foldable `core.group`. */
export function actionLogger(): RunLogger {
  return {
    info: core.info,
    warning: core.warning,
    debug: core.debug,
    group: (title, body) => core.group(title, body)
  }
}
