import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { licensesCheck as rawLicensesCheck } from '../../../src/checks/licenses/index.js'
import { tempDir } from '../../helpers/fs.js'
import { judged, makeGate, makeWorkspace } from '../../helpers/plan.js'

const licensesCheck = (...args: Parameters<typeof rawLicensesCheck>) =>
  judged(rawLicensesCheck, ...args)
const temp = tempDir('rg-licenses-')
let project: string
afterAll(temp.cleanup)

const write = (path: string, text: string) => {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, text)
}

beforeAll(() => {
  // npm 7+ records each package's licence in package-lock; when it does not (an older lock), the
  // installed package.json says, in its current or legacy form.
  project = join(temp.dir, 'shop')
  const packages: Record<string, Record<string, unknown>> = {
    '': {
      name: 'shop',
      version: '1.0.0',
      dependencies: { a: '1.0.0', b: '1.0.0', c: '1.0.0', d: '1.0.0', e: '1.0.0' },
      devDependencies: { f: '1.0.0' }
    },
    'node_modules/a': { version: '1.0.0', license: 'MIT' },
    'node_modules/b': { version: '1.0.0' },
    'node_modules/c': { version: '1.0.0', license: 'GPL-3.0-or-later' },
    'node_modules/d': { version: '1.0.0', license: 'UNLICENSED' },
    'node_modules/e': { version: '1.0.0' },
    'node_modules/f': { version: '1.0.0', license: 'AGPL-3.0-only', dev: true }
  }
  write(
    join(project, 'package-lock.json'),
    JSON.stringify(
      { name: 'shop', version: '1.0.0', lockfileVersion: 3, requires: true, packages },
      null,
      2
    )
  )
  write(
    join(project, 'node_modules/b/package.json'),
    JSON.stringify({
      name: 'b',
      version: '1.0.0',
      licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }]
    })
  )
  // e is not installed: its licence cannot be read.
  // Python: pins and the installed distributions' METADATA, as pip writes them into a virtualenv.
  write(join(project, 'api/requirements.txt'), 'flask==2.2.2\nrequests==2.31.0\ncustom==0.1.0\n')
  const site = join(project, 'api/.venv/lib/python3.11/site-packages')
  write(
    join(site, 'flask-2.2.2.dist-info/METADATA'),
    'Metadata-Version: 2.1\nName: Flask\nVersion: 2.2.2\nLicense: BSD-3-Clause\n\nA micro framework.\n'
  )
  write(
    join(site, 'requests-2.31.0.dist-info/METADATA'),
    'Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\nLicense: Apache 2.0\nClassifier: License :: OSI Approved :: Apache Software License\n\nHTTP.\n'
  )
  write(
    join(site, 'custom-0.1.0.dist-info/METADATA'),
    'Metadata-Version: 2.1\nName: custom\nVersion: 0.1.0\nLicense: UNKNOWN\n\n'
  )
})

async function licenses(
  options: Record<string, unknown>,
  waivers: Array<Record<string, string>> = []
) {
  return licensesCheck(
    makeGate({
      id: 'licenses',
      check: 'licenses',
      with: options,
      waivers: waivers.map((fields) => ({
        reason: 'legal approved',
        owner: '@legal',
        expires: '2026-12-31',
        location: 'gates.yml:9:9',
        ...fields
      }))
    }),
    makeWorkspace(project)
  )
}

const verdicts = (outcome: Awaited<ReturnType<typeof licenses>>) =>
  (outcome.findings ?? [])
    .filter((finding) => !finding.waived)
    .map((finding) => `${finding.rule} ${finding.package}`)
    .sort()

describe('licenses against an allow list', () => {
  it('lockfile, installed package.json and METADATA read; UNLICENSED and unknown fail', async () => {
    const outcome = await licenses({ allow: ['MIT', 'ISC', 'BSD-*', 'Apache-2.0'] })
    expect(verdicts(outcome)).toEqual([
      'license-denied c',
      'license-denied d',
      'license-denied f',
      'license-unknown custom',
      'license-unknown e'
    ])
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toBe('3 licences not allowed, 2 unknown among 9 dependencies')
    // "Apache 2.0" in requests' METADATA is read as Apache-2.0, and the summary says so.
    expect(outcome.summary).toContain('`requests` "Apache 2.0" → Apache-2.0')
    expect(outcome.summary).toContain(
      '| ❔ unknown | `e` | 1.0.0 | — | no licence declared; not installed: no package.json to read | `package-lock.json:'
    )
    const c = outcome.findings!.find((finding) => finding.package === 'c')!
    expect(c).toMatchObject({
      path: 'package-lock.json',
      level: 'failure',
      message: 'c 1.0.0: GPL-3.0-or-later (GPL-3.0-or-later)'
    })
  })

  it('omit dev, exceptions, a waiver by package, unknown reported', async () => {
    const outcome = await licenses(
      {
        allow: ['MIT', 'BSD-*', 'Apache-2.0'],
        omit: ['dev'],
        exceptions: ['d'],
        unknown: 'report'
      },
      [{ package: 'c' }]
    )
    expect(outcome.conclusion).toBe('success')
    expect(outcome.title).toBe('8 dependencies: every licence allowed (2 unknown, reported)')
    expect(outcome.summary).toContain('Exceptions: `d@1.0.0`.')
    expect(outcome.summary).toContain('🟡 license-denied in `c` waived by @legal')
  })
})

describe('licenses against a deny list', () => {
  it('copyleft denied by family and glob; the rest pass', async () => {
    const outcome = await licenses({
      deny: ['GPL-3.0', 'AGPL-*'],
      unknown: 'report',
      exceptions: ['d']
    })
    expect(verdicts(outcome)).toEqual([
      'license-denied c',
      'license-denied f',
      'license-unknown custom',
      'license-unknown e'
    ])
    expect(outcome.title).toBe('2 licences not allowed, 2 unknown among 9 dependencies')
  })

  it('no site-packages: every Python licence is unknown, and says why', async () => {
    const outcome = await licenses({
      deny: ['GPL-*'],
      lockfiles: ['api/requirements.txt'],
      'site-packages': ['api/nowhere']
    })
    expect(verdicts(outcome)).toEqual([
      'license-unknown custom',
      'license-unknown flask',
      'license-unknown requests'
    ])
    expect(outcome.summary).toContain('not installed in the site-packages')
  })
})
