import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { parseCoverage } from '../../src/checks/coverage/detect.js'
import { percent } from '../../src/checks/coverage/model.js'
import { parseEslintJson } from '../../src/checks/eslint/parse.js'
import { parseTscOutput } from '../../src/checks/typescript/parse.js'

const recorded = (name: string) =>
  readFileSync(new URL(`../fixtures/tools/${name}`, import.meta.url), 'utf8')

describe('parseTscOutput on real tsc output', () => {
  it('reads file, line, column, code and multi-line messages', () => {
    const diagnostics = parseTscOutput(recorded('tsc-errors.txt'))
    expect(diagnostics).toHaveLength(5)
    expect(diagnostics[0]).toEqual({
      file: 'src/a.ts',
      line: 1,
      column: 7,
      category: 'error',
      code: 2322,
      message: "Type 'string' is not assignable to type 'number'."
    })
    expect(diagnostics[3]).toEqual({
      file: 'src/b.ts',
      line: 3,
      column: 3,
      category: 'error',
      code: 2345,
      message:
        "Argument of type '{ a: string; b: string; }' is not assignable to parameter of type '{ a: string; b: number; }'.\n  Types of property 'b' are incompatible.\n    Type 'string' is not assignable to type 'number'."
    })
  })

  it('reads global diagnostics without a file (TS18003: no inputs)', () => {
    expect(parseTscOutput(recorded('tsc-no-inputs.txt'))).toEqual([
      expect.objectContaining({
        code: 18003,
        category: 'error',
        message: expect.stringContaining('No inputs were found in config file')
      })
    ])
    expect(parseTscOutput(recorded('tsc-no-inputs.txt'))[0]!.file).toBeUndefined()
  })
})

describe('parseEslintJson on real ESLint output', () => {
  it('counts errors, warnings and fatal parse errors, paths relative to the root', () => {
    const result = parseEslintJson(recorded('eslint-flat.json'), '/work/app')
    expect(result).toMatchObject({ errors: 4, warnings: 1, fatal: 1, filesLinted: 3 })
    expect(result.files.map((file) => file.path)).toEqual(['a.js', 'broken.js'])
    expect(result.files[0]!.problems[0]).toEqual({
      ruleId: 'no-unused-vars',
      severity: 'error',
      message: "'unused' is assigned a value but never used.",
      line: 1,
      column: 7,
      endLine: 1,
      endColumn: 13,
      fatal: false
    })
    expect(result.files[1]!.problems[0]).toMatchObject({
      ruleId: null,
      severity: 'error',
      fatal: true,
      message: expect.stringContaining('Parsing error')
    })
  })

  it('refuses what is not ESLint JSON', () => {
    expect(() => parseEslintJson('Oops! Something went wrong!', '/')).toThrow(
      'ESLint did not print JSON'
    )
    expect(() => parseEslintJson('{"a":1}', '/')).toThrow('not a list')
  })
})

describe('parseCoverage: every format, recognised by content', () => {
  // istanbul's own summary of the run that wrote all five files.
  const expected = JSON.parse(recorded('istanbul-coverage-summary.json')).total

  it.each([
    ['istanbul-coverage-summary.json', 'istanbul-summary'],
    ['istanbul-coverage-final.json', 'istanbul-final'],
    ['istanbul-lcov.info', 'lcov'],
    ['istanbul-cobertura-coverage.xml', 'cobertura'],
    ['istanbul-clover.xml', 'clover']
  ])('%s agrees with istanbul’s own totals', (file, format) => {
    const report = parseCoverage(recorded(file))
    expect(report.format).toBe(format)
    expect(report.files).toHaveLength(1)
    expect(report.files[0]!.path).toMatch(/src\/cart\.js$/)
    expect(report.total.lines).toEqual({
      covered: expected.lines.covered,
      total: expected.lines.total
    })
    expect(report.total.functions).toEqual({
      covered: expected.functions.covered,
      total: expected.functions.total
    })
  })

  it('Cobertura from coverage.py: its own line and branch totals', () => {
    const report = parseCoverage(recorded('cobertura-coveragepy.xml'))
    expect(report.format).toBe('cobertura')
    expect(report.files.map((file) => file.path)).toEqual(['shop/__init__.py', 'shop/cart.py'])
    expect(report.total.lines).toEqual({ covered: 13, total: 16 }) // lines-covered="13" lines-valid="16"
    expect(report.total.branches).toEqual({ covered: 5, total: 8 }) // branches-covered="5" branches-valid="8"
    expect(percent(report.total.lines!)).toBe(81.25)
  })

  it('Clover from PHPUnit: statements and methods from its metrics, branches not measured', () => {
    const report = parseCoverage(recorded('clover-phpunit.xml'))
    expect(report.format).toBe('clover')
    expect(report.files[0]!.path).toBe('/work/app/src/Cart.php')
    expect(report.total).toEqual({
      lines: { covered: 5, total: 8 },
      statements: { covered: 5, total: 8 },
      functions: { covered: 1, total: 3 }
    })
  })

  it('lcov without LF/LH counts DA lines, and copes with CRLF', () => {
    const report = parseCoverage(
      'TN:\r\nSF:a.js\r\nDA:1,1\r\nDA:2,0\r\nDA:3,5\r\nend_of_record\r\n'
    )
    expect(report.total.lines).toEqual({ covered: 2, total: 3 })
  })

  it('refuses what is not a coverage report', () => {
    expect(() => parseCoverage('hello')).toThrow('not a coverage report')
    expect(() => parseCoverage('{"a":{"b":1}}')).toThrow('neither an istanbul')
    expect(() => parseCoverage('<html></html>')).toThrow('without a <coverage> root')
  })
})

describe('parseJUnit on real jest-junit output', () => {
  it('counts, names and places each failing test on its file and line', async () => {
    const { parseJUnit } = await import('../../src/checks/tests/junit.js')
    const result = parseJUnit(recorded('junit-jest.xml'), '/work/app')
    expect(result).toMatchObject({ passed: 2, failed: 1, errors: 0, skipped: 1 })
    expect(result.cases.find((testcase) => testcase.status === 'failed')).toMatchObject({
      name: 'discounts applies a 10% discount',
      file: 'src/fail.test.js',
      line: 4,
      message: 'Error: expect(received).toBe(expected) // Object.is equality'
    })
    expect(() => parseJUnit('<html/>', '/')).toThrow('not JUnit XML')
  })

  it('reads node’s test runner, whose top-level tests sit right under <testsuites>', async () => {
    const { parseJUnit } = await import('../../src/checks/tests/junit.js')
    // `node --test --test-reporter=junit` (Node 20) on two passing, one failing, one skipped test.
    const result = parseJUnit(recorded('junit-node-test.xml'), '/work/app')
    expect(result).toMatchObject({ passed: 2, failed: 1, errors: 0, skipped: 1 })
    expect(result.cases.find((testcase) => testcase.status === 'failed')).toMatchObject({
      name: 'subtracts',
      message: 'Expected values to be strictly equal:2 !== 1'
    })
  })

  it('reads real pytest JUnit (Debian python3-pytest 7.2): entities decoded, failures placed on file:line', async () => {
    const { parseJUnit } = await import('../../src/checks/tests/junit.js')
    const result = parseJUnit(recorded('junit-pytest.xml'), '/work/app')
    expect(result).toMatchObject({ passed: 1, failed: 2, errors: 0, skipped: 1 })
    const [total, lines] = result.cases.filter((testcase) => testcase.status === 'failed')
    expect(total).toMatchObject({ name: 'test_total', file: 'tests/test_cart.py', line: 4 })
    // `&#10;` in the message attribute is a newline, not five characters.
    expect(lines!.message).toBe(
      "AssertionError: assert 'first\\nsecond' == 'first'\n  - first\n  + first\n  ?      +\n  + second"
    )
    expect(lines).toMatchObject({ file: 'tests/test_cart.py', line: 14 })
  })

  it('reads the message attribute and path-like classnames other runners write', async () => {
    const { parseJUnit } = await import('../../src/checks/tests/junit.js')
    const xml = `<testsuite name="s"><testcase classname="tests/test_cart.py" name="test_total"><failure message="assert 90 == 91">tests/test_cart.py:12: AssertionError</failure></testcase><testcase classname="x" name="ok"/></testsuite>`
    expect(parseJUnit(xml, '/repo').cases[0]).toMatchObject({
      file: 'tests/test_cart.py',
      line: 12,
      message: 'assert 90 == 91',
      status: 'failed'
    })
  })
})

describe('parseRunnerSummary on real runner output', () => {
  it('jest, node --test (TAP and spec reporters) and pytest: the closing counts', async () => {
    const { parseRunnerSummary } = await import('../../src/checks/tests/runner-summary.js')
    expect(parseRunnerSummary(recorded('runner-jest.txt'))).toEqual({
      runner: 'jest',
      passed: 1,
      failed: 1,
      skipped: 1,
      failedSuites: 1
    })
    for (const file of ['runner-node-tap.txt', 'runner-node-spec.txt'])
      expect(parseRunnerSummary(recorded(file))).toEqual({
        runner: 'node',
        passed: 1,
        failed: 1,
        skipped: 1
      })
    expect(parseRunnerSummary(recorded('runner-pytest.txt'))).toEqual({
      runner: 'pytest',
      passed: 1,
      failed: 2,
      skipped: 1
    })
  })

  it('no closing line, no summary: a run cut short is not taken for a finished one', async () => {
    const { parseRunnerSummary } = await import('../../src/checks/tests/runner-summary.js')
    const cut = recorded('runner-jest.txt').replace(/^Ran all test suites\.$/m, '')
    expect(parseRunnerSummary(cut)).toBeUndefined()
    expect(parseRunnerSummary('PASS src/a.test.js\n')).toBeUndefined()
  })
})
