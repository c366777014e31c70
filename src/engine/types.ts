import type { ExecFn } from '../util/exec.js'

/** The conclusions GitHub accepts for a completed check run; Outcomes use exactly these. */
export type Conclusion =
  'success' | 'failure' | 'neutral' | 'action_required' | 'timed_out' | 'skipped'

export type AnnotationLevel = 'notice' | 'warning' | 'failure'

export interface Annotation {
  /** Path relative to the workspace root, with forward slashes. */
  path: string
  line: number
  endLine?: number
  column?: number
  level: AnnotationLevel
  message: string
  title?: string
}

/** What one check establishes about one gate. Reporters map it; checks don't know who reads it. */
export interface Outcome {
  conclusion: Conclusion
  /** One line a reviewer reads first. */
  title: string
  /** Markdown details. */
  summary: string
  annotations: Annotation[]
}

export interface Logger {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
}

/** Context of the GitHub run, when there is one; checks read it, never Octokit. */
export interface GitHubContext {
  eventName: string
  /** The commit being released: a PR's head, a workflow_run's head, a merge group's head, or GITHUB_SHA. */
  sha: string
  ref?: string
  /** owner/repo */
  repository?: string
  owner?: string
  repo?: string
  pullRequest?: {
    number: number
    headSha: string
    headRef: string
    baseSha: string
    baseRef: string
    /** The head lives in another repository: the token is read-only there. */
    fromFork: boolean
  }
  /** The merge queue's base, on merge_group. */
  baseSha?: string
  runUrl?: string
  /** GITHUB_WORKSPACE: the checkout root annotation paths are relative to. */
  workspace?: string
}

/** Everything a check may touch. Checks import neither @actions/core nor Octokit. */
export interface Workspace {
  /** The repository root the gates are evaluated in. */
  cwd: string
  env: NodeJS.ProcessEnv
  exec: ExecFn
  /** Aborted when the gate's time runs out: pass it to exec so the process tree dies. */
  signal: AbortSignal
  github?: GitHubContext
  logger: Logger
  /** Registers a value that must never appear in any output (masked in the action too). */
  secret(value: string): void
  /** The current time, injectable so waiver expiry is testable. */
  now: Date
}
