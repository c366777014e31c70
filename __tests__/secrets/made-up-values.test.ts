import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { secretsCheck as rawSecretsCheck } from '../../src/checks/secrets/index.js'
import { madeUpReason } from '../../src/secrets/made-up.js'
import { git, tempDir, writeTree } from '../helpers/fs.js'
import { annotated, makeGate, makeWorkspace } from '../helpers/plan.js'

/** The check as the engine reports it: annotations derived from its findings. */
const secretsCheck = (...args: Parameters<typeof rawSecretsCheck>) =>
  annotated(rawSecretsCheck(...args))

const temp = tempDir('rg-made-up-')
afterAll(temp.cleanup)

// Planted values in the formats of real credentials; none is a real one.
const STRIPE = 'sk_live_4eC39HqLyjWDarjtT1zdp7dcQ9vN2mRb'
const GITHUB = 'ghp_R7mQ2xK9vLp4sT8wN3bY6cF1hJ5dG0aZeU2i'
const RANDOM_DEFAULT = 'Xk9mQ2vLpR7wT4sN8bZ3'
const RANDOM_PASSWORD = 'pcIXcfYtRzj66jtG!h'

/**
 * The lines that raised every alarm on three real shops' repositories (25, 22 and 7 findings,
 * where gitleaks raised 1, 2 and 0, none of them a secret), each in the kind of file it came
 * from, beside real-format secrets in the same tests and docs, which must still be found.
 */
const TREE = {
  '__tests__/api/register.test.ts': [
    "const user = { email: 'a@b.co', password: 'SecurePassword123!' }",
    "const form = { password: 'SecurePass@123456', confirm_password: 'SecurePass@123456' }",
    `const stripeKey = '${STRIPE}'`
  ].join('\n'),
  'docs/SETUP.md': [
    '```bash',
    'NEXTAUTH_SECRET="generate-with-openssl-rand-base64-32"',
    'JWT_PRIVATE_KEY=path/to/private.pem',
    '```',
    '- AUTH token: 32-character random string',
    '- [ ] Create AWS Secrets Manager secret: `shop/production`',
    '```json',
    '{ "email": "admin@shop.test", "password": "securePassword123" }',
    '```',
    `Our CI token, revoked: ${GITHUB}`
  ].join('\n'),
  'docs/SECURITY_AUDIT.md': "const commonPasswords = ['Password123', 'Welcome123', 'Admin123']\n",
  'lib/auth.ts': [
    'export const google = {',
    '  clientSecret: process.env.GOOGLE_CLIENT_SECRET!,',
    '  token: process.env.UPSTASH_REDIS_REST_TOKEN!,',
    '}',
    "const weak = ['password', 'Password1!', '12345678!', 'Qwerty1!', 'Admin123!']"
  ].join('\n'),
  'docker-compose.yml': [
    'services:',
    '  db:',
    '    environment:',
    '      POSTGRES_PASSWORD: ${DB_PASSWORD:-dev_password_change_me}',
    '      RAZORPAY_KEY_SECRET: ${RAZORPAY_KEY_SECRET:-dummy_secret}',
    '      JWT_SECRET: ${JWT_SECRET:-dev-secret-change-in-production}',
    '      REDIS_URL: redis://:${REDIS_PASSWORD:-redis_password}@redis:6379',
    `      SESSION_SECRET: \${SESSION_SECRET:-${RANDOM_DEFAULT}}`
  ].join('\n'),
  'prisma/seed.ts': [
    "const admin = { password: '$2a$10$placeholder' } // not a real hash",
    "const user = { password: '$2a$12$LQv3c1yqBWVHxkd0LHAkCOYz6TtxMQJqhN8/LeD2WBLBfp3cQ3T/a' }"
  ].join('\n'),
  '.env.example': 'ADMIN_PASSWORD=ChangeMe123!@#\n',
  'scripts/restore.sh': `PGPASSWORD=${RANDOM_PASSWORD} psql -h db.internal -U shop\n`
}

describe('secrets on what real repositories hold', () => {
  it('made-up values raise nothing; real-format secrets in tests and docs, a random shell default and a real password do', async () => {
    const repo = join(temp.dir, 'shop')
    writeTree(repo, TREE)
    git(repo, 'init', '-q', '-b', 'main')
    git(repo, 'add', '.')
    git(repo, 'commit', '-q', '-m', 'shop')
    const outcome = await secretsCheck(
      makeGate({ id: 'secrets', check: 'secrets', with: {} }),
      makeWorkspace(repo)
    )
    const found = outcome.annotations.map(
      (annotation) => `${annotation.path}:${annotation.line} ${annotation.title}`
    )
    expect(found.sort()).toEqual(
      [
        '__tests__/api/register.test.ts:3 Secret: stripe-secret-key',
        'docs/SETUP.md:10 Secret: github-token',
        'docker-compose.yml:8 Secret: generic-secret',
        'scripts/restore.sh:1 Secret: generic-secret'
      ].sort()
    )
  })

  it('says why a value is made up, and leaves random values alone', () => {
    expect(madeUpReason('TestPassword123!')).toBe('made of words, one of them "test"')
    expect(madeUpReason('generate-with-openssl-rand-base64-32')).toBe('says "generate with"')
    expect(madeUpReason('$2b$12$wHjp1RYkQHyPuME.lmF0XuVwD3b/pX47ROfL4sOhW5IHbIL3PKdqy')).toBe(
      'a password hash'
    )
    expect(madeUpReason('path/to/private.pem')).toBe('a path or name')
    for (const value of [
      RANDOM_DEFAULT,
      RANDOM_PASSWORD,
      'thisIsDog11',
      'duffel_test_ioj_4n4s=6_jtxegzznlyf22daclfwg5566aywcjx_m',
      'test_szrqrdcfvqmtprcbosahywqjongexk',
      'ab67014c-ea9a-d3af-c778-142cd75e021a'
    ])
      expect(madeUpReason(value)).toBeUndefined()
  })
})
