/** What a test runner's own closing lines say: how many tests passed, failed and were skipped. */
export interface RunnerSummary {
  runner: 'jest' | 'node' | 'pytest'
  passed: number
  failed: number
  skipped: number
  /** Suites that failed to run at all (jest's "Test Suites: 5 failed"). */
  failedSuites?: number
}

type Reader = (text: string) => RunnerSummary | undefined

/** `58 failed, 2 skipped, 660 passed, 718 total` → counts by word. */
function countsOf(text: string): Map<string, number> {
  const counts = new Map<string, number>()
  for (const match of text.matchAll(/(\d+) (\w+)/g))
    counts.set(match[2]!, (counts.get(match[2]!) ?? 0) + Number(match[1]))
  return counts
}

/**
 * jest closes with `Tests: 1 failed, 1 skipped, 1 passed, 3 total`, then `Time:` and
 * `Ran all test suites.`: the last line means the run is over, whether or not jest exits.
 */
const jest: Reader = (text) => {
  if (!/^Ran all test suites/m.test(text)) return undefined
  const tests = [...text.matchAll(/^Tests:\s+(.+)$/gm)].at(-1)?.[1]
  const suites = [...text.matchAll(/^Test Suites:\s+(.+)$/gm)].at(-1)?.[1]
  const counts = countsOf(tests ?? '')
  const suiteCounts = countsOf(suites ?? '')
  return {
    runner: 'jest',
    passed: counts.get('passed') ?? 0,
    failed: counts.get('failed') ?? 0,
    skipped: (counts.get('skipped') ?? 0) + (counts.get('todo') ?? 0),
    ...(suiteCounts.get('failed') && { failedSuites: suiteCounts.get('failed') })
  }
}

/** node --test closes with `# pass 1` (TAP) or `ℹ pass 1` (spec), ending with duration_ms. */
const node: Reader = (text) => {
  const lines = [
    ...text.matchAll(/^[#ℹ] (tests|pass|fail|cancelled|skipped|todo|duration_ms) ([\d.]+)$/gm)
  ]
  if (!lines.some((match) => match[1] === 'duration_ms')) return undefined
  const value = (name: string) => Number(lines.findLast((match) => match[1] === name)?.[2] ?? 0)
  return {
    runner: 'node',
    passed: value('pass'),
    failed: value('fail') + value('cancelled'),
    skipped: value('skipped') + value('todo')
  }
}

/** pytest closes with `==== 1 failed, 2 passed, 1 skipped in 0.12s ====`. */
const pytest: Reader = (text) => {
  const line = [
    ...text.matchAll(
      /^=+ (.*\b(?:passed|failed|error|errors|skipped|no tests ran)\b.*) in [\d.]+s.* =+$/gm
    )
  ].at(-1)?.[1]
  if (line === undefined) return undefined
  const counts = countsOf(line)
  return {
    runner: 'pytest',
    passed: counts.get('passed') ?? 0,
    failed: (counts.get('failed') ?? 0) + (counts.get('error') ?? 0) + (counts.get('errors') ?? 0),
    skipped: (counts.get('skipped') ?? 0) + (counts.get('xfailed') ?? 0)
  }
}

/**
 * A test runner's closing summary in its output, when it printed one: the sign that its tests
 * have finished (even if the process lingers), and what they came to. Undefined when the output
 * holds no closing line this knows.
 */
export function parseRunnerSummary(output: string): RunnerSummary | undefined {
  for (const read of [jest, node, pytest]) {
    const summary = read(output)
    if (summary) return summary
  }
  return undefined
}
