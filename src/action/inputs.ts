import * as core from '@actions/core'
import { ConfigError } from '../config/errors.js'
import { DEFAULT_CONFIG } from '../engine/evaluate.js'
import { DEFAULT_API_TIMEOUT_MS } from '../github/octokit.js'
import { parseShard } from '../engine/shard.js'
import type { ShardSpec } from '../engine/shard.js'
import { parseDuration } from '../util/duration.js'

export type CheckRunsMode = 'auto' | 'always' | 'never'
export type CommentMode = 'never' | 'on-failure' | 'always'
export interface Inputs {
  config: string
  configRef: string
  environment: string
  stage: string
  only: string[]
  token: string
  workingDirectory: string
  concurrency?: number
  reportPath: string
  /** Where to write the run's SARIF; empty: none. */
  sarif: string
  /** Empty: 'Release gates (<environment>)'. */
  checkPrefix: string
  checkRuns: CheckRunsMode
  maxCheckRuns: number
  maxAnnotations: number
  /** Publish this JSON report from an earlier run instead of evaluating. */
  publishReport: string
  /** A plan with no gate to evaluate passes instead of being a configuration error. */
  allowEmpty: boolean
  /** Per attempt of each GitHub API request. */
  apiTimeoutMs: number
  /** The pull-request comment: never, when the run fails, or on every run. */
  comment: CommentMode
  /** Once the run passes, delete the comment instead of updating it to say so. */
  deleteCommentWhenPassed: boolean
  /** Evaluate only this part of the plan (`K/N`), for a matrix job. */
  shard?: ShardSpec
  /** An earlier JSON report whose durations balance the shards. */
  shardDurations: string
  /** A glob of the shards' reports to merge and publish as one. */
  mergeReports: string
}
export function readInputs(): Inputs {
  const number = (name: string, fallback: number | undefined, min: number): number | undefined => {
    const text = core.getInput(name)
    if (!text) return fallback
    const value = Number(text)
    if (!Number.isInteger(value) || value < min)
      throw ConfigError.single(
        'action input',
        `'${name}' expects a whole number of at least ${min}, got '${text}'`
      )
    return value
  }
  const checkRuns = (core.getInput('check-runs') || 'auto') as CheckRunsMode
  if (!['auto', 'always', 'never'].includes(checkRuns)) {
    throw ConfigError.single(
      'action input',
      `'check-runs' expects auto, always or never, got '${checkRuns}'`
    )
  }
  const comment = (core.getInput('comment') || 'never') as CommentMode
  if (!['never', 'on-failure', 'always'].includes(comment))
    throw ConfigError.single(
      'action input',
      `'comment' expects never, on-failure or always, got '${comment}'`
    )
  const concurrency = number('concurrency', undefined, 1)
  let shard: ShardSpec | undefined
  if (core.getInput('shard'))
    try {
      shard = parseShard(core.getInput('shard'))
    } catch (error) {
      throw ConfigError.single('action input', `'shard' ${(error as Error).message}`)
    }
  const mergeReports = core.getInput('merge-reports')
  if (shard && mergeReports)
    throw ConfigError.single(
      'action input',
      "'shard' and 'merge-reports' are separate jobs: the shards evaluate, one job after them merges"
    )
  return {
    config: core.getInput('config') || DEFAULT_CONFIG,
    configRef: core.getInput('config-ref'),
    environment: core.getInput('environment'),
    stage: core.getInput('stage'),
    only: core
      .getInput('only')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
    token: core.getInput('token'),
    workingDirectory: core.getInput('working-directory') || '.',
    ...(concurrency !== undefined && { concurrency }),
    reportPath: core.getInput('report-path'),
    sarif: core.getInput('sarif'),
    checkPrefix: core.getInput('check-prefix'),
    checkRuns,
    maxCheckRuns: number('max-check-runs', 50, 2)!,
    maxAnnotations: number('max-annotations', 200, 0)!,
    publishReport: core.getInput('publish-report'),
    allowEmpty: booleanInput('allow-empty'),
    apiTimeoutMs: durationInput('api-timeout', DEFAULT_API_TIMEOUT_MS),
    comment,
    deleteCommentWhenPassed: booleanInput('delete-comment-when-passed'),
    ...(shard && { shard }),
    shardDurations: core.getInput('shard-durations'),
    mergeReports
  }
}
export function durationInput(name: string, fallback: number): number {
  const text = core.getInput(name).trim()
  if (!text) return fallback
  const value = /^\d+$/.test(text)
    ? Number(text) * 1000
    : /^\d+(ms|s|m)$/.test(text)
      ? parseDuration(text)
      : NaN
  if (!(value >= 100 && value <= 600_000))
    throw ConfigError.single(
      'action input',
      `'${name}' expects a duration from 100ms to 10m (e.g. 30s), got '${text}'`
    )
  return value
}
/** A boolean input as YAML 1.2 spells one; anything else is a mistake, not false. */
export function booleanInput(name: string): boolean {
  const text = core.getInput(name).trim()
  if (!text) return false
  if (/^(true|True|TRUE)$/.test(text)) return true
  if (/^(false|False|FALSE)$/.test(text)) return false
  throw ConfigError.single('action input', `'${name}' expects true or false, got '${text}'`)
}
