import { readFileSync, symlinkSync, utimesSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { coverageCheck } from '../../src/checks/coverage/index.js'
import { eslintCheck as rawEslintCheck } from '../../src/checks/eslint/index.js'
import { testsCheck } from '../../src/checks/tests/index.js'
import { typescriptCheck as rawTypescriptCheck } from '../../src/checks/typescript/index.js'
import { git, gitRepo, tempDir, writeTree } from '../helpers/fs.js'
import { annotated, judged, makeGate, makeWorkspace } from '../helpers/plan.js'

/** The check as the engine reports it: annotations derived from its findings. */
const typescriptCheck = (...args: Parameters<typeof rawTypescriptCheck>) =>
  annotated(rawTypescriptCheck(...args))

/** The check as the engine reports it: annotations derived from its findings. */
const eslintCheck = (...args: Parameters<typeof rawEslintCheck>) =>
  annotated(rawEslintCheck(...args))

// Fixture projects use this project's own tsc, eslint, jest and jest-junit through a symlink.
const NODE_MODULES = resolve('node_modules')
const temp = tempDir('rg-quality-')
afterAll(temp.cleanup)

function project(name: string, files: Record<string, string>): string {
  const dir = join(temp.dir, name)
  gitRepo(dir, { '.gitignore': 'node_modules\ncoverage/\nreports/\n', ...files })
  symlinkSync(NODE_MODULES, join(dir, 'node_modules'))
  return dir
}

/** The kind each check reads its options as. */
const KIND_OF = new Map<unknown, string>([
  [coverageCheck, 'coverage'],
  [eslintCheck, 'eslint'],
  [testsCheck, 'tests'],
  [typescriptCheck, 'typescript']
])

const run = <T extends object>(
  check: (gate: never, workspace: never) => Promise<unknown>,
  root: string,
  options: T,
  env: NodeJS.ProcessEnv = {}
) =>
  (check as (gate: unknown, workspace: unknown) => ReturnType<typeof typescriptCheck>)(
    makeGate({ id: 'gate', check: KIND_OF.get(check)!, with: options as Record<string, unknown> }),
    makeWorkspace(root, env)
  )

const TSCONFIG = JSON.stringify({
  compilerOptions: { strict: true, noEmit: true, types: [], skipLibCheck: true },
  include: ['src']
})

describe('typescript', () => {
  let repo: string
  beforeAll(() => {
    repo = project('ts', {
      'tsconfig.json': TSCONFIG,
      'src/ok.ts': 'export const a: number = 1\n',
      'packages/web/tsconfig.json': TSCONFIG,
      'packages/web/src/bad.ts':
        'export const n: number = "one"\nexport function f(x) {\n  return x\n}\n',
      'packages/api/tsconfig.json': TSCONFIG,
      'packages/api/src/ok.ts': 'export const b = 2\n',
      'empty/tsconfig.json': JSON.stringify({
        compilerOptions: { strict: true },
        include: ['nothing']
      })
    })
  })

  it('passes a clean project', async () => {
    expect(await run(typescriptCheck, repo, {})).toMatchObject({
      conclusion: 'success',
      title: 'No type errors in `tsconfig.json`',
      annotations: []
    })
  })

  it('annotates every error at its file, line and column relative to the repository, with counts by file and code', async () => {
    const outcome = await run(typescriptCheck, repo, { cwd: 'packages/web' })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toBe('2 type errors in 1 file')
    expect(outcome.annotations).toEqual([
      {
        path: 'packages/web/src/bad.ts',
        line: 1,
        column: 14,
        level: 'failure',
        title: 'TS2322',
        message: "Type 'string' is not assignable to type 'number'."
      },
      {
        path: 'packages/web/src/bad.ts',
        line: 2,
        column: 19,
        level: 'failure',
        title: 'TS7006',
        message: "Parameter 'x' implicitly has an 'any' type."
      }
    ])
    expect(outcome.summary).toContain('| `packages/web/src/bad.ts` | 2 |')
    expect(outcome.summary).toContain('| `TS2322` | 1 |')
    expect(
      (await run(typescriptCheck, repo, { cwd: 'packages/web', 'max-errors': 2 })).conclusion
    ).toBe('success')
  })

  it('a waiver by rule leaves the other error, which max-errors: 1 then allows', async () => {
    const waivers = [
      {
        rule: 'TS7006',
        reason: 'legacy',
        owner: '@a',
        expires: '2099-01-01',
        location: 'g.yml:1:1'
      }
    ]
    const workspace = makeWorkspace(repo)
    const gate = (extra: Record<string, unknown>) =>
      makeGate({ id: 'tsc', check: 'typescript', with: { cwd: 'packages/web', ...extra }, waivers })
    const strict = await judged(rawTypescriptCheck, gate({}), workspace)
    expect(strict).toMatchObject({
      conclusion: 'failure',
      title: '1 type error in 1 file (1 waived)'
    })
    expect(strict.annotations.map((note) => note.title)).toEqual(['TS2322'])
    const allowed = await judged(rawTypescriptCheck, gate({ 'max-errors': 1 }), workspace)
    expect(allowed).toMatchObject({
      conclusion: 'success',
      title: '1 type error in 1 file (allowed: 1, 1 waived)'
    })
    expect(allowed.summary).toContain('🟡 TS7006 at `packages/web/src/bad.ts:2` waived by @a')
  })

  it('checks several projects of a monorepo by glob', async () => {
    const outcome = await run(typescriptCheck, repo, { projects: 'packages/*/tsconfig.json' })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.summary).toContain('- `packages/api/tsconfig.json`: 0 errors')
    expect(outcome.summary).toContain('- `packages/web/tsconfig.json`: 2 errors')
  })

  it('fails a project that checks no files instead of passing it', async () => {
    const outcome = await run(typescriptCheck, repo, { projects: 'empty/tsconfig.json' })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toMatch(
      /^empty\/tsconfig.json checks no files: TS18003 No inputs were found/
    )
  })

  it('a solution-style tsconfig ("files": [] plus references) is judged by its references, as tsc -b would', async () => {
    const composite = JSON.stringify({
      compilerOptions: { strict: true, composite: true, types: [], skipLibCheck: true },
      include: ['src']
    })
    const solution = project('solution', {
      // JSONC, as tsc reads it: comments and a trailing comma.
      'tsconfig.json':
        '{\n  // checks nothing itself\n  "files": [],\n  "references": [{ "path": "./packages/api" }, { "path": "./packages/web/tsconfig.json" }],\n}\n',
      'packages/api/tsconfig.json': composite,
      'packages/api/src/ok.ts': 'export const a: number = 1\n',
      'packages/web/tsconfig.json': composite,
      'packages/web/src/bad.ts': 'export const n: number = "one"\n',
      'nothing/tsconfig.json': '{ "files": [] }\n'
    })
    const outcome = await run(typescriptCheck, solution, {})
    // Before: "No type errors in tsconfig.json", after checking zero files.
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toBe('1 type error in 1 file')
    expect(outcome.annotations).toEqual([
      expect.objectContaining({ path: 'packages/web/src/bad.ts', line: 1, title: 'TS2322' })
    ])
    expect(outcome.summary).toContain(
      '`tsconfig.json`: a solution file, checks nothing itself: its references `packages/api/tsconfig.json`, `packages/web/tsconfig.json` are checked'
    )
    // Composite projects write build info even with --noEmit: not into the repository.
    expect(git(solution, 'status', '--porcelain').trim()).toBe('')

    writeTree(solution, { 'packages/web/src/bad.ts': 'export const n: number = 1\n' })
    expect(await run(typescriptCheck, solution, {})).toMatchObject({
      conclusion: 'success',
      title: 'No type errors in 2 projects (the references of `tsconfig.json`)'
    })
    const nothing = await run(typescriptCheck, solution, { projects: 'nothing/tsconfig.json' })
    expect(nothing.conclusion).toBe('failure')
    expect(nothing.title).toContain('checks no files')
  })

  it('fails when the project has no TypeScript installed, or the tsconfig is missing', async () => {
    const bare = join(temp.dir, 'bare')
    gitRepo(bare, { 'tsconfig.json': TSCONFIG })
    await expect(run(typescriptCheck, bare, {})).rejects.toThrow(
      "typescript is not installed in .: install the project's dependencies first"
    )
    expect(await run(typescriptCheck, repo, { projects: 'tsconfig.build.json' })).toMatchObject({
      conclusion: 'failure',
      title: 'No tsconfig at tsconfig.build.json'
    })
  })
})

describe('eslint', () => {
  let flat: string
  let legacy: string
  beforeAll(() => {
    flat = project('eslint-flat', {
      'package.json': '{"type":"module"}',
      'eslint.config.js':
        'import js from "@eslint/js"\nexport default [js.configs.recommended, { languageOptions: { globals: { console: "readonly" } }, rules: { "no-console": "warn" } }]\n',
      'src/bad.js': 'const unused = 1\nconsole.log(missing)\n',
      'src/broken.js': 'const = ;\n',
      'lib/warn.js': 'console.log("only a warning")\n',
      'lib/clean.js': 'export const ok = 1\n'
    })
    legacy = project('eslint-legacy', {
      '.eslintrc.json': JSON.stringify({
        root: true,
        extends: 'eslint:recommended',
        parserOptions: { ecmaVersion: 2022, sourceType: 'module' },
        rules: { eqeqeq: 'error' }
      }),
      'src/a.js': 'export function same(a, b) {\n  return a == b\n}\n'
    })
  })

  it('errors, warnings and fatal parse errors, annotated with rule ids, summarised by rule and file', async () => {
    const outcome = await run(eslintCheck, flat, { patterns: ['src'] })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toBe('3 errors (1 unparsable), 1 warning in 2 files')
    expect(outcome.annotations).toContainEqual({
      path: 'src/bad.js',
      line: 1,
      endLine: 1,
      column: 7,
      level: 'failure',
      title: 'no-unused-vars',
      message: "'unused' is assigned a value but never used. (no-unused-vars)"
    })
    expect(outcome.annotations).toContainEqual(
      expect.objectContaining({ path: 'src/broken.js', level: 'failure', title: 'parse error' })
    )
    expect(outcome.summary).toContain('| `no-unused-vars` | 1 |')
    expect(outcome.summary).toContain('| `src/bad.js` | 3 |')
  })

  it('max-warnings: 0 fails on warnings alone; without it warnings pass', async () => {
    expect((await run(eslintCheck, flat, { patterns: ['lib'] })).conclusion).toBe('success')
    const strict = await run(eslintCheck, flat, { patterns: ['lib'], 'max-warnings': 0 })
    expect(strict).toMatchObject({
      conclusion: 'failure',
      title: '0 errors, 1 warning in 1 file (warnings allowed: 0)'
    })
  })

  it('passes clean code, and fails when the patterns match nothing', async () => {
    expect(await run(eslintCheck, flat, { patterns: ['lib/clean.js'] })).toMatchObject({
      conclusion: 'success',
      title: 'No ESLint problems in 1 file'
    })
    expect(
      (
        await run(eslintCheck, flat, {
          patterns: ['nope/**/*.js'],
          args: ['--no-error-on-unmatched-pattern']
        })
      ).title
    ).toBe('ESLint linted no files')
  })

  it('runs a legacy .eslintrc configuration', async () => {
    const outcome = await run(eslintCheck, legacy, {})
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.annotations).toEqual([
      expect.objectContaining({ path: 'src/a.js', line: 2, title: 'eqeqeq' })
    ])
    expect(outcome.summary).toContain('with the legacy .eslintrc configuration')
  })
})

const JEST_CONFIG = {
  testEnvironment: 'node',
  transform: {},
  coverageReporters: ['json-summary', 'lcov'],
  reporters: ['default', ['jest-junit', { outputDirectory: 'reports', addFileAttribute: 'true' }]]
}

describe('tests and coverage on a real jest run', () => {
  let repo: string
  beforeAll(() => {
    repo = project('jest', {
      'package.json': JSON.stringify({
        name: 'shop',
        scripts: { test: 'jest' },
        jest: JEST_CONFIG
      }),
      'package-lock.json': '{"lockfileVersion":3,"packages":{}}',
      'src/cart.js':
        'exports.total = (items, discount = 0) => {\n  if (!items.length) return 0\n  const sum = items.reduce((acc, [, price]) => acc + price, 0)\n  return discount ? (sum * (100 - discount)) / 100 : sum\n}\nexports.unused = () => {\n  return 1\n}\n',
      'src/core/tax.js': 'exports.vat = (amount) => amount * 1.2\n',
      'test/cart.test.js':
        "const { total } = require('../src/cart')\ntest('total', () => {\n  expect(total([['mask', 100]])).toBe(100)\n})\ntest('discount', () => {\n  expect(total([['mask', 100]], 10)).toBe(91)\n})\ntest.skip('later', () => {})\n",
      'test/tax.test.js':
        "const { vat } = require('../src/core/tax')\ntest('vat', () => {\n  expect(vat(10)).toBe(12)\n})\n"
    })
  })

  it('tests: counts from JUnit, each failing test annotated at its file and line', async () => {
    const outcome = await run(testsCheck, repo, {
      junit: 'reports/junit.xml',
      args: ['--coverage']
    })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toBe('2 passed, 1 failed, 1 skipped')
    expect(outcome.annotations).toEqual([
      expect.objectContaining({
        path: 'test/cart.test.js',
        line: 6,
        level: 'failure',
        title: 'discount',
        message:
          'Error: expect(received).toBe(expected) // Object.is equality\n\nExpected: 91\nReceived: 90'
      })
    ])
    expect(outcome.summary).toContain('`npm test -- --coverage` exited with 1')
  })

  it('tests: args given to `run: npm run test` reach the script, after --', async () => {
    // Before: `npm run test --coverage` gave --coverage to npm, and jest wrote no coverage.
    const outcome = await run(testsCheck, repo, {
      run: 'npm run test',
      args: ['test/tax.test.js', '--coverageReporters=json-summary', '--coverage'],
      junit: 'reports/junit.xml'
    })
    expect(outcome.summary).toContain(
      '`npm run test -- test/tax.test.js --coverageReporters=json-summary --coverage` exited with 0'
    )
    expect(outcome.title).toBe('1 passed, 0 failed, 0 skipped')
  })

  it('tests: a passing run; without JUnit the exit code; a configured report never written fails', async () => {
    expect(
      await run(testsCheck, repo, { junit: 'reports/junit.xml', args: ['test/tax.test.js'] })
    ).toMatchObject({ conclusion: 'success', title: '1 passed, 0 failed, 0 skipped' })
    expect(
      await run(testsCheck, repo, { run: ['node_modules/.bin/jest', 'test/tax.test.js'] })
    ).toMatchObject({
      conclusion: 'success',
      // Without JUnit, jest's own closing summary gives the counts.
      title: '`node_modules/.bin/jest test/tax.test.js` passed: 1 passed, 0 failed, 0 skipped'
    })
    expect(await run(testsCheck, repo, { run: 'true', junit: 'reports/other.xml' })).toMatchObject({
      conclusion: 'failure',
      title: 'No fresh JUnit report at reports/other.xml'
    })
  })

  it('tests: jest that finished but does not exit is judged by its results after the grace, not held to the timeout', async () => {
    // A handle left open: jest prints its summary, then "did not exit one second after…".
    writeTree(repo, {
      'test/open-handle.test.js':
        "setInterval(() => {}, 1000)\ntest('leaks a timer', () => {\n  expect(1).toBe(1)\n})\ntest('fails', () => {\n  expect(1).toBe(2)\n})\n"
    })
    const started = Date.now()
    const withJunit = await run(testsCheck, repo, {
      run: ['node_modules/.bin/jest', 'test/open-handle.test.js'],
      junit: 'reports/junit.xml',
      'exit-grace': '1s'
    })
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(withJunit.conclusion).toBe('failure')
    expect(withJunit.title).toBe('1 passed, 1 failed, 0 skipped')
    expect(withJunit.summary).toMatch(
      /finished its tests after [\d.]+m?s but had not exited 1\.0s later, so it was stopped: 1 passed, 1 failed/
    )
    expect(withJunit.summary).toContain('--detectOpenHandles')

    writeTree(repo, {
      'test/open-handle.test.js':
        "setInterval(() => {}, 1000)\ntest('leaks a timer', () => {\n  expect(1).toBe(1)\n})\n"
    })
    const passing = await run(testsCheck, repo, {
      run: ['node_modules/.bin/jest', 'test/open-handle.test.js'],
      'exit-grace': '1s'
    })
    expect(passing).toMatchObject({ conclusion: 'success' })
    expect(passing.title).toMatch(
      /finished its tests after .* so it was stopped: 1 passed, 0 failed, 0 skipped/
    )
  }, 60_000)

  it('tests: a package without a test script says so (not "exited with 1")', async () => {
    const bare = project('no-test-script', {
      'package.json': JSON.stringify({ name: 'shop', scripts: { build: 'true' } }),
      'package-lock.json': '{"lockfileVersion":3,"packages":{}}'
    })
    const outcome = await run(testsCheck, bare, {})
    expect(outcome).toMatchObject({
      conclusion: 'failure',
      title: '`npm test`: package.json in `.` has no "test" script'
    })
    expect(outcome.summary).toContain('`cwd`: a monorepo')
  })

  it('tests: two gates running the same tests in the same place share one run', async () => {
    const { runPlan } = await import('../../src/engine/run-plan.js')
    const { CHECKS } = await import('../../src/checks/index.js')
    const { Redactor } = await import('../../src/util/redact.js')
    writeTree(repo, {
      'count.sh': 'echo run >> runs.txt\nexec node_modules/.bin/jest test/tax.test.js\n'
    })
    const workspace = makeWorkspace(repo)
    const report = await runPlan(
      {
        file: 'test.yml',
        stage: 'pre-release',
        gates: [
          makeGate({ id: 'unit', check: 'tests', with: { run: 'sh count.sh' } }),
          makeGate({ id: 'integration', check: 'tests', with: { run: 'sh  count.sh ' } })
        ]
      },
      { checks: CHECKS, redactor: new Redactor(), workspace, concurrency: 2 }
    )
    expect(report.gates.map((gate) => gate.conclusion)).toEqual(['success', 'success'])
    expect(readFileSync(join(repo, 'runs.txt'), 'utf8')).toBe('run\n')
  })

  it('coverage: thresholds over and under, per path, and the least-covered files', async () => {
    await run(testsCheck, repo, { args: ['--coverage'] })
    const over = await run(coverageCheck, repo, {
      report: 'coverage/coverage-summary.json',
      thresholds: { lines: 80, functions: 50 }
    })
    expect(over).toMatchObject({
      conclusion: 'success',
      title: 'Coverage 85.71% lines: every threshold met'
    })
    const under = await run(coverageCheck, repo, {
      report: 'coverage/lcov.info',
      thresholds: { lines: 90 },
      'per-path': [{ paths: 'src/core/**', lines: 100 }]
    })
    expect(under.conclusion).toBe('failure')
    expect(under.title).toBe('all files lines: ≥ 90% (6/7)')
    expect(under.summary).toContain('| ✅ | src/core/** (1 files) | lines | 100% | ≥ 100% (1/1) |')
    expect(under.summary).toContain('- `src/cart.js`: 83.33% (5/6)')
    const unmeasured = await run(coverageCheck, repo, {
      report: 'coverage/lcov.info',
      thresholds: { statements: 10 }
    })
    expect(unmeasured.title).toContain('the report does not measure statements')
  })

  it('coverage: a baseline with max-drop', async () => {
    writeTree(repo, { 'base/lcov.info': 'SF:src/cart.js\nLF:10\nLH:10\nend_of_record\n' })
    const dropped = await run(coverageCheck, repo, {
      report: 'coverage/lcov.info',
      baseline: 'base/lcov.info',
      'max-drop': 5
    })
    expect(dropped.conclusion).toBe('failure')
    expect(dropped.summary).toContain('was 100%, down 14.29 points (max drop 5)')
    expect(
      (
        await run(coverageCheck, repo, {
          report: 'coverage/lcov.info',
          baseline: 'base/lcov.info',
          'max-drop': 20
        })
      ).conclusion
    ).toBe('success')
  })

  it('coverage: a missing, stale or committed report fails with that reason', async () => {
    expect(
      (await run(coverageCheck, repo, { report: 'coverage/nope.json', thresholds: { lines: 1 } }))
        .title
    ).toBe('No coverage report at coverage/nope.json')
    writeTree(repo, { 'old/coverage-summary.json': '{"total":{"lines":{"total":1,"covered":1}}}' })
    utimesSync(
      join(repo, 'old/coverage-summary.json'),
      new Date('2001-01-01'),
      new Date('2001-01-01')
    )
    expect((await run(coverageCheck, repo, { report: 'old/coverage-summary.json' })).title).toBe(
      'old/coverage-summary.json is older than the commit'
    )
    writeTree(repo, { 'committed/lcov.info': 'SF:a.js\nLF:1\nLH:1\nend_of_record\n' })
    git(repo, 'add', 'committed/lcov.info')
    git(repo, 'commit', '-q', '-m', 'commit a coverage report')
    expect((await run(coverageCheck, repo, { report: 'committed/lcov.info' })).title).toBe(
      'committed/lcov.info is committed to git'
    )
  })
})
