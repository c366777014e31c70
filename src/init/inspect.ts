import type { Ecosystem } from '../dependencies/model.js'
import { lockfileEcosystem } from '../dependencies/read.js'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, posix } from 'node:path'
import { globSync } from 'tinyglobby'

/** What `init` learns of one package (a package.json): read from files, nothing run. */
export interface PackageFacts {
  /** Repository-relative directory, '' for the root. */
  dir: string
  name?: string
  scripts: Record<string, string>
  dependencies: Set<string>
  /** The runner its `test` script (or, without one, its dependencies) names. */
  testRunner?: 'jest' | 'vitest' | 'mocha' | 'node'
  /** Whether `npm test` would run tests: a `test` script that is not npm's placeholder. */
  hasTestScript: boolean
  /** Repository-relative path of its tsconfig.json, if it has one. */
  tsconfig?: string
  /** Repository-relative path of its ESLint configuration, if it has one. */
  eslintConfig?: string
}

/** A Python project: where its tests and linters are configured. */
export interface PythonFacts {
  dir: string
  /** The files that name its dependencies and tools. */
  files: string[]
  /** pytest is named or configured, and there are test files (`test_*.py`, `*_test.py`). */
  pytest: boolean
  /** pytest-cov: coverage.py's Cobertura XML through `--cov-report=xml`. */
  pytestCov: boolean
  linters: Array<'flake8' | 'ruff' | 'pylint'>
  /** Top-level packages (folders with `__init__.py`): what coverage and linters cover. */
  packages: string[]
}

export interface EnvExample {
  path: string
  keys: Array<{ name: string; value: string }>
}

export interface RepoFacts {
  packageManager?: 'npm' | 'pnpm' | 'yarn'
  lockfile?: string
  /** Every lockfile the dependency gates read, with its ecosystem. */
  lockfiles: Array<{ path: string; ecosystem: Ecosystem }>
  packages: PackageFacts[]
  /** Repository-relative folders of hand-written code (not tests, builds or dependencies). */
  sourceDirs: string[]
  envExamples: EnvExample[]
  dockerfiles: string[]
  compose?: string
  prismaSchema?: string
  python: PythonFacts[]
}

/** Folders that are never sources: dependencies, builds, caches, tests. */
const NOT_SOURCES =
  /^(?:node_modules|dist|build|out|coverage|\.next|\.nuxt|\.turbo|\.git|\.github|public|static|docs?|scripts|tests?|__tests__|e2e|cypress|playwright|migrations|prisma|venv|\.venv|env)$/

const IGNORED = [
  '**/node_modules/**',
  '**/.git/**',
  '**/dist/**',
  '**/.next/**',
  '**/build/**',
  '**/.venv/**',
  '**/venv/**'
]
const JS_FILE = /\.(?:[cm]?[jt]sx?|vue|svelte)$/
const NPM_PLACEHOLDER_TEST = /no test specified/

/**
 * Reads what a repository shows, without running anything: package managers and workspaces,
 * scripts, tsconfig and ESLint files, the test runner, source folders, `.env.example` keys,
 * Docker, compose and Prisma files, and Python projects.
 */
export function inspectRepository(root: string): RepoFacts {
  const files = globSync('**/*', {
    cwd: root,
    dot: true,
    ignore: IGNORED,
    onlyFiles: true,
    deep: 5
  })
  const has = new Set(files)
  const lockfile = ['pnpm-lock.yaml', 'yarn.lock', 'package-lock.json', 'npm-shrinkwrap.json'].find(
    (file) => has.has(file)
  )
  const packages = files
    .filter((file) => posix.basename(file) === 'package.json')
    .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))
    .map((file) => packageFacts(root, file, has))
    .filter((facts): facts is PackageFacts => facts !== undefined)
  return {
    ...(lockfile && {
      lockfile,
      packageManager: lockfile.startsWith('pnpm')
        ? 'pnpm'
        : lockfile.startsWith('yarn')
          ? 'yarn'
          : 'npm'
    }),
    packages,
    sourceDirs: sourceDirs(
      files.filter((file) => JS_FILE.test(file)),
      packages
    ),
    envExamples: files
      .filter((file) => /(?:^|\/)\.env\.(?:example|sample|template|dist)$/.test(file))
      .map((path) => ({ path, keys: envKeys(readFileSync(join(root, path), 'utf8')) })),
    dockerfiles: files.filter((file) => /(?:^|\/)Dockerfile(?:\.[\w-]+)?$/.test(file)),
    ...optional(
      'compose',
      files.find((file) => /^(?:docker-)?compose\.ya?ml$/.test(file))
    ),
    ...optional(
      'prismaSchema',
      files.find((file) => /(?:^|\/)schema\.prisma$/.test(file))
    ),
    python: pythonProjects(root, files, has),
    lockfiles: files.flatMap((path) => {
      const ecosystem = lockfileEcosystem(path)
      return ecosystem ? [{ path, ecosystem }] : []
    })
  }
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>)
}

function packageFacts(root: string, file: string, has: Set<string>): PackageFacts | undefined {
  let manifest: {
    name?: string
    scripts?: Record<string, string>
    dependencies?: object
    devDependencies?: object
  }
  try {
    manifest = JSON.parse(readFileSync(join(root, file), 'utf8')) as typeof manifest
  } catch {
    return undefined
  }
  const dir = dirname(file) === '.' ? '' : dirname(file)
  const inDir = (name: string) => (dir ? `${dir}/${name}` : name)
  const scripts = manifest.scripts ?? {}
  const dependencies = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.devDependencies ?? {})
  ])
  const hasTestScript = typeof scripts.test === 'string' && !NPM_PLACEHOLDER_TEST.test(scripts.test)
  const testRunner = runnerOf(hasTestScript ? scripts.test! : '', dependencies)
  const eslintConfig = [
    'eslint.config.js',
    'eslint.config.mjs',
    'eslint.config.cjs',
    'eslint.config.ts',
    '.eslintrc.json',
    '.eslintrc.js',
    '.eslintrc.cjs',
    '.eslintrc.yml',
    '.eslintrc.yaml',
    '.eslintrc'
  ]
    .map(inDir)
    .find((path) => has.has(path))
  return {
    dir,
    ...(manifest.name && { name: manifest.name }),
    scripts,
    dependencies,
    hasTestScript,
    ...(testRunner && { testRunner }),
    ...(has.has(inDir('tsconfig.json')) && { tsconfig: inDir('tsconfig.json') }),
    ...(eslintConfig && { eslintConfig })
  }
}

function runnerOf(script: string, dependencies: Set<string>): PackageFacts['testRunner'] {
  for (const runner of ['vitest', 'jest', 'mocha'] as const)
    if (new RegExp(`\\b${runner}\\b`).test(script)) return runner
  if (/\bnode\b.*--test\b/.test(script)) return 'node'
  if (script) return undefined
  return (['vitest', 'jest', 'mocha'] as const).find((runner) => dependencies.has(runner))
}

/**
 * Folders of hand-written JavaScript and TypeScript: each package's top-level folders that hold
 * such files, minus tests, builds and tooling (what a `console.log` rule searches).
 */
function sourceDirs(files: string[], packages: PackageFacts[]): string[] {
  const found = new Set<string>()
  const packageDirs = packages.map((facts) => facts.dir).filter(Boolean)
  for (const file of files) {
    if (/\.(?:test|spec)\.|\.d\.ts$/.test(file)) continue
    const owner = packageDirs
      .filter((dir) => file.startsWith(`${dir}/`))
      .sort((a, b) => b.length - a.length)[0]
    const rest = owner ? file.slice(owner.length + 1) : file
    const top = rest.split('/')
    if (top.length < 2 || NOT_SOURCES.test(top[0]!) || top[0]!.startsWith('.')) continue
    found.add(owner ? `${owner}/${top[0]}` : top[0]!)
  }
  return [...found].sort()
}

/**
 * `KEY=value` lines of a dotenv example, in the file's order (Node's `parseEnv`, which the `env`
 * gate uses, returns them sorted); a BOM is not part of the first key.
 */
export function envKeys(text: string): Array<{ name: string; value: string }> {
  const keys: Array<{ name: string; value: string }> = []
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line)
    if (match)
      keys.push({
        name: match[1]!,
        value: match[2]!.replace(/^(['"])(.*)\1\s*(?:#.*)?$/, '$2').trim()
      })
  }
  return keys
}

function pythonProjects(root: string, files: string[], has: Set<string>): PythonFacts[] {
  const markers = files.filter((file) =>
    /(?:^|\/)(?:requirements[\w.-]*\.txt|pyproject\.toml|setup\.cfg|setup\.py|Pipfile|tox\.ini)$/.test(
      file
    )
  )
  const dirs = [...new Set(markers.map((file) => (dirname(file) === '.' ? '' : dirname(file))))]
  return dirs.map((dir) => {
    const own = markers.filter((file) => (dirname(file) === '.' ? '' : dirname(file)) === dir)
    const text = own
      .map((file) => readFileSync(join(root, file), 'utf8'))
      .join('\n')
      .toLowerCase()
    const inDir = (name: string) => (dir ? `${dir}/${name}` : name)
    const mentions = (tool: string) =>
      new RegExp(
        `(?:^|[\\s"'\\[,])${tool}(?:[\\s=<>~!\\[;"',\\]]|$)|\\[tool\\.${tool}|\\[${tool}\\]`,
        'm'
      ).test(text)
    return {
      dir,
      files: own,
      pytest:
        (mentions('pytest') || has.has(inDir('pytest.ini')) || has.has(inDir('conftest.py'))) &&
        files.some(
          (file) =>
            file.startsWith(dir ? `${dir}/` : '') &&
            /(?:^|\/)(?:test_[^/]*|[^/]*_test)\.py$/.test(file)
        ),
      pytestCov: mentions('pytest-cov'),
      linters: (['flake8', 'ruff', 'pylint'] as const).filter(
        (tool) => mentions(tool) || has.has(inDir(`.${tool}`)) || has.has(inDir(`.${tool}rc`))
      ),
      // A package is a top-level folder with its own __init__.py.
      packages: files
        .map((file) => (dir ? file.slice(dir.length + 1) : file))
        .filter(
          (file, index) =>
            (!dir || files[index]!.startsWith(`${dir}/`)) && /^[^/]+\/__init__\.py$/.test(file)
        )
        .map((file) => file.split('/')[0]!)
        .filter((name) => !/^(?:tests?|venv|\.venv|build|dist)$/.test(name))
        .sort()
    }
  })
}

/** Whether a command's program can be found without running it: an npm script, a local bin, PATH. */
export function commandExists(root: string, pkg: PackageFacts | undefined, run: string): string {
  const words = run.trim().split(/\s+/)
  const [program, second, third] = words
  if (!program) return 'empty command'
  if (/^(?:npm|pnpm|yarn|bun)$/.test(program)) {
    const script =
      second === 'run' || second === 'run-script'
        ? third
        : second === 'test' || second === 't'
          ? 'test'
          : undefined
    if (script === undefined) return 'ok'
    return pkg?.scripts[script] !== undefined
      ? 'ok'
      : `no "${script}" script in ${pkg?.dir ? `${pkg.dir}/` : ''}package.json`
  }
  if (program === 'npx') {
    const bin = second?.startsWith('-') ? third : second
    const dir = pkg?.dir ? join(root, pkg.dir) : root
    return bin &&
      (existsSync(join(dir, 'node_modules', '.bin', bin)) ||
        existsSync(join(root, 'node_modules', '.bin', bin)))
      ? 'ok'
      : `${bin ?? 'npx'} is not installed (node_modules/.bin)`
  }
  const onPath = (process.env.PATH ?? '')
    .split(':')
    .some((dir) => dir && existsSync(join(dir, program)))
  return onPath ? 'ok' : `${program} is not on PATH here`
}
