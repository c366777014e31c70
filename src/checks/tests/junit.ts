import { isAbsolute, relative } from 'node:path'
import { XMLParser } from 'fast-xml-parser'

export interface JUnitCase {
  name: string
  classname?: string
  /** Repository-relative when it could be located. */
  file?: string
  line?: number
  status: 'passed' | 'failed' | 'error' | 'skipped'
  /** The first line of the failure: what a reviewer reads in an annotation. */
  message?: string
  /** The whole failure text (assertion and stack). */
  details?: string
}

export interface JUnitResult {
  cases: JUnitCase[]
  passed: number
  failed: number
  errors: number
  skipped: number
}

type Node = Record<string, unknown>
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Character references too (`&#10;` in pytest's messages), not only the five named entities.
  htmlEntities: true,
  isArray: (name) => ['testsuite', 'testcase', 'failure', 'error'].includes(name)
})
const list = (value: unknown): Node[] =>
  Array.isArray(value) ? (value as Node[]) : value ? [value as Node] : []
const text = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : value && typeof value === 'object'
      ? String((value as Node)['#text'] ?? '')
      : ''

/**
 * Parses JUnit XML as jest-junit, vitest's junit reporter, pytest, node's test runner and others
 * write it: nested testsuites (or, node's, testcases right under the root), testcases with
 * failure, error or skipped children. A case is placed on a file from
 * its `file` attribute (or a path-like classname) and on a line from the first stack frame in
 * that file.
 */
export function parseJUnit(xml: string, root: string): JUnitResult {
  const document = parser.parse(xml) as Node
  if (!document.testsuites && !document.testsuite)
    throw new Error('not JUnit XML: no <testsuites> or <testsuite> root')
  const suites: Node[] = []
  const collect = (nodes: Node[]): void => {
    for (const suite of nodes) {
      suites.push(suite)
      collect(list(suite.testsuite))
    }
  }
  // node's test runner puts top-level tests straight under <testsuites>, without a <testsuite>.
  if (document.testsuites && typeof document.testsuites === 'object')
    suites.push({ testcase: (document.testsuites as Node).testcase })
  collect([
    ...list((document.testsuites as Node | undefined)?.testsuite),
    ...list(document.testsuite)
  ])

  const result: JUnitResult = { cases: [], passed: 0, failed: 0, errors: 0, skipped: 0 }
  for (const suite of suites) {
    for (const testcase of list(suite.testcase)) {
      const failure = list(testcase.failure)[0]
      const error = list(testcase.error)[0]
      const problem = failure ?? error
      const status: JUnitCase['status'] = failure
        ? 'failed'
        : error
          ? 'error'
          : 'skipped' in testcase
            ? 'skipped'
            : 'passed'
      result[
        status === 'failed'
          ? 'failed'
          : status === 'error'
            ? 'errors'
            : status === 'skipped'
              ? 'skipped'
              : 'passed'
      ]++
      const details = problem ? text(problem) || String(problem['@message'] ?? '') : undefined
      const message = problem
        ? String(problem['@message'] ?? '') || details?.split('\n').find((line) => line.trim())
        : undefined
      const classname =
        testcase['@classname'] === undefined ? undefined : String(testcase['@classname'])
      const declared =
        testcase['@file'] ??
        (classname && /[\\/].*\.\w+$/.test(classname) ? classname : undefined) ??
        (classname && details ? moduleFile(classname, details) : undefined)
      const file = declared === undefined ? undefined : toRepoPath(String(declared), root)
      const line = file && details ? lineInStack(details, file, root) : undefined
      result.cases.push({
        name: String(testcase['@name'] ?? ''),
        ...(classname !== undefined && { classname }),
        ...(file !== undefined && { file }),
        ...(line !== undefined && { line }),
        status,
        ...(message !== undefined && { message: message.trim() }),
        ...(details !== undefined && { details })
      })
    }
  }
  return result
}

/**
 * pytest names a test's module with dots (`tests.test_cart`, or `tests.test_cart.TestCart` for a
 * class): the file is the longest such prefix that the failure text names as `tests/test_cart.py:N`.
 */
function moduleFile(classname: string, details: string): string | undefined {
  const parts = classname.split('.')
  for (let length = parts.length; length > 0; length--) {
    const file = `${parts.slice(0, length).join('/')}.py`
    if (new RegExp(`(^|[\\s/(])${file.replace(/[.]/g, '\\.')}:\\d+`, 'm').test(details)) return file
  }
  return undefined
}

function toRepoPath(path: string, root: string): string {
  return (isAbsolute(path) ? relative(root, path) : path).split('\\').join('/')
}

/** The line of the first frame pointing into `file`: "(/abs/src/a.test.js:4:40)", "tests/t.py:12:". */
function lineInStack(details: string, file: string, root: string): number | undefined {
  for (const match of details.matchAll(/\(?((?:[A-Za-z]:)?[^\s():]+):(\d+)(?::\d+)?\)?/g)) {
    if (toRepoPath(match[1]!, root) === file || match[1]!.endsWith(`/${file}`))
      return Number(match[2])
  }
  return undefined
}
