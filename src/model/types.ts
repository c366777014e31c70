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

/**
 * One problem a check found, as data: reporters derive annotations and SARIF from it, and the
 * engine judges it against a baseline by its fingerprint.
 */
export interface Finding {
  /** The tool's rule or id: `TS2322`, `no-unused-vars`, `GHSA-…`, a secret rule, a files rule. */
  rule: string
  level: AnnotationLevel
  message: string
  /** It counts against the gate (an error, a finding at or above `fail-on`), not only shown. */
  blocking: boolean
  /** A short heading for its annotation. */
  title?: string
  /** Where, in the repository: path relative to its root, with forward slashes. */
  path?: string
  line?: number
  column?: number
  endLine?: number
  endColumn?: number
  /** The package a dependency finding is about (its lockfile entry is `path`/`line`). */
  package?: string
  /** The address an HTTP or TLS finding is about. */
  url?: string
  /**
   * Stable across line shifts: the engine derives it from the kind, rule, path, message, the text
   * of the line and which occurrence of the same it is, unless the check knows better (secrets).
   */
  fingerprint?: string
  /** Accepted by the gate's baseline: in the report, not annotated, not counted. */
  baselined?: boolean
  /** Other ids of the same problem (an advisory's CVE): a waiver may name any. */
  aliases?: string[]
  /** Where a dependency sits in the tree (`node_modules/a/node_modules/b`): a waiver may name one. */
  dependencyPaths?: string[]
  /** The waiver that covers it: shown, not annotated, not counted. */
  waived?: { owner: string; expires: string; reason: string; location: string }
}

/** What one check establishes about one gate. Reporters map it; checks don't know who reads it. */
export interface Outcome {
  conclusion: Conclusion
  /** One line a reviewer reads first. */
  title: string
  /** Markdown details. */
  summary: string
  /** Annotations that are not findings; the engine adds those of the findings. */
  annotations: Annotation[]
  /** What the check found, each a fingerprinted problem. */
  findings?: Finding[]
  /**
   * How the check tells its verdict from findings, called again by the engine once waivers have
   * judged them (some no longer blocking, each marked `waived`), so its title and tables say so.
   * Without it the engine words the change itself.
   */
  describe?: (findings: Finding[]) => Pick<Outcome, 'conclusion' | 'title' | 'summary'>
  /**
   * The conclusion follows from the blocking findings alone (not from a tool that could not run):
   * a baseline may judge it again on the new findings only.
   */
  decidedByFindings?: boolean
  /** Structured proof for the JSON report (who signed off, on which commit, when). */
  evidence?: Record<string, unknown>
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
  /** On workflow_run: the pull request the triggering run was for (the fork-safe publish path). */
  workflowRunPullRequest?: number
  runUrl?: string
  /** GITHUB_WORKSPACE: the checkout root annotation paths are relative to. */
  workspace?: string
}

/** A pull request as sign-offs need it. */
export interface PullRequestFacts {
  number: number
  author: string
  /** The commit reviewers saw last: approvals count only on it. */
  headSha: string
  labels: string[]
  state: string
  merged: boolean
}

export interface ReviewFacts {
  user: string
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING. */
  state: string
  commitId: string
  submittedAt?: Date
}

export interface CommentFacts {
  user: string
  body: string
  createdAt: Date
  url: string
}

/** Whether a user is in a team; `unreadable` when the token may not read the organization. */
export type Membership = { member: boolean } | { unreadable: string }

/** A user's role on the repository (`read`, `triage`, `write`, `maintain`, `admin`, `none`). */
export type RepositoryRole = { role: string } | { unreadable: string }

/** What sign-off gates read from GitHub: the evidence GitHub authenticates. */
export interface SignoffSource {
  pullRequest(number: number): Promise<PullRequestFacts>
  pullRequestsForCommit(sha: string): Promise<PullRequestFacts[]>
  /** Every review, oldest first, across all pages. */
  reviews(pullNumber: number): Promise<ReviewFacts[]>
  /** Every comment of an issue or pull request, oldest first, across all pages. */
  comments(issueNumber: number): Promise<CommentFacts[]>
  /** The newest open issue carrying the label (a release issue), if any. */
  newestIssueWithLabel(label: string): Promise<number | undefined>
  /** `team` is `org/team-slug`. */
  teamMembership(team: string, user: string): Promise<Membership>
  /** The user's role on this repository. */
  repositoryRole(user: string): Promise<RepositoryRole>
  /** When the commit was made (its committer date). */
  commitDate(sha: string): Promise<Date>
}

/** A setting as the token could read it, or the permission it lacks to read it. */
export type SettingRead<T> = { value: T } | { unreadable: string }

/** A status check a branch requires, and the app it is bound to (undefined: any source may set it). */
export interface RequiredCheck {
  context: string
  appId?: number
  /** `branch protection` or `ruleset`. */
  from: string
}

/** A check run or commit status on a commit, as `checks-green` judges it. */
export interface CommitCheck {
  name: string
  source: 'check run' | 'status'
  /** GitHub's word: a check run's status or conclusion, a status's state. */
  result: string
  state: 'passed' | 'failed' | 'pending'
  /** The app that wrote a check run; statuses carry none. */
  appId?: number
  /** Written by Release Gates: a verdict being formed, not a pipeline. */
  own: boolean
  /** A job of the workflow run evaluating these gates, perhaps this very job. */
  thisRun: boolean
}

/** What `github` gates read of the repository's own settings, read-only. */
export interface RepositorySettingsSource {
  defaultBranch(): Promise<SettingRead<string>>
  /** Whether the branch is protected (classic protection or a ruleset), and the checks it requires. */
  branchRules(
    branch: string
  ): Promise<SettingRead<{ protected: boolean; checks: RequiredCheck[]; notes: string[] }>>
  /** Secret scanning and its push protection: `enabled` or `disabled`. */
  secretScanning(): Promise<SettingRead<{ scanning: string; pushProtection: string }>>
  dependabotAlerts(): Promise<SettingRead<boolean>>
  /** A deployment environment's protection, or that it does not exist. */
  environment(
    name: string
  ): Promise<SettingRead<{ exists: boolean; reviewers: number; waitMinutes: number }>>
  /** The latest check run of each name and the latest status of each context on a commit. */
  commitChecks(sha: string): Promise<SettingRead<CommitCheck[]>>
  /** Whether a check name is one this action writes (its verdict, not a pipeline's). */
  isOwnCheck(name: string): boolean
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
  /** Reads sign-off evidence from GitHub, when the run has a token and a repository. */
  signoffs?: SignoffSource
  /** Reads the repository's settings (protection, security features), with a token. */
  settings?: RepositorySettingsSource
  logger: Logger
  /** Registers a value that must never appear in any output (masked in the action too). */
  secret(value: string): void
  /**
   * Reads a repository file that is policy, one that decides what is allowed (a secrets baseline,
   * a rules file), by its path from the root: from where the gates file came from. With
   * `config-ref: base` that is the base commit through the API, so a pull request cannot weaken
   * its own gates by editing them.
   */
  readPolicyFile(path: string): Promise<string>
  /**
   * Runs `compute` once per run for `key` and hands every caller the same result: two gates that
   * run the same test command in the same directory share one run instead of racing each other.
   */
  shared?<T>(key: string, compute: () => Promise<T>): Promise<T>
  /** The current time, injectable so waiver expiry is testable. */
  now: Date
}
