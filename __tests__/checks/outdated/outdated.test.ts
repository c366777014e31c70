import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo, Server } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import semver from 'semver'
import { outdatedCheck as rawOutdatedCheck } from '../../../src/checks/outdated/index.js'
import { OPTION_CHECKS } from '../../../src/checks/option-checks.js'
import { tempDir } from '../../helpers/fs.js'
import { judged, makeGate, makeWorkspace } from '../../helpers/plan.js'

const outdatedCheck = (...args: Parameters<typeof rawOutdatedCheck>) =>
  judged(rawOutdatedCheck, ...args)
const temp = tempDir('rg-outdated-')
const NOW = new Date('2026-06-01T12:00:00Z')

/** PyPI's JSON API (https://docs.pypi.org/api/json/), the fields the gate reads, for three projects. */
const PYPI: Record<
  string,
  {
    info: { version: string }
    releases: Record<string, Array<{ upload_time_iso_8601: string; yanked: boolean }>>
  }
> = {
  flask: {
    info: { version: '3.0.0' },
    releases: {
      '2.2.2': [{ upload_time_iso_8601: '2022-08-08T23:28:32.520469Z', yanked: false }],
      '2.2.3': [{ upload_time_iso_8601: '2023-02-15T21:59:45.178398Z', yanked: false }],
      '2.3.0': [{ upload_time_iso_8601: '2023-04-25T19:51:03.455164Z', yanked: false }],
      '3.0.0rc1': [{ upload_time_iso_8601: '2023-09-01T10:00:00.000000Z', yanked: false }],
      '3.0.0': [{ upload_time_iso_8601: '2023-09-30T14:41:09.191939Z', yanked: false }]
    }
  },
  jinja2: {
    info: { version: '3.1.4' },
    releases: {
      '3.1.3': [{ upload_time_iso_8601: '2024-01-10T23:12:19.504285Z', yanked: false }],
      // A yanked release does not count as newer; the next real one does.
      '3.1.4': [
        { upload_time_iso_8601: '2026-05-20T00:00:00.000000Z', yanked: false },
        { upload_time_iso_8601: '2026-05-21T00:00:00.000000Z', yanked: false }
      ],
      '3.1.3.post1': [{ upload_time_iso_8601: '2025-01-01T00:00:00.000000Z', yanked: true }]
    }
  },
  markupsafe: {
    info: { version: '2.1.5' },
    releases: { '2.1.5': [{ upload_time_iso_8601: '2024-02-02T16:30:33.212185Z', yanked: false }] }
  }
}

let pypi: Server
let pypiUrl: string
const asked: string[] = []
beforeAll(async () => {
  pypi = createServer((request, response) => {
    asked.push(request.url ?? '')
    const name = /^\/pypi\/([^/]+)\/json$/.exec(request.url ?? '')?.[1]
    const project = name ? PYPI[name.toLowerCase()] : undefined
    response.writeHead(project ? 200 : 404, { 'content-type': 'application/json' })
    response.end(JSON.stringify(project ?? { message: 'Not Found' }))
  })
  await new Promise<void>((resolve) => pypi.listen(0, '127.0.0.1', resolve))
  pypiUrl = `http://127.0.0.1:${(pypi.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => pypi.close(resolve))
  temp.cleanup()
})

const days = (from: string) => Math.floor((NOW.getTime() - new Date(from).getTime()) / 86_400_000)

function project(name: string, files: Record<string, string>): string {
  const dir = join(temp.dir, name)
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true })
    writeFileSync(join(dir, file), text)
  }
  return dir
}

async function outdated(cwd: string, options: Record<string, unknown>) {
  const workspace = makeWorkspace(cwd)
  return outdatedCheck(
    makeGate({
      id: 'deps',
      check: 'outdated',
      with: { 'pypi-url': pypiUrl, 'retry-delay': '10ms', ...options }
    }),
    { ...workspace, now: NOW }
  )
}

describe('outdated: PyPI through a local server in the JSON API format', () => {
  it('majors and days behind, by PEP 440; pre-releases and yanked releases are not newer', async () => {
    const dir = project('pip', {
      'requirements.txt': 'Flask==2.2.2\njinja2==3.1.3\nMarkupSafe==2.1.5\n'
    })
    const outcome = await outdated(dir, { 'max-major-behind': 0, 'max-days-behind': 30 })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toBe(
      '1 direct dependency more than 0 major versions or 30 days behind (of 3)'
    )
    expect(outcome.findings).toEqual([
      expect.objectContaining({
        package: 'flask',
        path: 'requirements.txt',
        line: 1,
        message: `flask 2.2.2: 1 major version behind (at most 0); ${days('2023-02-15T21:59:45Z')} days behind (at most 30); latest 3.0.0`
      })
    ])
    // jinja2 3.1.3: the yanked 3.1.3.post1 does not count; 3.1.4 came out 12 days before NOW.
    expect(outcome.summary).toContain(
      '| ✅ | `jinja2` | 3.1.3 | 3.1.4 | 0 | 12 (since 3.1.4, 2026-05-20) |'
    )
    expect(outcome.summary).toContain('| ✅ | `markupsafe` | 2.1.5 | 2.1.5 | 0 | 0 |')
    expect(asked).toEqual(
      expect.arrayContaining(['/pypi/flask/json', '/pypi/jinja2/json', '/pypi/markupsafe/json'])
    )
  })

  it('a package the registry does not know fails the gate with the reason; ignore takes it out', async () => {
    const dir = project('private', {
      'requirements.txt': 'our-internal-lib==1.0.0\nmarkupsafe==2.1.5\n'
    })
    const outcome = await outdated(dir, { 'max-major-behind': 1 })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.findings![0]).toMatchObject({
      rule: 'outdated-unknown',
      package: 'our-internal-lib'
    })
    expect(outcome.findings![0]!.message).toMatch(/not found on PyPI/)
    const ignored = await outdated(dir, { 'max-major-behind': 1, ignore: ['our-internal-lib'] })
    expect(ignored.conclusion).toBe('success')
    expect(ignored.summary).toContain('Not judged (ignore): `our-internal-lib`.')
  })

  it('a registry that does not answer fails closed', async () => {
    const dir = project('down', { 'requirements.txt': 'markupsafe==2.1.5\n' })
    const outcome = await outdated(dir, {
      'max-major-behind': 1,
      'pypi-url': 'http://127.0.0.1:9',
      retries: 0
    })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.findings![0]!.message).toMatch(
      /PyPI request \/pypi\/markupsafe\/json failed: connection refused/
    )
  })

  it('Go and Rust lockfiles cannot be judged: said, not passed', async () => {
    const dir = project('go', { 'go.mod': 'module m\n\nrequire golang.org/x/text v0.3.7\n' })
    const outcome = await outdated(dir, { 'max-major-behind': 1 })
    expect(outcome).toMatchObject({ conclusion: 'failure', title: 'No registry read for go.mod' })
  })

  it('a gate without a limit is a configuration error', () => {
    expect(OPTION_CHECKS.outdated!({}, {} as never)).toEqual([
      {
        path: [],
        message: 'give max-major-behind, max-days-behind or both: the limits to judge by'
      }
    ])
  })
})

describe('outdated: npm against the real registry, checked against npm view', () => {
  it('latest and days behind agree with what the npm client reports', async () => {
    const dir = project('npm', {
      'package.json': JSON.stringify({
        name: 'app',
        version: '1.0.0',
        dependencies: { lodash: '3.10.1' },
        devDependencies: { 'left-pad': '1.0.0' }
      }),
      'package-lock.json': JSON.stringify(
        {
          name: 'app',
          version: '1.0.0',
          lockfileVersion: 3,
          requires: true,
          packages: {
            '': {
              name: 'app',
              version: '1.0.0',
              dependencies: { lodash: '3.10.1' },
              devDependencies: { 'left-pad': '1.0.0' }
            },
            'node_modules/left-pad': { version: '1.0.0', dev: true },
            'node_modules/lodash': { version: '3.10.1' }
          }
        },
        null,
        2
      )
    })
    const view = (name: string) =>
      JSON.parse(
        execFileSync('npm', ['view', name, 'dist-tags', 'time', 'versions', '--json'], {
          encoding: 'utf8'
        })
      ) as {
        'dist-tags': { latest: string }
        time: Record<string, string>
        versions: string[]
      }
    // Counted from the earliest publication among the newer releases.
    const expectedDays = (installed: string, info: ReturnType<typeof view>) =>
      Math.max(
        ...info.versions
          .filter(
            (version) =>
              !semver.prerelease(version) &&
              semver.gt(version, installed) &&
              semver.lte(version, info['dist-tags'].latest)
          )
          .map((version) => days(info.time[version]!))
      )
    const lodash = view('lodash')
    const outcome = await outdated(dir, { 'max-major-behind': 0, omit: ['dev'] })
    expect(outcome.conclusion).toBe('failure')
    const behind = semver.major(lodash['dist-tags'].latest) - 3
    expect(outcome.findings).toEqual([
      expect.objectContaining({
        package: 'lodash',
        message: `lodash 3.10.1: ${behind} major version${behind === 1 ? '' : 's'} behind (at most 0); latest ${lodash['dist-tags'].latest}`
      })
    ])
    expect(outcome.summary).toContain(
      `| ❌ | \`lodash\` | 3.10.1 | ${lodash['dist-tags'].latest} | ${behind} | ${expectedDays('3.10.1', lodash)} (since`
    )
    expect(outcome.summary).not.toContain('left-pad')
    const leftPad = view('left-pad')
    const withDev = await outdated(dir, { 'max-days-behind': 100_000 })
    expect(withDev.conclusion).toBe('success')
    expect(withDev.summary).toContain(
      `| ✅ | \`left-pad\` (dev) | 1.0.0 | ${leftPad['dist-tags'].latest} | 0 | ${expectedDays('1.0.0', leftPad)} (since`
    )
  }, 60_000)
})
