import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { findLockfiles, readLockfile } from '../../src/dependencies/read.js'
import type { Lockfile } from '../../src/dependencies/model.js'
import { LockfileError } from '../../src/dependencies/model.js'
import { readGoMod } from '../../src/dependencies/lockfiles/go.js'
import { readPackageLock } from '../../src/dependencies/lockfiles/package-lock.js'
import { parsePnpmKey } from '../../src/dependencies/lockfiles/pnpm-lock.js'
import { readRequirements } from '../../src/dependencies/lockfiles/requirements.js'

const PROJECTS = fileURLToPath(new URL('../fixtures/osv-projects/', import.meta.url))

const read = async (project: string, file: string): Promise<Lockfile[]> =>
  readLockfile(PROJECTS, `${project}/${file}`)

/** name@version, with " dev" for development-only ones, sorted. */
const packages = (lockfile: Lockfile) =>
  lockfile.dependencies
    .map((dependency) => `${dependency.name}@${dependency.version}${dependency.dev ? ' dev' : ''}`)
    .sort()

// The npm project recorded with npm 10 (v3, --lockfile-version 2), npm 6 (v1), pnpm, yarn 1 and
// yarn 4: lodash 4.17.20, lodash 4.17.15 installed as the alias old-lodash, mkdirp 0.5.1 (dev)
// with its minimist 0.0.8, and the workspace packages/web with minimist 1.2.5.
const NPM_PROJECT = [
  'lodash@4.17.15',
  'lodash@4.17.20',
  'minimist@0.0.8 dev',
  'minimist@1.2.5',
  'mkdirp@0.5.1 dev'
]

describe('lockfiles recorded with the real package managers', () => {
  it.each([
    ['npm-v3', 'package-lock.json', 'package-lock.json v3'],
    ['npm-v2', 'package-lock.json', 'package-lock.json v2'],
    ['pnpm', 'pnpm-lock.yaml', 'pnpm-lock.yaml v9.0'],
    ['yarn1', 'yarn.lock', 'yarn.lock (yarn 1)'],
    ['berry', 'yarn.lock', 'yarn.lock (yarn 2+, v10)']
  ])(
    '%s: every installed package, aliases resolved, dev-only ones known',
    async (project, file, format) => {
      const [lockfile] = await read(project, file)
      expect(lockfile!.format).toBe(format)
      expect(packages(lockfile!)).toEqual(NPM_PROJECT)
      expect(lockfile!.devKnown).toBe(true)
      const alias = lockfile!.dependencies.find((dependency) => dependency.version === '4.17.15')
      expect(alias).toMatchObject({ name: 'lodash', alias: 'old-lodash' })
      expect(lockfile!.unauditable).toEqual([])
    }
  )

  it('npm 6 (v1): the nested tree, the alias written as npm:lodash@4.17.15', async () => {
    const [lockfile] = await read('npm-v1', 'package-lock.json')
    expect(lockfile!.format).toBe('package-lock.json v1')
    expect(packages(lockfile!)).toEqual([
      'lodash@4.17.15',
      'lodash@4.17.20',
      'minimist@0.0.8 dev',
      'mkdirp@0.5.1 dev'
    ])
  })

  it('points each package at its own entry line', async () => {
    const [lockfile] = await read('npm-v3', 'package-lock.json')
    const text = (await import('node:fs'))
      .readFileSync(`${PROJECTS}/npm-v3/package-lock.json`, 'utf8')
      .split('\n')
    for (const dependency of lockfile!.dependencies)
      expect(text[dependency.line - 1]).toContain(`"${dependency.path}": {`)
    const [yarn] = await read('yarn1', 'yarn.lock')
    const yarnText = (await import('node:fs'))
      .readFileSync(`${PROJECTS}/yarn1/yarn.lock`, 'utf8')
      .split('\n')
    const minimist = yarn!.dependencies.find((dependency) => dependency.version === '1.2.5')!
    expect(yarnText[minimist.line - 1]).toBe('minimist@1.2.5:')
  })

  it('pnpm keys of every lockfile version', () => {
    expect(parsePnpmKey('lodash@4.17.15')).toEqual({ name: 'lodash', version: '4.17.15' })
    expect(parsePnpmKey('/lodash@4.17.15')).toEqual({ name: 'lodash', version: '4.17.15' })
    expect(parsePnpmKey('/lodash/4.17.15')).toEqual({ name: 'lodash', version: '4.17.15' })
    expect(parsePnpmKey('/@babel/core/7.22.0_supports-color@8.1.1')).toEqual({
      name: '@babel/core',
      version: '7.22.0'
    })
    expect(parsePnpmKey('@types/react-dom@18.2.0(@types/react@18.2.0)')).toEqual({
      name: '@types/react-dom',
      version: '18.2.0'
    })
  })
})

describe('Python, Go and Rust lockfiles written by their formats', () => {
  it('requirements: pins audited, names normalised, everything else reported, includes followed', async () => {
    const [top, base] = await read('python-pip', 'requirements.txt')
    expect(packages(top!)).toEqual(['flask@2.2.2', 'jinja2@2.11.2'])
    expect(top!.unauditable.map((entry) => [entry.line, entry.text])).toEqual([
      [8, 'requests>=2.28'],
      [9, 'gunicorn'],
      [10, '-e git+https://github.com/example/internal-lib.git#egg=internal-lib'],
      [11, './vendor/localpkg']
    ])
    // Flask's pin is on line 5, continued by its hash on line 6.
    expect(top!.dependencies.find((dependency) => dependency.name === 'flask')!.line).toBe(5)
    expect(base!.path).toBe('python-pip/requirements/base.txt')
    expect(packages(base!)).toEqual(['markupsafe@2.1.1'])
    expect(base!.unauditable[0]).toMatchObject({ line: 2, text: 'itsdangerous==2.1.*' })
    const [dev] = await read('python-pip', 'requirements-dev.txt')
    expect(packages(dev!)).toEqual(['jinja2@3.1.2 dev', 'pytest@7.4.0 dev'])
  })

  it('requirement lines pip reads', () => {
    const { dependencies, unauditable } = readRequirements(
      'requirements.txt',
      [
        'zope.interface == 5.4.0',
        'Django[argon2]==4.2.1',
        'pkg @ https://example.com/pkg.whl',
        'name==1.0 # pinned',
        'x~=1.2'
      ].join('\n')
    )
    expect(dependencies.map((dependency) => `${dependency.name}@${dependency.version}`)).toEqual([
      'zope-interface@5.4.0',
      'django@4.2.1',
      'name@1.0'
    ])
    expect(unauditable.map((entry) => entry.line)).toEqual([3, 5])
  })

  it('poetry.lock 1.x (category) and 2.x (groups); a git source is not a release', async () => {
    const [one] = await read('python-poetry1', 'poetry.lock')
    expect(packages(one!)).toEqual([
      'click@8.1.3',
      'flask@2.3.1',
      'jinja2@3.1.2',
      'pytest@7.3.1 dev'
    ])
    expect(one!.unauditable).toEqual([
      expect.objectContaining({ text: 'internal-lib 0.1.0', line: 54 })
    ])
    expect(one!.dependencies.find((dependency) => dependency.name === 'flask')!.line).toBe(17)
    const [two] = await read('python-poetry2', 'poetry.lock')
    expect(packages(two!)).toEqual(['flask@2.2.5', 'jinja2@3.1.2 dev'])
    expect(two!.devKnown).toBe(true)
  })

  it('Pipfile.lock: default and develop', async () => {
    const [lockfile] = await read('python-pipenv', 'Pipfile.lock')
    expect(packages(lockfile!)).toEqual(['flask@2.2.4 dev', 'jinja2@3.1.3'])
    expect(lockfile!.unauditable).toEqual([expect.objectContaining({ text: 'internal-lib' })])
  })

  it('go.mod: versions without v, a local replace unauditable; go.sum only where no go.mod is', async () => {
    const [lockfile] = await read('go', 'go.mod')
    expect(packages(lockfile!)).toEqual([
      'github.com/gin-gonic/gin@1.9.1',
      'golang.org/x/text@0.3.7'
    ])
    expect(lockfile!.unauditable).toEqual([
      expect.objectContaining({ line: 12, reason: 'replaced by a local directory' })
    ])
    expect(await findLockfiles(PROJECTS, `${PROJECTS}go`)).toEqual(['go/go.mod'])
    const [sum] = await read('go', 'go.sum')
    expect(packages(sum!)).toEqual(['github.com/gin-gonic/gin@1.9.1', 'golang.org/x/text@0.3.7'])
    const replaced = readGoMod(
      'go.mod',
      'module m\n\nrequire golang.org/x/net v0.1.0\n\nreplace golang.org/x/net v0.1.0 => golang.org/x/net v0.17.0\n'
    )
    expect(packages(replaced)).toEqual(['golang.org/x/net@0.17.0'])
  })

  it('Cargo.lock: registry crates; the workspace crate itself is not a dependency', async () => {
    const [lockfile] = await read('rust', 'Cargo.lock')
    expect(packages(lockfile!)).toEqual([
      'aho-corasick@0.7.20',
      'memchr@2.5.0',
      'regex-syntax@0.6.29',
      'regex@1.5.4'
    ])
  })
})

describe('lockfiles that do not parse say where', () => {
  it.each([
    ['package-lock.json', '{ "lockfileVersion": 3, "packages": {', /^package-lock\.json: not JSON/],
    [
      'pnpm-lock.yaml',
      'lockfileVersion: "9.0"\nimporters:\n  .: [\n',
      /^pnpm-lock\.yaml:\d+: not YAML/
    ],
    ['poetry.lock', '[[package]]\nname = "x"\nversion = \n', /^poetry\.lock:3: not TOML/],
    [
      'go.mod',
      'module m\nrequire (\n  golang.org/x/text 0.3.7\n)\n',
      /^go\.mod:3: expected "module vX\.Y\.Z"/
    ],
    ['Cargo.lock', 'version = 3\n', /^Cargo\.lock:1: expected \[\[package\]\]/]
  ])('%s', async (name, text, message) => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs')
    const dir = mkdtempSync('/tmp/rg-lock-')
    writeFileSync(`${dir}/${name}`, text)
    await expect(readLockfile(dir, name)).rejects.toThrow(LockfileError)
    await expect(readLockfile(dir, name)).rejects.toThrow(message)
    rmSync(dir, { recursive: true })
  })

  it('a v3 entry of nothing installed (a missing optional peer) is no dependency; a git one is unauditable', () => {
    const lockfile = readPackageLock(
      'package-lock.json',
      JSON.stringify({
        lockfileVersion: 3,
        packages: {
          '': { name: 'app' },
          'node_modules/eslint/node_modules/@types/estree': { dev: true },
          'node_modules/lib': {
            version: '1.0.0',
            resolved: 'git+ssh://git@github.com/a/lib.git#abc'
          },
          'node_modules/left-pad': {
            version: '1.3.0',
            resolved: 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz'
          }
        }
      })
    )
    expect(lockfile.dependencies.map((dependency) => dependency.name)).toEqual(['left-pad'])
    expect(lockfile.unauditable.map((entry) => entry.text)).toEqual(['node_modules/lib'])
  })

  it('a v1 lockfile read as JSON keeps npm 6 git dependencies out of the audit, listed', () => {
    const lockfile = readPackageLock(
      'package-lock.json',
      JSON.stringify({
        lockfileVersion: 1,
        dependencies: { lib: { version: 'git+https://github.com/a/lib.git#abc' } }
      })
    )
    expect(lockfile.dependencies).toEqual([])
    expect(lockfile.unauditable[0]!.reason).toMatch(/not a registry version/)
  })
})
