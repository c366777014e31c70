import { readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { main } from '../../src/cli/main.js'
import { importItems } from '../../src/import/build.js'
import type { ImportedGate } from '../../src/import/build.js'
import { parseChecklist } from '../../src/import/markdown.js'
import { loadImportRules } from '../../src/import/rules.js'
import { adaptToRepository } from '../../src/init/adapt.js'
import { groupSignoffs } from '../../src/init/group-signoffs.js'
import { inspectRepository } from '../../src/init/inspect.js'
import { gitRepo, tempDir, writeTree } from '../helpers/fs.js'

const temp = tempDir('rg-init-')
afterAll(temp.cleanup)
const NODE_MODULES = resolve('node_modules')

function cli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = ''
  let stderr = ''
  return main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { ...process.env, ...env },
    cwd
  }).then((code) => ({ code, stdout, stderr }))
}

/** A checklist in other words than the shared ones, for a Node monorepo. */
const SHIPPING = `# Ship list

## Before we ship

### Quality
- [ ] All test suites green
- [ ] Coverage stays at 70% or more
- [ ] Type checking passes with tsc
- [ ] Remove console.log calls from production code

### Config
- [ ] Every variable in .env.example is set in production
- [ ] Database connection string is correct

## Database
- [ ] Apply migrations: \`npx prisma migrate deploy\`

## Going live
- [ ] Health endpoint returns 200

## If the release fails
- [ ] Roll back to the previous build
`

/** npm workspaces: an api with jest tests and a tsconfig, a web package with a console.log. */
function monorepo(dir: string): void {
  gitRepo(dir, {
    'package.json': '{ "name": "shop", "private": true, "workspaces": ["api", "web"] }\n',
    'package-lock.json':
      '{ "name": "shop", "lockfileVersion": 3, "requires": true, "packages": {} }\n',
    'api/package.json':
      '{ "name": "api", "version": "1.0.0", "scripts": { "test": "jest" }, "devDependencies": { "jest": "*" } }\n',
    'api/src/sum.js': 'exports.sum = (a, b) => a + b\n',
    'api/src/sum.test.js':
      "const { sum } = require('./sum')\ntest('adds', () => expect(sum(1, 2)).toBe(3))\n",
    'api/tsconfig.json':
      '{ "compilerOptions": { "strict": true, "noEmit": true }, "include": ["src"] }\n',
    'api/src/config.ts': 'export const port: number = 3000\n',
    'web/package.json': '{ "name": "web", "version": "1.0.0", "scripts": { "build": "tsc" } }\n',
    'web/tsconfig.json':
      '{ "compilerOptions": { "strict": true, "noEmit": true }, "include": ["src"] }\n',
    'web/src/app.ts':
      'export function render(title: string): string {\n  console.log(title)\n  return title\n}\n',
    '.env.example':
      'DATABASE_URL=postgres://shop:secret@localhost:5432/shop\nREDIS_URL=redis://localhost:6379\nJWT_SECRET=change-me\n',
    'SHIPPING.md': SHIPPING
  })
  // The tools are this project's own: jest and tsc, found through the workspace root.
  symlinkSync(NODE_MODULES, join(dir, 'node_modules'))
}

interface GateShape {
  id: string
  stage: string
  check: string
  needs?: string[]
  enabled?: boolean
  with?: Record<string, unknown>
}

describe('release-gates init on a Node monorepo', () => {
  const dir = join(temp.dir, 'shop')
  monorepo(dir)

  it('wires each item to what the repository has, runs nothing that changes state, and validates', async () => {
    const { code, stdout } = await cli(dir, ['init', 'SHIPPING.md'])
    expect(code).toBe(0)
    const file = readFileSync(join(dir, '.github/release-gates.yml'), 'utf8')
    const { gates, stages } = parse(file) as { gates: GateShape[]; stages: string[] }
    const byId = new Map(gates.map((gate) => [gate.id, gate]))
    expect(byId.get('all-test-suites-green')).toMatchObject({
      check: 'tests',
      with: {
        cwd: 'api',
        args: ['--coverage', '--coverageReporters=json-summary', '--coverageReporters=text-summary']
      }
    })
    expect(byId.get('coverage-stays-at-70-or-more')).toMatchObject({
      check: 'coverage',
      needs: ['all-test-suites-green'],
      with: { cwd: 'api', report: 'coverage/coverage-summary.json', thresholds: { lines: 70 } }
    })
    expect(byId.get('type-checking-passes-with-tsc')?.with).toEqual({
      projects: ['api/tsconfig.json', 'web/tsconfig.json']
    })
    expect(JSON.stringify(byId.get('remove-console-log-calls-from-production')?.with)).toContain(
      '{api/src,web/src}/**/*.{js,jsx,ts,tsx,mjs,cjs}'
    )
    expect(byId.get('every-variable-in-env-example-is')?.with).toEqual({
      example: '.env.example',
      variables: [
        { name: 'DATABASE_URL', pattern: '^postgres(ql)?://' },
        { name: 'REDIS_URL', pattern: '^rediss?://' },
        'JWT_SECRET'
      ]
    })
    expect(byId.get('database-connection-string-is-correct')?.with).toEqual({
      variables: [
        { name: 'DATABASE_URL', pattern: '^postgres(ql)?://' },
        { name: 'REDIS_URL', pattern: '^rediss?://' }
      ]
    })
    expect(byId.get('apply-migrations')?.with).toEqual({
      run: 'npx --no-install prisma migrate status'
    })
    expect(file).not.toMatch(/^\s+run: .*migrate deploy/m)
    expect(byId.get('health-endpoint-returns-200')).toMatchObject({
      stage: 'post-deploy',
      enabled: false
    })
    expect(byId.get('roll-back-to-the-previous-build')?.stage).toBe('contingency')
    expect(stages).toEqual(['contingency'])
    // The plan a maintainer can finish: ready, needs a value, commands found, valid.
    expect(stdout).toContain('Ready (7):')
    expect(stdout).toContain('gates[health-endpoint-returns-200].with.url')
    expect(stdout).toContain(
      'apply-migrations: npx --no-install prisma migrate status — prisma is not installed'
    )
    expect(stdout).toContain('✔ .github/release-gates.yml is valid: 9 gates')
  })

  it('run again, it keeps the work done in the file: filled values, waivers, comments; new items added, gone ones listed', async () => {
    const path = join(dir, '.github/release-gates.yml')
    const edited = readFileSync(path, 'utf8')
      .replace('url: https://FILL-ME.invalid/health', 'url: https://shop.example.com/health')
      .replace(
        /(- id: health-endpoint-returns-200\n(?:.*\n)*?)\s+enabled: false\n/,
        '$1    # filled by hand\n'
      )
    writeFileSync(path, edited)
    writeFileSync(
      join(dir, 'SHIPPING.md'),
      SHIPPING.replace('- [ ] Roll back to the previous build\n', '').concat(
        '\n## After launch\n- [ ] Error rate below 1% for an hour\n'
      )
    )
    const { code, stdout } = await cli(dir, ['init', 'SHIPPING.md'])
    expect(code).toBe(0)
    expect(stdout).toContain(
      'Merged into .github/release-gates.yml: 8 gates kept as they were, 1 added.'
    )
    expect(stdout).toContain('Added: error-rate-below-1-for-an')
    expect(stdout).toContain(
      'No longer in the checklist (kept in the file; remove them if they are done with): roll-back-to-the-previous-build'
    )
    expect(stdout).toContain('✔ .github/release-gates.yml is valid: 10 gates')
    const merged = readFileSync(path, 'utf8')
    expect(merged.startsWith(edited.split('\n- id')[0]!.split('gates:')[0]!)).toBe(true)
    expect(merged).toContain('url: https://shop.example.com/health')
    expect(merged).toContain('# filled by hand')
    expect(merged).toContain('- id: error-rate-below-1-for-an')
    // --force replaces the file instead.
    expect((await cli(dir, ['init', 'SHIPPING.md', '--force'])).stdout).toContain('Wrote ')
    expect(readFileSync(path, 'utf8')).toContain('url: https://FILL-ME.invalid/health')
  })

  it('every automated verdict of the written file is true: real jest, tsc and files', async () => {
    const { code } = await cli(
      dir,
      [
        'run',
        '--only',
        'all-test-suites-green,coverage-stays-at-70-or-more,type-checking-passes-with-tsc,remove-console-log-calls-from-production,every-variable-in-env-example-is',
        '--no-progress',
        '--no-color',
        '--json',
        'report.json'
      ],
      {
        DATABASE_URL: 'postgres://shop:pw@db/shop',
        REDIS_URL: 'redis://cache:6379',
        JWT_SECRET: 'Xk9mQ2vLpR7wT4sN8bZ3aB5cD7eF9gH1'
      }
    )
    expect(code).toBe(1)
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
      gates: Array<{
        id: string
        conclusion: string
        title: string
        annotations: Array<{ path: string }>
      }>
    }
    const verdicts = Object.fromEntries(report.gates.map((gate) => [gate.id, gate.conclusion]))
    expect(verdicts).toEqual({
      'all-test-suites-green': 'success',
      'coverage-stays-at-70-or-more': 'success',
      'type-checking-passes-with-tsc': 'success',
      'remove-console-log-calls-from-production': 'failure',
      'every-variable-in-env-example-is': 'success'
    })
    const tests = report.gates.find((gate) => gate.id === 'all-test-suites-green')!
    expect(tests.title).toContain('1 passed, 0 failed')
    const consoleGate = report.gates.find(
      (gate) => gate.id === 'remove-console-log-calls-from-production'
    )!
    expect(consoleGate.annotations.map((annotation) => annotation.path)).toEqual(['web/src/app.ts'])
  }, 120_000)
})

/**
 * A Python that has Debian's pytest, pytest-cov and flake8 (`.ci/run` installs python3-pytest,
 * python3-pytest-cov and flake8); its folder goes first on PATH so the gates' `python3` is it.
 */
function debianPython(): string {
  for (const python of ['/usr/bin/python3', 'python3'])
    try {
      execFileSync(python, ['-c', 'import pytest, pytest_cov, flake8'], { stdio: 'ignore' })
      return python
    } catch {
      // not this one
    }
  throw new Error(
    'these tests need pytest, pytest-cov and flake8: apt-get install python3-pytest python3-pytest-cov flake8'
  )
}

describe('release-gates init on a Python (Flask) project, with real pytest and flake8', () => {
  it('pytest with JUnit, coverage.py XML through pytest-cov, flake8 through command: every verdict true', async () => {
    const python = debianPython()
    const dir = join(temp.dir, 'flask')
    gitRepo(dir, {
      'requirements.txt': 'flask==3.0.0\npytest>=7\npytest-cov\nflake8\n',
      'app/__init__.py':
        'def price_with_tax(cents, rate=0.2):\n    return round(cents * (1 + rate))\n',
      'app/views.py': 'import os\n\n\ndef index():\n    return "ok"\n',
      'tests/test_app.py':
        'from app import price_with_tax\n\n\ndef test_tax():\n    assert price_with_tax(100) == 120\n',
      'RELEASE.md': [
        '# Flask shop release',
        '## Before release',
        '- [ ] Unit tests pass (pytest)',
        '- [ ] Test coverage above 60%',
        '- [ ] Run linter (flake8)',
        '- [ ] No secrets committed to the repository',
        '## Deployment',
        '- [ ] Health check returns 200'
      ].join('\n')
    })
    expect((await cli(dir, ['init', 'RELEASE.md'])).code).toBe(0)
    const { gates } = parse(readFileSync(join(dir, '.github/release-gates.yml'), 'utf8')) as {
      gates: GateShape[]
    }
    expect(gates.map((gate) => [gate.id, gate.check, gate.with])).toEqual([
      [
        'unit-tests-pass-pytest',
        'tests',
        {
          run: 'python3 -m pytest',
          args: ['--junitxml=junit.xml', '--cov=.', '--cov-report=xml:coverage.xml'],
          junit: 'junit.xml'
        }
      ],
      ['test-coverage-above-60', 'coverage', { report: 'coverage.xml', thresholds: { lines: 60 } }],
      ['run-linter-flake8', 'command', expect.objectContaining({ run: 'python3 -m flake8 .' })],
      ['no-secrets-committed-to-the-repository', 'secrets', undefined],
      ['health-check-returns-200', 'http', { status: 200, url: 'https://FILL-ME.invalid/health' }]
    ])
    const { code } = await cli(
      dir,
      ['run', '--no-progress', '--no-color', '--json', 'report.json'],
      {
        PATH: `${dirname(python)}:${process.env.PATH}`
      }
    )
    expect(code).toBe(1)
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
      gates: Array<{
        id: string
        conclusion: string
        title: string
        annotations: Array<{ path: string; line: number }>
      }>
    }
    const byId = new Map(report.gates.map((gate) => [gate.id, gate]))
    expect(byId.get('unit-tests-pass-pytest')).toMatchObject({
      conclusion: 'success',
      title: '1 passed, 0 failed, 0 skipped'
    })
    // coverage.py: 5 of 8 statements (app/views.py is never imported).
    expect(byId.get('test-coverage-above-60')).toMatchObject({
      conclusion: 'success',
      title: 'Coverage 62.5% lines: every threshold met'
    })
    expect(byId.get('run-linter-flake8')?.conclusion).toBe('failure')
    expect(byId.get('run-linter-flake8')?.annotations.map((a) => `${a.path}:${a.line}`)).toEqual([
      'app/views.py:1'
    ])
    expect(byId.get('no-secrets-committed-to-the-repository')?.conclusion).toBe('success')
  }, 120_000)
})

describe('import again', () => {
  it('importing the rendered checklist back keeps every value filled by hand', async () => {
    const dir = join(temp.dir, 'round-trip')
    gitRepo(dir, {
      'RELEASE.md':
        '# Release\n\n## Checks\n- [ ] Health endpoint returns `200 OK`\n- [ ] Legal review done\n'
    })
    expect((await cli(dir, ['import', 'RELEASE.md'])).code).toBe(0)
    const path = join(dir, '.github/release-gates.yml')
    writeFileSync(
      path,
      readFileSync(path, 'utf8')
        .replace('https://FILL-ME.invalid/health', 'https://shop.example.com/health')
        .replace('    enabled: false\n', '')
    )
    const filled = readFileSync(path, 'utf8')
    expect((await cli(dir, ['checklist', '--output', 'rendered.md'])).code).toBe(0)
    const again = await cli(dir, ['import', 'rendered.md'])
    expect(again.stdout).toBe(
      'Merged into .github/release-gates.yml: 2 gates kept as they were, 0 added.\n'
    )
    expect(readFileSync(path, 'utf8')).toBe(filled)
  })
})

describe('init without a checklist, and what it reads', () => {
  it('a repository alone gives the gates its files show it can prove', async () => {
    const dir = join(temp.dir, 'bare')
    monorepo(dir)
    const { code, stdout } = await cli(dir, ['init', '--out', 'gates.yml'])
    expect(code).toBe(0)
    const { gates } = parse(readFileSync(join(dir, 'gates.yml'), 'utf8')) as { gates: GateShape[] }
    expect(gates.map((gate) => gate.check)).toEqual([
      'tests',
      'typescript',
      'secrets',
      'npm-audit',
      'files',
      'env'
    ])
    expect(stdout).toContain('✔ gates.yml is valid')
  })

  it('Python projects: pytest only with test files, linters named in requirements, packages', () => {
    const dir = join(temp.dir, 'flask')
    writeTree(dir, {
      'requirements.txt': 'flask==3.0.0\npytest>=8\npytest-cov\nflake8==7.0.0\n',
      'app/__init__.py': 'from flask import Flask\n',
      'tests/test_app.py': 'def test_ok():\n    assert True\n',
      'tooling/requirements.txt': 'pytest\n',
      'tooling/helpers/__init__.py': ''
    })
    const facts = inspectRepository(dir)
    expect(facts.python).toEqual([
      {
        dir: '',
        files: ['requirements.txt'],
        pytest: true,
        pytestCov: true,
        linters: ['flake8'],
        packages: ['app']
      },
      {
        dir: 'tooling',
        files: ['tooling/requirements.txt'],
        pytest: false,
        pytestCov: false,
        linters: [],
        packages: ['helpers']
      }
    ])
  })
})

describe('coverage for each test runner', () => {
  const COVERAGE_ITEMS = '# Release\n- [ ] Unit tests passing\n- [ ] Code coverage at least 80%\n'

  it("node's own runner under c8, for real: the coverage gate reads c8's report and its verdict is c8's", async () => {
    const dir = join(temp.dir, 'node-runner')
    gitRepo(dir, {
      'package.json':
        '{ "name": "calc", "scripts": { "test": "node --test" }, "devDependencies": { "c8": "10.1.3" } }\n',
      'package-lock.json':
        '{ "name": "calc", "lockfileVersion": 3, "requires": true, "packages": {} }\n',
      'lib/calc.js': [
        'export function add(a, b) {',
        '  return a + b',
        '}',
        'export function divide(a, b) {',
        "  if (b === 0) throw new Error('by zero')",
        '  const quotient = a / b',
        '  return quotient',
        '}',
        ''
      ].join('\n'),
      'test/calc.test.js':
        "import { test } from 'node:test'\nimport assert from 'node:assert'\nimport { add } from '../lib/calc.js'\ntest('add', () => assert.equal(add(1, 2), 3))\n",
      'CHECKLIST.md': COVERAGE_ITEMS
    })
    writeFileSync(
      join(dir, 'package.json'),
      readFileSync(join(dir, 'package.json'), 'utf8').replace(
        '"calc",',
        '"calc", "type": "module",'
      )
    )
    symlinkSync(NODE_MODULES, join(dir, 'node_modules'))
    expect((await cli(dir, ['init', 'CHECKLIST.md'])).code).toBe(0)
    const file = parse(readFileSync(join(dir, '.github/release-gates.yml'), 'utf8')) as {
      gates: Array<{ id: string; check: string; needs?: string[]; with?: Record<string, unknown> }>
    }
    const coverage = file.gates.find((gate) => gate.check === 'coverage')!
    expect(coverage).toMatchObject({
      needs: ['unit-tests-passing'],
      with: { report: 'coverage/coverage-summary.json' }
    })
    expect(file.gates.find((gate) => gate.id === 'unit-tests-passing')?.with?.run).toBe(
      'npx --no-install c8 --reporter=json-summary --reporter=text-summary npm test'
    )
    const { code } = await cli(dir, ['run', '--no-progress', '--no-color', '--json', 'report.json'])
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
      gates: Array<{ id: string; conclusion: string; title: string }>
    }
    // c8's own figure decides: divide() is never called, so lines stay under 80 %.
    const written = JSON.parse(
      readFileSync(join(dir, 'coverage/coverage-summary.json'), 'utf8')
    ) as { total: { lines: { pct: number; covered: number; total: number } } }
    expect(written.total.lines.pct).toBeLessThan(80)
    const byId = new Map(report.gates.map((gate) => [gate.id, gate]))
    expect(byId.get('unit-tests-passing')?.conclusion).toBe('success')
    expect(byId.get(coverage.id)?.conclusion).toBe('failure')
    expect(byId.get(coverage.id)?.title).toContain(
      `(${written.total.lines.covered}/${written.total.lines.total})`
    )
    expect(code).toBe(1)
  }, 120_000)

  it('vitest gets its dot options and the provider it has; without a provider, or mocha without c8, coverage stays manual and says why', () => {
    const wired = (dependencies: Record<string, string>, test: string) => {
      const dir = join(temp.dir, `runner-${Object.keys(dependencies).join('-').replace(/\W/g, '')}`)
      writeTree(dir, {
        'package.json': JSON.stringify({
          name: 'x',
          scripts: { test },
          devDependencies: dependencies
        })
      })
      return adaptToRepository(
        importItems(parseChecklist(COVERAGE_ITEMS), loadImportRules()),
        inspectRepository(dir)
      ).map((gate) => ({
        id: gate.id,
        check: gate.wiring?.check ?? 'manual',
        with: gate.wiring?.with,
        note: gate.note
      }))
    }
    const v8 = wired({ vitest: '2.1.0', '@vitest/coverage-v8': '2.1.0' }, 'vitest run')
    expect(v8[0]!.with?.args).toEqual([
      '--coverage.enabled',
      '--coverage.reporter=json-summary',
      '--coverage.reporter=text-summary'
    ])
    expect(v8[1]).toMatchObject({
      check: 'coverage',
      with: { report: 'coverage/coverage-summary.json' }
    })
    const istanbul = wired({ vitest: '2.1.0', '@vitest/coverage-istanbul': '2.1.0' }, 'vitest run')
    expect(istanbul[0]!.with?.args).toContain('--coverage.provider=istanbul')
    expect(wired({ vitest: '2.1.0' }, 'vitest run')[1]).toMatchObject({
      check: 'manual',
      note: 'kept manual: vitest writes coverage only with @vitest/coverage-v8 (or -istanbul) installed, and neither is a dependency'
    })
    expect(wired({ mocha: '10.0.0' }, 'mocha')[1]).toMatchObject({
      check: 'manual',
      note: 'kept manual: mocha writes no coverage report by itself, and c8 (which would measure it) is not a dependency'
    })
  })
})

describe('lint items name their language', () => {
  it('an item naming ESLint gets eslint only; a plain "linter" item gets the Python linters too', async () => {
    const dir = join(temp.dir, 'mixed')
    gitRepo(dir, {
      'package.json': '{ "name": "web", "devDependencies": { "eslint": "9.0.0" } }\n',
      'eslint.config.js': 'export default []\n',
      'tooling/requirements.txt': 'ruff==0.6.0\n',
      'tooling/tools/__init__.py': ''
    })
    symlinkSync(NODE_MODULES, join(dir, 'node_modules'))
    const rules = loadImportRules()
    const gates = (text: string) =>
      adaptToRepository(
        importItems(parseChecklist(`# Release\n- [ ] ${text}\n`), rules),
        inspectRepository(dir)
      ).map((gate) => [gate.id, gate.wiring?.check])
    expect(gates('ESLint passes without warnings: `npm run lint`')).toEqual([
      ['eslint-passes-without-warnings', 'eslint']
    ])
    expect(gates('Linting passes with no warnings')).toEqual([
      ['linting-passes-with-no-warnings', 'eslint'],
      ['linting-passes-with-no-warnings-ruff', 'command']
    ])
  })
})

/** A checklist of `areas` sections of five manual items each. */
function areaChecklist(areas: number): string {
  const sections = Array.from({ length: areas }, (_, section) =>
    [
      `## Area ${section + 1}`,
      ...Array.from(
        { length: 5 },
        (_, item) => `- [ ] Area ${section + 1} check ${item + 1} reviewed`
      )
    ].join('\n')
  )
  return `# Release\n\n${sections.join('\n\n')}\n`
}

describe('section sign-offs', () => {
  it('above 25 sign-offs in a stage, the manual items of a section become one sign-off that lists them', () => {
    const markdown = `${areaChecklist(8)}\n## Code\n- [ ] TypeScript compilation without errors\n`
    const imported = importItems(parseChecklist(markdown), loadImportRules())
    const grouped = groupSignoffs(imported)
    const signoffs = (gates: ImportedGate[]) => gates.filter((gate) => !gate.wiring).length
    expect(signoffs(imported)).toBe(40)
    expect(signoffs(grouped)).toBe(8)
    expect(grouped.find((gate) => gate.wiring)?.wiring?.check).toBe('typescript')
    const first = grouped[0]!
    expect(first).toMatchObject({ id: 'signoff-area-1', name: 'Area 1: 5 items signed off' })
    expect(first.items).toEqual([1, 2, 3, 4, 5].map((item) => `Area 1 check ${item} reviewed`))
    // 25 or fewer: nothing grouped.
    expect(groupSignoffs(imported.slice(0, 25))).toHaveLength(25)
  })

  it('the items a section sign-off covers are listed in the rendered checklist', async () => {
    const dir = join(temp.dir, 'many')
    gitRepo(dir, { 'RELEASE.md': areaChecklist(6) })
    expect((await cli(dir, ['init', 'RELEASE.md'])).code).toBe(0)
    expect((await cli(dir, ['checklist', '--output', 'rendered.md'])).code).toBe(0)
    const rendered = readFileSync(join(dir, 'rendered.md'), 'utf8')
    expect(rendered).toContain(
      '- [ ] Area 1: 5 items signed off\n  - Area 1 check 1 reviewed\n  - Area 1 check 2 reviewed'
    )
    expect(rendered.match(/^- \[ \]/gm)).toHaveLength(6)
  })
})

describe('dependency items, per ecosystem the repository has', () => {
  const ITEMS = [
    '## Security',
    '- [ ] No critical security vulnerabilities: `npm audit`',
    '- [ ] Perform dependency vulnerability check',
    '- [ ] Dependencies are updated',
    '- [ ] Third-party licenses reviewed'
  ].join('\n')
  const wired = (name: string, files: Record<string, string>) => {
    const dir = join(temp.dir, `deps-${name}`)
    writeTree(dir, files)
    return adaptToRepository(
      importItems(parseChecklist(ITEMS), loadImportRules()),
      inspectRepository(dir)
    ).map((gate) => ({
      check: gate.wiring?.check ?? 'manual',
      with: gate.wiring?.with,
      note: gate.note
    }))
  }

  it('npm alone: the named npm audit stays, the rest read the npm lockfile', () => {
    const gates = wired('npm', {
      'package.json': '{"name":"x"}',
      'package-lock.json': '{"lockfileVersion":3,"packages":{}}'
    })
    expect(gates.map((gate) => gate.check)).toEqual([
      'npm-audit',
      'osv-audit',
      'outdated',
      'licenses'
    ])
    expect(gates[0]!.with).toEqual({ 'fail-on': 'critical' })
    expect(gates[2]!.with).toEqual({ 'max-major-behind': 1 })
  })

  it('npm, Python and Go: one OSV audit of all; outdated and licences on the npm and PyPI ones', () => {
    const gates = wired('polyglot', {
      'package.json': '{"name":"x"}',
      'package-lock.json': '{"lockfileVersion":3,"packages":{}}',
      'api/requirements.txt': 'flask==2.2.2\n',
      'svc/go.mod': 'module m\n'
    })
    expect(gates.map((gate) => gate.check)).toEqual([
      'osv-audit',
      'osv-audit',
      'outdated',
      'licenses'
    ])
    expect(gates[0]).toMatchObject({ with: { 'fail-on': 'critical' } })
    expect(gates[0]!.note).toContain('osv-audit instead of npm-audit: lockfiles of Go, PyPI, npm')
    expect(gates[2]!.with).toEqual({ 'max-major-behind': 1, ecosystems: ['PyPI', 'npm'] })
    expect(gates[3]!.with).toEqual({
      deny: ['AGPL-*', 'GPL-*', 'SSPL-1.0'],
      ecosystems: ['PyPI', 'npm']
    })
  })

  it('Go alone: outdated and licences stay manual and say why; no lockfile keeps all manual', () => {
    const go = wired('go', { 'go.mod': 'module m\n' })
    expect(go.map((gate) => gate.check)).toEqual(['osv-audit', 'osv-audit', 'manual', 'manual'])
    expect(go[2]!.note).toBe('kept manual: lockfiles of Go: outdated judges npm and PyPI packages')
    const none = wired('none', { 'README.md': '# x\n' })
    expect(
      none.every(
        (gate) => gate.check === 'manual' && gate.note?.startsWith('kept manual: no lockfile here')
      )
    ).toBe(true)
  })
})
