import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { gitRepo, tempDir, writeTree } from './helpers/fs.js'
import { CLI, runNode } from './helpers/process.js'

const temp = tempDir()
afterAll(temp.cleanup)

const PASSING = `version: 1
gates:
  - id: readme
    name: README updated with deployment instructions
    section: Documentation
    check: files
    with: { must-match: [{ paths: README.md, pattern: Deploy }] }
  - id: echo
    check: command
    with: { run: echo ok }
  - id: advisory-fail
    check: command
    required: false
    with: { run: exit 1 }
`
const FAILING = `version: 1
gates:
  - id: echo
    check: command
    with: { run: echo ok }
  - id: tests
    name: All unit tests passing
    check: command
    with: { run: 'echo "2 failed" >&2; exit 1' }
`
const BROKEN = `version: 1
gates:
  - id: tests
    check: comand
    with: { run: npm test }
`
const SECRETS = `version: 1
gates:
  - id: secrets
    check: env
    with:
      variables:
        - { name: JWT_SECRET, min-length: 64 }
        - { name: API_TOKEN, pattern: '^tok_' }
  - id: echo-env
    check: command
    with: { run: 'echo "token is $API_TOKEN"' }
`

beforeAll(() => {
  gitRepo(temp.dir, {
    'README.md': '# App\n\n## Deploy\n',
    '.github/release-gates.yml': PASSING,
    'failing.yml': FAILING,
    'broken.yml': BROKEN,
    'secrets.yml': SECRETS
  })
})

const cli = (args: string[], env?: NodeJS.ProcessEnv) =>
  runNode(CLI, args, { cwd: temp.dir, ...(env && { env }) })

describe('release-gates CLI as a process', () => {
  it('exit 0: every required gate met; prints the table and the result', () => {
    const result = cli(['run'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^STATUS +GATE +SECTION +RESULT +TIME$/m)
    expect(result.stdout).toMatch(/✔ pass +readme +Documentation +The file rule holds/)
    expect(result.stdout).toMatch(/▲ warn +advisory-fail/)
    expect(result.stdout).toContain('3 gates: 2 passed, 1 failed')
    expect(result.stdout).toContain('Result: PASSED')
    // Not a terminal: progress arrives as one line per finished gate on stderr.
    expect(result.stderr).toMatch(/✔ readme: pass \(\d+ms\) \[\d\/3\]/)
  })

  it('exit 1: a required gate unmet; its details are shown', () => {
    const result = cli(['run', '--config', 'failing.yml', '--no-progress'])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('✖ tests — All unit tests passing')
    expect(result.stdout).toContain('2 failed')
    expect(result.stdout).toContain('Result: FAILED — required gates unmet: tests')
    expect(result.stderr).toBe('')
  })

  it('exit 2: a configuration error, at file:line:col, with no stack trace', () => {
    const result = cli(['run', '-c', 'broken.yml'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      "broken.yml:4:12: gates[tests].check: unknown check kind 'comand' (did you mean 'command'?)"
    )
    expect(result.stderr).toContain('1 problem in the configuration.')
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.stdout).toBe('')
  })

  it('exit 2: a missing gates file, an unknown option, an unknown command', () => {
    expect(cli(['run', '-c', 'nope.yml'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('nope.yml: cannot read the gates file: no such file')
    })
    expect(cli(['run', '--envv', 'x'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("Unknown option '--envv'")
    })
    expect(cli(['deploy'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("unknown command 'deploy'")
    })
    expect(cli(['run', '--concurrency', '0'])).toMatchObject({ code: 2 })
  })

  it('validate: 0 for a good file, 2 with every problem for a bad one', () => {
    expect(cli(['validate'])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('✔ .github/release-gates.yml is valid: 3 gates')
    })
    expect(cli(['validate', '-c', 'broken.yml'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('broken.yml:4:12')
    })
  })

  it('list: prints the resolved plan; --json prints it as JSON', () => {
    const table = cli(['list'])
    expect(table.code).toBe(0)
    expect(table.stdout).toMatch(/^advisory-fail +command +advisory +pre-release +10m 00s$/m)
    const json = JSON.parse(cli(['list', '--json', '-', '--only', 'echo']).stdout)
    expect(json.gates.map((gate: { id: string }) => gate.id)).toEqual(['echo'])
  })

  it('--help documents every command and the exit codes', () => {
    const help = cli(['--help'])
    expect(help.code).toBe(0)
    for (const word of [
      'run',
      'validate',
      'list',
      '--config',
      '--env',
      '--stage',
      '--only',
      '--json',
      'Exit codes'
    ])
      expect(help.stdout).toContain(word)
    expect(cli(['help', 'run']).stdout).toContain('release-gates run [--config FILE]')
  })

  it('--json writes the report; planted env values appear in no output', () => {
    const jwt = 'eyJhbGciOi-planted-jwt-value-0123456789'
    const token = 'planted-token-value-9f8e7d'
    const result = cli(['run', '-c', 'secrets.yml', '--json', 'out/report.json'], {
      JWT_SECRET: jwt,
      API_TOKEN: token
    })
    expect(result.code).toBe(1)
    const report = readFileSync(join(temp.dir, 'out/report.json'), 'utf8')
    expect(JSON.parse(report)).toMatchObject({
      result: 'failed',
      failedGates: ['secrets'],
      gates: [{ id: 'secrets', conclusion: 'failure' }, { id: 'echo-env' }]
    })
    expect(report).toContain('set, 39 characters: needs at least 64')
    // The command gate echoed the token: the redactor removed it from its summary.
    expect(report).toContain('token is ***')
    for (const output of [result.stdout, result.stderr, report]) {
      expect(output).not.toContain(jwt)
      expect(output).not.toContain(token)
    }
  })

  it('--json - prints the report on stdout and moves the table to stderr', () => {
    const result = cli(['run', '-c', 'failing.yml', '--json', '-', '--no-progress'])
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toMatchObject({ result: 'failed', failedGates: ['tests'] })
    expect(result.stderr).toContain('Result: FAILED')
  })

  it('--version prints the package version; so do -v, -V and version', () => {
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version
    for (const args of [['--version'], ['-v'], ['-V'], ['version']])
      expect(cli(args)).toMatchObject({ code: 0, stdout: `${version}\n` })
  })

  it('validate --json: problems as data with file, line and column, and the same exit code', () => {
    const broken = cli(['validate', '--config', 'broken.yml', '--json'])
    expect(broken.code).toBe(2)
    const verdict = JSON.parse(broken.stdout)
    expect(verdict).toMatchObject({ valid: false, file: 'broken.yml' })
    expect(verdict.problems).toEqual([
      expect.objectContaining({
        file: 'broken.yml',
        line: 4,
        column: 12,
        path: 'gates[tests].check',
        message: expect.stringContaining("did you mean 'command'")
      })
    ])
    const valid = cli(['validate', '--json', 'verdict.json'])
    expect(valid).toMatchObject({ code: 0, stdout: '' })
    expect(JSON.parse(readFileSync(join(temp.dir, 'verdict.json'), 'utf8'))).toMatchObject({
      valid: true,
      gates: expect.arrayContaining(['readme']),
      problems: []
    })
  })

  it('a missing gates file says how to start, in words and in --json', () => {
    const missing = cli(['validate', '--config', 'nowhere.yml'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('nowhere.yml: cannot read the gates file: no such file')
    expect(missing.stderr).toContain('Start one with `npx release-gates init [CHECKLIST.md]`')
    const json = JSON.parse(cli(['validate', '--config', 'nowhere.yml', '--json']).stdout)
    expect(json.hint).toContain('release-gates init')
  })
})

describe('the action as a process', () => {
  const action = (inputs: Record<string, string>, extra: NodeJS.ProcessEnv = {}) => {
    const outputFile = join(temp.dir, `github-output-${Math.random().toString(36).slice(2)}`)
    writeTree(temp.dir, { [outputFile.slice(temp.dir.length + 1)]: '' })
    const env: NodeJS.ProcessEnv = { GITHUB_OUTPUT: outputFile, RUNNER_TEMP: temp.dir, ...extra }
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
    const result = runNode(join(process.cwd(), 'dist/index.js'), [], { cwd: temp.dir, env })
    return { ...result, outputs: parseOutputs(readFileSync(outputFile, 'utf8')) }
  }

  it('sets result, failed-gates and report, and exits 1 when a required gate is unmet', () => {
    const result = action({ config: 'failing.yml', token: 'ghs_fake-token-for-masking' })
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ result: 'failed', 'failed-gates': '["tests"]' })
    expect(JSON.parse(readFileSync(result.outputs.report!, 'utf8')).failedGates).toEqual(['tests'])
    expect(result.stdout).toContain('::add-mask::ghs_fake-token-for-masking')
    expect(result.stdout).toContain('::error::Required gates unmet: tests')
  })

  it('passes with exit 0 on a passing plan', () => {
    const result = action({})
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ result: 'passed', 'failed-gates': '[]' })
  })

  it('masks env values with add-mask and shows them nowhere else', () => {
    const jwt = 'planted-action-jwt-value-abcdef0123'
    const result = action(
      { config: 'secrets.yml' },
      { JWT_SECRET: jwt, API_TOKEN: 'tok_planted_value_77' }
    )
    expect(result.code).toBe(1)
    const lines = (result.stdout + result.stderr)
      .split('\n')
      .filter((line) => line.includes(jwt) || line.includes('tok_planted_value_77'))
    expect(lines.sort()).toEqual([
      '::add-mask::planted-action-jwt-value-abcdef0123',
      '::add-mask::tok_planted_value_77'
    ])
    expect(readFileSync(result.outputs.report!, 'utf8')).not.toContain(jwt)
  })

  it('a configuration error is an annotation at its position, exit 2', () => {
    const result = action({ config: 'broken.yml' })
    expect(result.code).toBe(2)
    expect(result.stdout).toContain('::error file=broken.yml,line=4,col=12::unknown check kind')
    expect(result.outputs.result).toBe('config-error')
  })
})

/** GITHUB_OUTPUT uses name<<DELIMITER blocks. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const pattern = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm
  for (const match of text.matchAll(pattern)) outputs[match[1]!] = match[3]!
  return outputs
}
