import { readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import AjvDraft04Module from 'ajv-draft-04'
import { secretsCheck as rawSecretsCheck } from '../../src/checks/secrets/index.js'
import { main } from '../../src/cli/main.js'
import { scanFiles } from '../../src/secrets/pool.js'
import { git, tempDir, writeTree } from '../helpers/fs.js'
import type { PlannedGate } from '../../src/config/model.js'
import { judged, makeGate, makeWorkspace } from '../helpers/plan.js'

/** The check as the engine reports it: finding waivers applied, annotations from its findings. */
const secretsCheck = (...args: Parameters<typeof rawSecretsCheck>) =>
  judged(rawSecretsCheck, ...args)

// ajv-draft-04 is CommonJS: its class is the default export's default.
const AjvDraft04 = AjvDraft04Module.default

const temp = tempDir('rg-secrets-')
afterAll(temp.cleanup)

// Planted values: random, in the formats of real credentials; none is a real one.
const STRIPE = 'sk_live_4eC39HqLyjWDarjtT1zdp7dcQ9vN2mRb'
const GITHUB = 'ghp_R7mQ2xK9vLp4sT8wN3bY6cF1hJ5dG0aZeU2i'
const DELETED = 'xoxb-48213650971-59034872160-Hq7Rk2LmN8pVx4TcWz9Yb3Fd'

const gitOut = (cwd: string, ...args: string[]): string => git(cwd, ...args).trim()

let repo: string
let firstCommit: string
beforeAll(() => {
  repo = join(temp.dir, 'shop')
  writeTree(repo, {
    '.gitignore': '.env\n',
    '.env': `STRIPE_SECRET_KEY=${STRIPE}\n`,
    'src/pay.ts': `export const stripeKey = '${STRIPE}'\n`,
    'src/placeholders.ts': [
      "const password = 'changeme'",
      "const token = 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'",
      'const apiKey = process.env.API_KEY',
      `const docs = '${GITHUB}' // release-gates:allow-secret (revoked, kept for the tutorial)`
    ].join('\n'),
    'package-lock.json':
      '{\n  "packages": {\n    "node_modules/a": {\n      "integrity": "sha512-Q2b1xZ9kLmN3pQrS7tUvWx0yZaBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcdefghijklmnopqrstuvwx=="\n    }\n  }\n}\n',
    'dist/app.min.js': `var k="${STRIPE}";`,
    'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, ...Buffer.from(STRIPE)]).toString(
      'latin1'
    )
  })
  git(repo, 'init', '-q', '-b', 'main')
  git(repo, 'add', '.')
  git(repo, 'commit', '-q', '-m', 'shop')
  firstCommit = gitOut(repo, 'rev-parse', 'HEAD')
  // A secret added, then deleted: gone from the tree, not from history.
  writeFileSync(join(repo, 'src/slack.ts'), `export const slack = '${DELETED}'\n`)
  git(repo, 'add', '.')
  git(repo, 'commit', '-q', '-m', 'notify')
  git(repo, 'rm', '-q', 'src/slack.ts')
  git(repo, 'commit', '-q', '-m', 'oops')
})

/** The gate as the engine judges it: its finding waivers applied. */
const run = (options: Record<string, unknown>, waivers: PlannedGate['waivers'] = []) => {
  const workspace = makeWorkspace(repo)
  return judged(
    rawSecretsCheck,
    makeGate({ id: 'secrets', check: 'secrets', with: options, waivers }),
    workspace
  ).then((outcome) => ({ outcome, workspace }))
}

describe('secrets, mode files, on a real git repository', () => {
  it('finds the tracked secret; not ignored files, placeholders, allowed lines, bundles, binaries or lockfile hashes', async () => {
    const { outcome, workspace } = await run({})
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toBe('1 secret found in 1 file')
    expect(outcome.annotations).toEqual([
      expect.objectContaining({
        path: 'src/pay.ts',
        line: 1,
        column: 27,
        title: 'Secret: stripe-secret-key'
      })
    ])
    expect(outcome.annotations[0]!.message).toContain('sk_l…2mRb')
    expect(outcome.summary).toMatch(
      /Not searched: .*1 binary.*1 minified|Not searched: .*1 minified.*1 binary/
    )
    // Registered for masking, and printed nowhere.
    expect(workspace.secrets).toContain(STRIPE)
    expect(JSON.stringify(outcome)).not.toContain(STRIPE)
    expect(JSON.stringify(outcome)).not.toContain(STRIPE.slice(8, 30))
  })

  it('a deleted secret is not in the files, but history mode finds it, with its commit', async () => {
    const { outcome: files } = await run({ paths: ['src/**'] })
    expect(files.summary).not.toContain('slack-token')
    const { outcome } = await run({ mode: 'history' })
    const slack = outcome.annotations.find(
      (annotation) => annotation.title === 'Secret: slack-token'
    )
    expect(slack).toMatchObject({ path: 'src/slack.ts', line: 1 })
    expect(slack!.message).toContain(`(commit ${gitOut(repo, 'rev-parse', 'HEAD~1').slice(0, 12)})`)
    expect(JSON.stringify(outcome)).not.toContain(DELETED)
  })

  it('diff mode scans only the lines added since base', async () => {
    const { outcome } = await run({ mode: 'diff', base: firstCommit, head: 'HEAD~1' })
    expect(outcome.annotations.map((annotation) => annotation.title)).toEqual([
      'Secret: slack-token'
    ])
    expect(outcome.title).toBe('1 secret found in 1 file')
    const { outcome: nothing } = await run({ mode: 'diff', base: 'HEAD~1', head: 'HEAD' })
    expect(nothing).toMatchObject({
      conclusion: 'success',
      title: 'No secrets in the lines added in 0 files'
    })
    const { outcome: noBase } = await run({ mode: 'diff' })
    expect(noBase).toMatchObject({
      conclusion: 'failure',
      title: 'mode: diff needs a base to compare with'
    })
  })

  it('a baseline accepts known findings; allow patterns and rule switches too', async () => {
    const { outcome } = await run({ sarif: 'secrets.sarif' })
    const sarif = JSON.parse(readFileSync(join(repo, 'secrets.sarif'), 'utf8')) as {
      runs: Array<{ results: Array<{ partialFingerprints: Record<string, string> }> }>
    }
    const fingerprint = sarif.runs[0]!.results[0]!.partialFingerprints['secretFingerprint/v1']!
    writeFileSync(join(repo, 'baseline.json'), JSON.stringify({ fingerprints: [fingerprint] }))
    const { outcome: baselined } = await run({ baseline: 'baseline.json' })
    expect(baselined).toMatchObject({
      conclusion: 'success',
      title: expect.stringContaining('(1 accepted)')
    })
    expect(baselined.summary).toContain('accepted: in the baseline')
    expect((await run({ allow: ['^sk_live_4eC39'] })).outcome.conclusion).toBe('success')
    expect(
      (await run({ rules: { 'stripe-secret-key': { enabled: false } } })).outcome.conclusion
    ).toBe('success')
    expect(outcome.conclusion).toBe('failure')
  })

  it('the engine applies waivers by rule, path glob or fingerprint; the SARIF file leaves the waived out', async () => {
    const waiver = (fields: Partial<PlannedGate['waivers'][number]>) => ({
      reason: 'test key, revoked',
      owner: '@security',
      expires: '2026-12-31',
      location: 'gates.yml:9:9',
      ...fields
    })
    const { outcome: open } = await run({})
    expect(open.conclusion).toBe('failure')
    const [finding] = open.findings!.filter((candidate) => candidate.blocking)
    for (const selector of [
      { rule: finding!.rule.toUpperCase() },
      { path: `${finding!.path!.split('/')[0]}/**` },
      { fingerprint: finding!.fingerprint! }
    ]) {
      const { outcome } = await run({ sarif: 'waived.sarif' }, [waiver(selector)])
      expect(outcome).toMatchObject({
        conclusion: open.findings!.length === 1 ? 'success' : expect.any(String),
        findings: expect.arrayContaining([
          expect.objectContaining({ fingerprint: finding!.fingerprint, blocking: false })
        ])
      })
      expect(outcome.summary).toContain('waived by @security until 2026-12-31')
      expect(outcome.annotations.some((note) => note.path === finding!.path)).toBe(false)
      const sarif = readFileSync(join(repo, 'waived.sarif'), 'utf8')
      expect(sarif).not.toContain(finding!.fingerprint!)
    }
    const { outcome: stale } = await run({}, [
      waiver({ rule: finding!.rule, expires: '2026-01-01' }),
      waiver({ rule: 'no-such-rule' })
    ])
    expect(stale.conclusion).toBe('failure')
    expect(stale.summary).toContain(`⌛ **expired** 2026-01-01: ${finding!.rule}`)
    expect(stale.summary).toContain('❔ **unused**: no-such-rule')
  })

  it('writes SARIF 2.1.0 that validates against the SARIF schema, without the secret', async () => {
    await run({ sarif: 'secrets.sarif' })
    const text = readFileSync(join(repo, 'secrets.sarif'), 'utf8')
    expect(text).not.toContain(STRIPE)
    const schema = JSON.parse(
      readFileSync('node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json', 'utf8')
    ) as object
    const validate = new AjvDraft04({
      allErrors: true,
      strict: false,
      unicodeRegExp: false
    }).compile(schema)
    const valid = validate(JSON.parse(text))
    expect(validate.errors ?? []).toEqual([])
    expect(valid).toBe(true)
    expect(JSON.parse(text)).toMatchObject({
      version: '2.1.0',
      runs: [
        {
          results: [
            {
              ruleId: 'stripe-secret-key',
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: 'src/pay.ts' },
                    region: { startLine: 1 }
                  }
                }
              ]
            }
          ]
        }
      ]
    })
  })

  it('release-gates secrets baseline records today’s findings; the gate then accepts them', async () => {
    let out = ''
    const io = {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (out += text) },
      env: {},
      cwd: repo
    }
    expect(await main(['secrets', 'baseline', '--output', 'accepted.json'], io)).toBe(0)
    expect(out).toBe(
      "Wrote 1 finding to accepted.json (fingerprints only). Set the secrets gate's baseline to it.\n"
    )
    const file = readFileSync(join(repo, 'accepted.json'), 'utf8')
    expect(file).not.toContain(STRIPE)
    expect(JSON.parse(file)).toMatchObject({
      version: 1,
      findings: [{ ruleId: 'stripe-secret-key', path: 'src/pay.ts', line: 1 }]
    })
    expect((await run({ baseline: 'accepted.json' })).outcome.conclusion).toBe('success')
    expect(await main(['secrets', 'nonsense'], io)).toBe(2)
    expect(await run({ baseline: 'missing.json' }).catch((error: Error) => error.message)).toMatch(
      /cannot read the secrets baseline .*missing.json: no such file/
    )
  })

  it('outside a git checkout: files mode scans every file; history mode fails with git’s reason', async () => {
    const plain = join(temp.dir, 'plain')
    writeTree(plain, {
      'config/app.env': `STRIPE_SECRET_KEY=${STRIPE}\n`,
      'README.md': '# no git here\n'
    })
    const gate = (mode: string) => makeGate({ id: 'secrets', check: 'secrets', with: { mode } })
    const outcome = await secretsCheck(gate('files'), makeWorkspace(plain))
    expect(outcome).toMatchObject({ conclusion: 'failure', title: '1 secret found in 1 file' })
    await expect(secretsCheck(gate('history'), makeWorkspace(plain))).rejects.toThrow(
      /^git log failed: .*not a git repository/
    )
  })
})

describe('secrets: hostile repositories and broken outputs', () => {
  it('never reads through a tracked symlink out of the repository, and says so in the summary', async () => {
    const outside = join(temp.dir, 'outside')
    writeTree(outside, { 'creds.txt': `STRIPE_SECRET_KEY=${STRIPE}\n` })
    const linked = join(temp.dir, 'linked')
    writeTree(linked, { 'README.md': '# x\n' })
    symlinkSync(join(outside, 'creds.txt'), join(linked, 'linked.txt'))
    git(linked, 'init', '-q', '-b', 'main')
    git(linked, 'add', '-A')
    git(linked, 'commit', '-q', '-m', 'link')
    const outcome = await secretsCheck(
      makeGate({ id: 'secrets', check: 'secrets', with: {} }),
      makeWorkspace(linked)
    )
    expect(outcome.conclusion).toBe('success')
    expect(outcome.summary).toContain('Not searched: 1 links out of the repository (not followed)')
  })

  it('sarif into a directory that does not exist: the directory is made', async () => {
    const { outcome } = await run({ sarif: 'reports/deep/secrets.sarif' })
    expect(outcome.title).toBe('1 secret found in 1 file')
    expect(JSON.parse(readFileSync(join(repo, 'reports/deep/secrets.sarif'), 'utf8')).version).toBe(
      '2.1.0'
    )
  })

  it('a SARIF file that cannot be written does not hide the findings', async () => {
    writeFileSync(join(repo, 'blocked'), 'a file where a directory should be')
    const { outcome } = await run({ sarif: 'blocked/secrets.sarif' })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toBe('1 secret found in 1 file')
    expect(outcome.summary).toContain(
      'The SARIF file `blocked/secrets.sarif` could not be written: EEXIST'
    )
  })

  it('a shallow clone: history says it would miss older commits; diff names the missing base and fetch-depth: 0', async () => {
    const shallow = join(temp.dir, 'shallow')
    git(temp.dir, 'clone', '-q', '--depth', '1', `file://${repo}`, shallow)
    await expect(run2(shallow, { mode: 'history' })).rejects.toThrow(
      'this is a shallow clone, so its history is only the commits fetched'
    )
    await expect(run2(shallow, { mode: 'diff', base: firstCommit })).rejects.toThrow(
      `git diff cannot read \`${firstCommit.slice(0, 12)}\`: not in this clone (a shallow clone has only the commits it fetched). Check out with \`fetch-depth: 0\``
    )
  })

  it('a rules-file pattern that backtracks forever is stopped with its worker when the time runs out', async () => {
    const tree = join(temp.dir, 'backtracking')
    writeTree(tree, { 'a.txt': `${'a'.repeat(48)}!\n` })
    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error('the gate timed out')), 500)
    const started = Date.now()
    await expect(
      scanFiles(
        {
          root: tree,
          rules: [
            {
              id: 'bad',
              description: 'bad',
              keywords: ['aaaa'],
              source: '(a+)+$',
              flags: 'gm',
              issued: false
            }
          ],
          allow: [],
          maxFileSize: 1024 * 1024,
          skipMinified: true
        },
        ['a.txt'],
        controller.signal,
        1
      )
    ).rejects.toThrow('the gate timed out')
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})

function run2(cwd: string, options: Record<string, unknown>) {
  return secretsCheck(
    makeGate({ id: 'secrets', check: 'secrets', with: options }),
    makeWorkspace(cwd)
  )
}
