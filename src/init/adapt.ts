import { slugOf } from '../import/build.js'
import type { ImportedGate } from '../import/build.js'
import { PYTHON_LINTERS } from '../import/rules.js'
import type { Wiring } from '../import/rules.js'
import type { PackageFacts, RepoFacts } from './inspect.js'

/** Where a test run happens, and how it is made to write what the other gates read. */
interface TestTarget {
  dir: string
  runner: 'jest' | 'vitest' | 'mocha' | 'node' | 'pytest'
  pkg?: PackageFacts
  /** npm, pnpm or yarn: what runs the package's scripts. */
  manager?: string
}

/** The first tests gate of a folder, and the run it wires. */
interface TestsGate {
  gate: ImportedGate
  target: TestTarget
}

const SOURCE_GLOB = '**/*.{js,jsx,ts,tsx,mjs,cjs}'

/**
 * Wires imported items to what the repository has (pure: `facts` were read before). A gate whose
 * check has nothing to run on here becomes manual with a note that says what is missing; a gate
 * that applies to several packages becomes one gate per package. Tests first, so coverage can
 * name the gate that writes its report.
 */
export function adaptToRepository(gates: ImportedGate[], facts: RepoFacts): ImportedGate[] {
  const targets = testTargets(facts)
  const adapted: ImportedGate[] = []
  const testsGateOf = new Map<string, TestsGate>()
  for (const gate of gates) {
    const wiring = gate.wiring
    if (!wiring) {
      adapted.push(gate)
      continue
    }
    switch (wiring.check) {
      case 'tests':
        adapted.push(...adaptTests(gate, wiring, targets, testsGateOf))
        break
      case 'typescript':
        adapted.push(adaptTypescript(gate, wiring, facts))
        break
      case 'eslint':
        adapted.push(...adaptLint(gate, wiring, facts))
        break
      case 'files':
        adapted.push(adaptSourceGlobs(gate, wiring, facts))
        break
      case 'npm-audit':
      case 'osv-audit':
      case 'outdated':
      case 'licenses':
        adapted.push(adaptDependencies(gate, wiring, facts))
        break
      case 'env':
        adapted.push(adaptEnv(gate, wiring, facts))
        break
      default:
        adapted.push(gate)
    }
  }
  // Coverage second: it needs the tests gate that writes its report, wherever that item stands.
  const withCoverage = adapted.map((gate) =>
    gate.wiring?.check === 'coverage' ? adaptCoverage(gate, gate.wiring, testsGateOf) : gate
  )
  return shareTestRuns(withCoverage, testsGateOf)
}

/**
 * Several test items of one package ("Unit tests passing", "Integration tests passing") run the
 * same command as the first of them, so the engine runs it once and every gate reads the result.
 */
function shareTestRuns(gates: ImportedGate[], testsGateOf: Map<string, TestsGate>): ImportedGate[] {
  return gates.map((gate) => {
    if (gate.wiring?.check !== 'tests') return gate
    const first = testsGateOf.get(String(gate.wiring.with.cwd ?? ''))?.gate
    if (!first || first.id === gate.id) return gate
    const { run, args } = first.wiring!.with
    const options = { ...gate.wiring.with }
    if (run === undefined) delete options.run
    else options.run = run
    if (args === undefined) delete options.args
    else options.args = args
    return {
      ...gate,
      wiring: { ...gate.wiring, with: options },
      note: `${gate.note}; shares the run of ${first.id}`
    }
  })
}

/** Registries the outdated gate reads; licences read from what npm and pip install. */
const JUDGED_BY_REGISTRY = new Set(['npm', 'PyPI'])

/**
 * The dependency gates, per ecosystem the repository has: npm's own audit only where npm is all
 * there is (the checklist named it), else one OSV audit of every lockfile; outdated and licences
 * limited to the ecosystems they can judge. No lockfile at all keeps the item manual.
 */
function adaptDependencies(gate: ImportedGate, wiring: Wiring, facts: RepoFacts): ImportedGate {
  const ecosystems = [...new Set(facts.lockfiles.map((lockfile) => lockfile.ecosystem))].sort()
  if (!ecosystems.length)
    return manual(
      gate,
      'no lockfile here (package-lock.json, pnpm-lock.yaml, yarn.lock, requirements.txt, poetry.lock, Pipfile.lock, go.mod, Cargo.lock)'
    )
  const found = `lockfiles of ${ecosystems.join(', ')}`
  if (wiring.check === 'npm-audit') {
    if (ecosystems.length === 1 && ecosystems[0] === 'npm' && facts.lockfile) return gate
    return {
      ...gate,
      wiring: { ...wiring, check: 'osv-audit', with: { ...wiring.with } },
      note: noted(gate, `osv-audit instead of npm-audit: ${found}`)
    }
  }
  if (wiring.check === 'osv-audit') return { ...gate, note: noted(gate, found) }
  const judged = ecosystems.filter((ecosystem) => JUDGED_BY_REGISTRY.has(ecosystem))
  if (!judged.length) return manual(gate, `${found}: ${wiring.check} judges npm and PyPI packages`)
  return withOptions(
    { ...gate, note: noted(gate, `judges ${judged.join(', ')}`) },
    wiring,
    judged.length < ecosystems.length ? { ...wiring.with, ecosystems: judged } : wiring.with
  )
}

const noted = (gate: ImportedGate, note: string) => (gate.note ? `${gate.note}; ${note}` : note)

function manual(gate: ImportedGate, why: string): ImportedGate {
  const { wiring: _wiring, ...rest } = gate
  return { ...rest, note: `kept manual: ${why}` }
}

function withOptions(
  gate: ImportedGate,
  wiring: Wiring,
  options: Record<string, unknown>
): ImportedGate {
  return { ...gate, wiring: { ...wiring, with: options } }
}

function testTargets(facts: RepoFacts): TestTarget[] {
  const node = facts.packages
    .filter((pkg) => pkg.hasTestScript)
    .map((pkg): TestTarget => ({
      dir: pkg.dir,
      runner: pkg.testRunner ?? 'node',
      pkg,
      manager: facts.packageManager ?? 'npm'
    }))
  const python = facts.python
    .filter((project) => project.pytest)
    .map((project): TestTarget => ({ dir: project.dir, runner: 'pytest' }))
  return [...node, ...python]
}

/** One tests gate per package that has tests: its `test` script, or pytest. */
function adaptTests(
  gate: ImportedGate,
  wiring: Wiring,
  targets: TestTarget[],
  testsGateOf: Map<string, TestsGate>
): ImportedGate[] {
  if (!targets.length)
    return [manual(gate, 'no package here has a "test" script, and no Python project uses pytest')]
  return targets.map((target, index) => {
    const options: Record<string, unknown> = { ...wiring.with }
    if (target.runner === 'pytest') {
      options.run = 'python3 -m pytest'
      options.args = ['--junitxml=junit.xml']
      options.junit = 'junit.xml'
    } else if (typeof options.run === 'string' && !scriptExists(target.pkg!, options.run)) {
      delete options.run
    }
    if (target.dir) options.cwd = target.dir
    const id = index === 0 ? gate.id : `${gate.id}-${slugOf(target.dir || 'root')}`
    const adapted: ImportedGate = {
      ...gate,
      id,
      wiring: { ...wiring, with: options },
      note: `runs ${target.runner === 'pytest' ? 'pytest' : `the "test" script (${target.runner})`} in ${target.dir || 'the repository root'}`
    }
    if (!testsGateOf.has(target.dir)) testsGateOf.set(target.dir, { gate: adapted, target })
    return adapted
  })
}

function scriptExists(pkg: PackageFacts, run: string): boolean {
  const match = /^(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?([\w:.-]+)/.exec(run.trim())
  if (!match) return true
  return match[1] === 'test' || match[1] === 't'
    ? pkg.hasTestScript
    : pkg.scripts[match[1]!] !== undefined
}

/** How a runner is made to write a coverage report the coverage gate reads, or why it cannot. */
type CoverageWiring = { flags: string[]; report: string; run?: string } | { cannot: string }

function coverageWiring(target: TestTarget): CoverageWiring {
  const has = (name: string) => target.pkg?.dependencies.has(name) ?? false
  const summary = 'coverage/coverage-summary.json'
  switch (target.runner) {
    case 'pytest':
      return { flags: ['--cov=.', '--cov-report=xml:coverage.xml'], report: 'coverage.xml' }
    case 'jest':
      return {
        flags: [
          '--coverage',
          '--coverageReporters=json-summary',
          '--coverageReporters=text-summary'
        ],
        report: summary
      }
    case 'vitest':
      // Dot options need --coverage.enabled; the provider is a package of its own.
      if (!has('@vitest/coverage-v8') && !has('@vitest/coverage-istanbul'))
        return {
          cannot:
            'vitest writes coverage only with @vitest/coverage-v8 (or -istanbul) installed, and neither is a dependency'
        }
      return {
        flags: [
          '--coverage.enabled',
          ...(has('@vitest/coverage-v8') ? [] : ['--coverage.provider=istanbul']),
          '--coverage.reporter=json-summary',
          '--coverage.reporter=text-summary'
        ],
        report: summary
      }
    default:
      // mocha and node's runner write no coverage themselves; c8 measures any command under it.
      if (!has('c8'))
        return {
          cannot: `${target.runner === 'node' ? "node's test runner" : 'mocha'} writes no coverage report by itself, and c8 (which would measure it) is not a dependency`
        }
      return {
        flags: [],
        report: summary,
        run: `npx --no-install c8 --reporter=json-summary --reporter=text-summary ${target.manager ?? 'npm'} test`
      }
  }
}

/**
 * Coverage needs the tests gate that writes its report, and that gate the flags that make its
 * runner write it: istanbul's json-summary for jest and vitest (and c8 around mocha or node's
 * runner), Cobertura XML for pytest-cov. A runner that cannot write one keeps the item manual.
 */
function adaptCoverage(
  gate: ImportedGate,
  wiring: Wiring,
  testsGateOf: Map<string, TestsGate>
): ImportedGate {
  const reasons: string[] = []
  for (const [dir, { gate: tests, target }] of testsGateOf) {
    const how = coverageWiring(target)
    if ('cannot' in how) {
      reasons.push(how.cannot)
      continue
    }
    const testOptions = tests.wiring!.with
    if (how.run) testOptions.run = how.run
    const args = [...((testOptions.args as string[] | undefined) ?? [])]
    for (const flag of how.flags) if (!args.includes(flag)) args.push(flag)
    if (args.length) testOptions.args = args
    const wrote = how.run ? `${how.run}` : how.flags.join(' ')
    return {
      ...gate,
      needs: [tests.id],
      wiring: {
        ...wiring,
        with: { ...wiring.with, report: how.report, ...(dir && { cwd: dir }) }
      },
      note: `reads the report ${tests.id} writes (${wrote})`
    }
  }
  return manual(gate, reasons[0] ?? 'no test run here writes a coverage report')
}

function adaptTypescript(gate: ImportedGate, wiring: Wiring, facts: RepoFacts): ImportedGate {
  const projects = facts.packages.flatMap((pkg) => (pkg.tsconfig ? [pkg.tsconfig] : []))
  if (!projects.length) return manual(gate, 'no tsconfig.json here')
  if (projects.includes('tsconfig.json')) return gate
  return {
    ...withOptions(gate, wiring, { ...wiring.with, projects }),
    note: `checks ${projects.join(', ')}`
  }
}

/** ESLint where it is configured and installed; Python linters through `command`. */
function adaptLint(gate: ImportedGate, wiring: Wiring, facts: RepoFacts): ImportedGate[] {
  const lintable = facts.packages.filter(
    (pkg) => pkg.eslintConfig && pkg.dependencies.has('eslint')
  )
  const gates: ImportedGate[] = lintable.map((pkg, index) => ({
    ...gate,
    id: index === 0 ? gate.id : `${gate.id}-${slugOf(pkg.dir || 'root')}`,
    wiring: { ...wiring, with: { ...wiring.with, ...(pkg.dir && { cwd: pkg.dir }) } },
    note: `eslint with ${pkg.eslintConfig}`
  }))
  // An item that names ESLint (or the npm lint script) asks for JavaScript linting only.
  const javascriptOnly = /\beslint\b|\b(?:npm|pnpm|yarn)(?: run)? lint\b/i.test(gate.item.text)
  for (const project of javascriptOnly ? [] : facts.python)
    for (const linter of project.linters) {
      const targets = project.packages.length ? project.packages.join(' ') : '.'
      gates.push({
        ...gate,
        id: gates.length === 0 ? gate.id : `${gate.id}-${linter}`,
        wiring: {
          ...wiring,
          rule: `${wiring.rule} (${linter})`,
          check: 'command',
          with: {
            run: PYTHON_LINTERS[linter](targets),
            ...(project.dir && { cwd: project.dir }),
            'problem-matcher': LINT_MATCHER
          }
        },
        note: `${linter}, named in ${project.files.join(', ')}`
      })
    }
  return gates.length ? gates : [manual(gate, 'no linter is configured and installed here')]
}

const LINT_MATCHER = '^(?<file>[^:\\s][^:]*):(?<line>\\d+):(?:(?<column>\\d+):)?\\s*(?<message>.+)$'

/** A files rule over `src/**` in a repository whose code lives elsewhere gets the real folders. */
function adaptSourceGlobs(gate: ImportedGate, wiring: Wiring, facts: RepoFacts): ImportedGate {
  const rules = wiring.with['must-not-match'] as Array<Record<string, unknown>> | undefined
  if (!rules?.some((rule) => typeof rule.paths === 'string' && rule.paths.startsWith('src/')))
    return gate
  const dirs = facts.sourceDirs
  if (!dirs.length) return manual(gate, 'no source folders found here')
  if (dirs.length === 1 && dirs[0] === 'src') return gate
  const paths =
    dirs.length === 1 ? `${dirs[0]}/${SOURCE_GLOB}` : `{${dirs.join(',')}}/${SOURCE_GLOB}`
  return {
    ...withOptions(gate, wiring, {
      ...wiring.with,
      'must-not-match': rules.map((rule) =>
        typeof rule.paths === 'string' && rule.paths.startsWith('src/') ? { ...rule, paths } : rule
      )
    }),
    note: `over the source folders found: ${dirs.join(', ')}`
  }
}

/** URL-valued example keys get a pattern for their scheme; placeholders take the example's keys. */
function adaptEnv(gate: ImportedGate, wiring: Wiring, facts: RepoFacts): ImportedGate {
  const variables = wiring.with.variables as Array<string | { name: string }> | undefined
  const example = facts.envExamples[0]
  if (!example || !variables) return gate
  const nameOf = (variable: string | { name: string }) =>
    typeof variable === 'string' ? variable : variable.name
  const placeholder = variables.every((variable) => /FILL[-_]ME/.test(nameOf(variable)))
  // A connection-string item is about the keys whose example values are database URLs.
  const candidates =
    wiring.rule === 'connection-string'
      ? example.keys.filter((key) => DATABASE_SCHEME.test(key.value))
      : example.keys
  const chosen = placeholder
    ? candidates.map((key) => key.name)
    : variables.map(nameOf).filter((name) => example.keys.some((key) => key.name === name))
  if (!chosen.length) return gate
  const withRules = (name: string): string | Record<string, unknown> => {
    const given = variables.find((variable) => nameOf(variable) === name)
    const value = example.keys.find((key) => key.name === name)?.value ?? ''
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase()
    const pattern = scheme ? (SCHEME_PATTERNS[scheme] ?? `^${scheme}://`) : undefined
    const base = typeof given === 'object' ? given : { name }
    return pattern ? { ...base, pattern } : typeof given === 'object' ? given : name
  }
  const rendered = chosen.map(withRules)
  const options = {
    ...wiring.with,
    ...(wiring.with.example !== undefined && { example: example.path }),
    variables: [
      ...rendered,
      ...(placeholder ? [] : variables.filter((variable) => !chosen.includes(nameOf(variable))))
    ]
  }
  const placeholders = placeholder
    ? wiring.placeholders.filter((key) => key !== 'variables')
    : wiring.placeholders
  const patterned = chosen.filter((_, index) => {
    const variable = rendered[index]
    return typeof variable === 'object' && 'pattern' in variable
  })
  return {
    ...gate,
    wiring: { ...wiring, with: options, placeholders },
    note: placeholder
      ? `variables from ${example.path}`
      : patterned.length
        ? `URL patterns from ${example.path} for ${patterned.join(', ')}`
        : `also in ${example.path}`
  }
}

const DATABASE_SCHEME =
  /^(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver):\/\//i

const SCHEME_PATTERNS: Record<string, string> = {
  postgres: '^postgres(ql)?://',
  postgresql: '^postgres(ql)?://',
  redis: '^rediss?://',
  rediss: '^rediss?://',
  mysql: '^mysql://',
  mongodb: '^mongodb(\\+srv)?://',
  'mongodb+srv': '^mongodb(\\+srv)?://',
  amqp: '^amqps?://',
  http: '^https?://',
  https: '^https?://'
}
