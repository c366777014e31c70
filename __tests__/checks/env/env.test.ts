import { afterAll, describe, expect, it } from '@jest/globals'
import { evaluateVariable } from '../../../src/checks/env/rules.js'
import { envCheck } from '../../../src/checks/env/index.js'
import { placeholderReason, settingPlaceholderReason } from '../../../src/util/placeholders.js'
import { tempDir, writeTree } from '../../helpers/fs.js'
import { makeGate, makeWorkspace } from '../../helpers/plan.js'

const temp = tempDir()
afterAll(temp.cleanup)

// Planted values: none of them may appear in any output.
const JWT = 'k3J9-pq81-ZxQw-77aa-Lm2n-Vb4c-Hy6t-0Ep5' // 39 characters
const SHORT_SECRET = 'Wq8-zz-41P' // 10 characters
const DB_URL = 'postgres://shop:S3cr3t-Pa55@db.internal:5432/shop'
const EXAMPLE_KEY = 'sk_test_from_the_example_file'

const env = {
  NODE_ENV: 'staging',
  JWT_SECRET: JWT,
  SESSION_SECRET: SHORT_SECRET,
  DATABASE_URL: DB_URL,
  STRIPE_KEY: 'your_stripe_key_here',
  EMPTY_SECRET: '',
  COPIED_KEY: EXAMPLE_KEY
}

describe('env check', () => {
  it('judges every rule, names the failing variables, and never outputs a value', async () => {
    writeTree(temp.dir, {
      '.env.example': `NODE_ENV=production\nJWT_SECRET=\nCOPIED_KEY=${EXAMPLE_KEY}\nSENTRY_DSN=\n`
    })
    const workspace = makeWorkspace(temp.dir, env)
    const outcome = await envCheck(
      makeGate({
        id: 'env',
        check: 'env',
        with: {
          variables: [
            { name: 'NODE_ENV', equals: 'production' },
            { name: 'JWT_SECRET', 'min-length': 32 },
            { name: 'SESSION_SECRET', 'min-length': 32 },
            { name: 'DATABASE_URL', pattern: '^postgres(ql)?://' },
            'STRIPE_KEY',
            'EMPTY_SECRET',
            'MISSING_VAR',
            'COPIED_KEY'
          ],
          example: '.env.example'
        }
      }),
      workspace
    )
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toBe(
      '6 of 8 variables invalid: NODE_ENV, SESSION_SECRET, STRIPE_KEY, EMPTY_SECRET, MISSING_VAR, COPIED_KEY; 1 key of .env.example not declared'
    )
    expect(outcome.summary).toContain(
      "| ❌ | `NODE_ENV` | set, 7 characters: is not 'production' |"
    )
    expect(outcome.summary).toContain('| ✅ | `JWT_SECRET` | set, 39 characters |')
    expect(outcome.summary).toContain(
      '| ❌ | `SESSION_SECRET` | set, 10 characters: needs at least 32 |'
    )
    expect(outcome.summary).toContain('| ✅ | `DATABASE_URL` |')
    expect(outcome.summary).toContain('looks like a placeholder (a "your_…" placeholder)')
    expect(outcome.summary).toContain(
      'set but empty (a GitHub secret that does not exist arrives as an empty string)'
    )
    expect(outcome.summary).toContain('| ❌ | `MISSING_VAR` | not set |')
    expect(outcome.summary).toContain('equals the sample value in .env.example')
    expect(outcome.summary).toContain('`SENTRY_DSN`')

    const everything = JSON.stringify(outcome) + workspace.logs.join('\n')
    for (const value of [
      JWT,
      SHORT_SECRET,
      DB_URL,
      'S3cr3t-Pa55',
      'your_stripe_key_here',
      EXAMPLE_KEY
    ]) {
      expect(everything).not.toContain(value)
    }
    // Every value read is handed over for masking, except one that must equal public config.
    expect(workspace.secrets).toEqual(
      expect.arrayContaining([
        JWT,
        SHORT_SECRET,
        DB_URL,
        'your_stripe_key_here',
        EXAMPLE_KEY,
        'staging'
      ])
    )
  })

  it('passes when everything holds, and an optional key of the example counts as considered', async () => {
    writeTree(temp.dir, { '.env.example': 'JWT_SECRET=\nSENTRY_DSN=\n' })
    const outcome = await envCheck(
      makeGate({
        id: 'env',
        check: 'env',
        with: {
          variables: [{ name: 'JWT_SECRET', 'min-length': 32 }],
          optional: ['SENTRY_DSN'],
          example: '.env.example'
        }
      }),
      makeWorkspace(temp.dir, env)
    )
    expect(outcome).toMatchObject({
      conclusion: 'success',
      title: 'JWT_SECRET is set and valid in the environment'
    })
  })

  it('reads a dotenv file instead of the process environment', async () => {
    writeTree(temp.dir, {
      'deploy/.env.production': `NODE_ENV=production\nJWT_SECRET="${JWT}"\n# comment\nAPI_URL=https://api.example.com\n`
    })
    const workspace = makeWorkspace(temp.dir, { NODE_ENV: 'development' })
    const outcome = await envCheck(
      makeGate({
        id: 'env',
        check: 'env',
        with: {
          dotenv: 'deploy/.env.production',
          variables: [
            { name: 'NODE_ENV', equals: 'production' },
            { name: 'JWT_SECRET', 'min-length': 32 },
            'API_URL'
          ]
        }
      }),
      workspace
    )
    expect(outcome.conclusion).toBe('success')
    expect(outcome.summary).toContain('Variables read from `deploy/.env.production`')
    expect(JSON.stringify(outcome)).not.toContain(JWT)
    expect(workspace.secrets).not.toContain('production') // equals a value written in the gates file
  })

  it('a dotenv file that cannot be read makes the check throw (the engine fails the gate with the reason)', async () => {
    await expect(
      envCheck(
        makeGate({ id: 'env', check: 'env', with: { dotenv: '.env.nope', variables: ['A'] } }),
        makeWorkspace(temp.dir)
      )
    ).rejects.toThrow('cannot read .env.nope: ENOENT')
  })
})

describe('evaluateVariable and placeholders', () => {
  it('rejects the placeholders templates leave behind, and accepts real-looking values', () => {
    for (const value of [
      'changeme',
      'CHANGE_ME',
      'your_api_key',
      'your-secret-here',
      'xxxxxxxx',
      '<token>',
      '${JWT_SECRET}',
      'process.env.KEY',
      'example',
      'dummy',
      '00000000',
      'insert_your_key_here'
    ]) {
      expect(placeholderReason(value)).toEqual(expect.any(String))
    }
    for (const value of [
      'k3J9pq81ZxQw77aa',
      'production',
      'https://api.shop.test',
      'sk_live_51HxYz',
      'yourself-ish-but-real-2',
      'mysql://u:p@h/db'
    ]) {
      expect([value, placeholderReason(value)]).toEqual([value, undefined])
    }
  })

  it('allow-placeholder and reject-placeholders: false switch the placeholder rule off', () => {
    expect(
      evaluateVariable({ name: 'A', 'allow-placeholder': true }, 'changeme', {
        rejectPlaceholders: true
      }).ok
    ).toBe(true)
    expect(evaluateVariable({ name: 'A' }, 'changeme', { rejectPlaceholders: false }).ok).toBe(true)
  })

  it('counts characters, not bytes', () => {
    expect(
      evaluateVariable({ name: 'A', 'min-length': 4 }, 'ééé€', { rejectPlaceholders: true })
    ).toMatchObject({ ok: true, found: 'set, 4 characters' })
  })
})

describe('placeholders that passed a min-length: 32 variable in real repositories', () => {
  // From the .env.example and docker-compose files of the checklists' own repositories.
  const REAL = [
    'dummy_secret',
    'ChangeMe123!@#',
    'dev-secret-change-in-production',
    'your_super_secret_jwt_key_here_change_in_production',
    'generate-with-openssl-rand-base64-32',
    'DEV_SECRET_CHANGE_IN_PRODUCTION',
    'PleaseReplaceMe-before-deploying-0001'
  ]

  it.each(REAL)('%s is recognised by the words it is made of', (value) => {
    expect(settingPlaceholderReason(value)).toBeDefined()
    const verdict = evaluateVariable({ name: 'JWT_SECRET', 'min-length': 8 }, value, {
      rejectPlaceholders: true
    })
    expect(verdict.ok).toBe(false)
    expect(verdict.problems.join(' ')).toContain('looks like a placeholder')
    expect(JSON.stringify(verdict)).not.toContain(value)
  })

  it.each([
    'Zx8fK2pQ7mLwR4tY9vB3nC6hJ1sD5gA0',
    'sk_live_4eC39HqLyjWDarjtT1zdp7dcQ9vN2mRb',
    'postgres://shop:Vq7#mP2xL9wRt4Kz@db.internal:5432/shop',
    'redis://cache.internal:6379/0'
  ])('%s is a real-looking value', (value) => {
    expect(settingPlaceholderReason(value)).toBeUndefined()
    expect(placeholderReason(value)).toBeUndefined()
  })

  it('a UTF-8 byte-order mark in the example file is not part of its first key', async () => {
    const dir = temp.dir
    writeTree(dir, { 'bom/.env.example': '\uFEFFDATABASE_URL=\nJWT_SECRET=\n' })
    const outcome = await envCheck(
      makeGate({
        id: 'env',
        check: 'env',
        with: { variables: ['DATABASE_URL', 'JWT_SECRET'], example: 'bom/.env.example' }
      }),
      makeWorkspace(dir, {
        DATABASE_URL: 'postgres://shop:Vq7#mP2xL9wRt4Kz@db.internal:5432/shop',
        JWT_SECRET: 'Zx8fK2pQ7mLwR4tY9vB3nC6hJ1sD5gA0'
      })
    )
    expect(outcome).toMatchObject({ conclusion: 'success' })
  })
})
