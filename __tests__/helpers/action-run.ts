import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const EVENTS = new URL('../fixtures/github/events/', import.meta.url)

export interface ActionRun {
  code: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** Workflow-command annotations the action printed (::error …::, ::warning …::, ::notice …::). */
  commands: Array<{ level: string; properties: string; message: string }>
}

export interface ActionRunOptions {
  workspace: string
  apiUrl: string
  event:
    | 'pull_request'
    | 'pull_request_target'
    | 'push'
    | 'merge_group'
    | 'workflow_run'
    | 'release'
    | 'workflow_dispatch'
  inputs?: Record<string, string>
  /** GITHUB_SHA: on pull requests the runner's merge commit, which checks must NOT use. */
  sha?: string
  env?: NodeJS.ProcessEnv
}

/** The fields of the fixture payloads the tests read. */
export interface FixturePayload {
  after?: string
  ref?: string
  repository: { full_name: string; owner: { login: string } }
  pull_request: { number: number; head: { sha: string }; base: { sha: string } }
  merge_group: { head_sha: string }
  workflow_run: { head_sha: string }
}

/** A real event payload from the fixtures, as the runner writes it to GITHUB_EVENT_PATH. */
export function eventPayload(event: string): FixturePayload {
  const name = event === 'pull_request_target' ? 'pull_request' : event
  return JSON.parse(readFileSync(new URL(`${name}.json`, EVENTS), 'utf8'))
}

/**
 * Starts the bundled action (dist/index.js) as the runner does: a child process with the
 * runner's environment variables, INPUT_* for inputs, files for outputs and the step summary.
 */
export async function runBundledAction(options: ActionRunOptions): Promise<ActionRun> {
  const scratch = mkdtempSync(join(options.workspace, '..', 'runner-'))
  const payload = eventPayload(options.event)
  const eventPath = join(scratch, 'event.json')
  writeFileSync(eventPath, JSON.stringify(payload))
  const outputFile = join(scratch, 'output')
  const summaryFile = join(scratch, 'summary.md')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: options.event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: payload.repository.full_name,
    GITHUB_REPOSITORY_OWNER: payload.repository.owner.login,
    GITHUB_SHA:
      options.sha ??
      payload.after ??
      payload.merge_group?.head_sha ??
      payload.workflow_run?.head_sha ??
      'f'.repeat(40),
    GITHUB_REF: payload.ref ?? 'refs/heads/main',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '1658821493',
    RUNNER_TEMP: scratch,
    INPUT_TOKEN: 'ghs_16C7e42F292c6912E7710c838347Ae178B4a',
    ...options.env
  }
  for (const [name, value] of Object.entries(options.inputs ?? {}))
    env[`INPUT_${name.toUpperCase()}`] = value

  const child = spawn(process.execPath, [resolve('dist/index.js')], {
    cwd: options.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const code = await new Promise<number | null>((done) => child.on('close', (exit) => done(exit)))
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
    summary: existsSync(summaryFile) ? readFileSync(summaryFile, 'utf8') : '',
    commands: [...stdout.matchAll(/^::(error|warning|notice)( [^:]*)?::(.*)$/gm)].map((match) => ({
      level: match[1]!,
      properties: (match[2] ?? '').trim(),
      message: match[3]!
    }))
  }
}

/** GITHUB_OUTPUT uses name<<DELIMITER blocks. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  for (const match of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm))
    outputs[match[1]!] = match[3]!
  return outputs
}
