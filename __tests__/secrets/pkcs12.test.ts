import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { secretsCheck as rawSecretsCheck } from '../../src/checks/secrets/index.js'
import { scanContent } from '../../src/secrets/content.js'
import { checkPkcs12 } from '../../src/secrets/pkcs12.js'
import { compileRule, loadSecretRules } from '../../src/secrets/rules.js'
import { git, tempDir, writeTree } from '../helpers/fs.js'
import { annotated, makeGate, makeWorkspace } from '../helpers/plan.js'

/** The check as the engine reports it: annotations derived from its findings. */
const secretsCheck = (...args: Parameters<typeof rawSecretsCheck>) =>
  annotated(rawSecretsCheck(...args))

// Key stores made by OpenSSL 3 from one throwaway key: see the fixtures' README.
const FIXTURES = new URL('../fixtures/pkcs12/', import.meta.url)
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES))
const DEFAULTS = ['', 'notasecret', 'changeit']

const temp = tempDir('rg-pkcs12-')
afterAll(temp.cleanup)

describe('PKCS#12 key stores', () => {
  it.each([
    ['google-service-account.p12', 'notasecret'],
    ['java-default.pfx', 'changeit'],
    ['empty-password.p12', '']
  ])('%s opens with the default %j: its MAC verifies', (name, password) => {
    expect(checkPkcs12(fixture(name), DEFAULTS)).toEqual({
      kind: 'default-password',
      password,
      mac: expect.stringMatching(/^[0-9a-f]{40,64}$/)
    })
  })

  it.each([
    ['own-password.p12', 'own-password'],
    ['no-mac.p12', 'no-mac'],
    ['slow-mac.p12', 'too-many-iterations']
  ])('%s is not reported: %s', (name, kind) => {
    expect(checkPkcs12(fixture(name), DEFAULTS)).toEqual({ kind })
  })

  it('truncated, empty or other DER bytes are not a key store', () => {
    const store = fixture('google-service-account.p12')
    expect(checkPkcs12(store.subarray(0, 200), DEFAULTS)).toEqual({ kind: 'not-pkcs12' })
    expect(checkPkcs12(Buffer.alloc(0), DEFAULTS)).toEqual({ kind: 'not-pkcs12' })
    // A certificate is DER too, but not a PFX.
    const certificate = Buffer.from([0x30, 0x82, 0x00, 0x03, 0x02, 0x01, 0x02])
    expect(checkPkcs12(certificate, DEFAULTS)).toEqual({ kind: 'not-pkcs12' })
  })

  it('the built-in rule reports a store that opens with a default, at its first byte', () => {
    const rules = loadSecretRules()
    const options = { maxFileSize: 1 << 20, skipMinified: true }
    expect(scanContent(fixture('google-service-account.p12'), 'key.p12', rules, options)).toEqual({
      skipped: 'binary',
      matches: [expect.objectContaining({ ruleId: 'pkcs12-default-password', line: 1, column: 1 })]
    })
    expect(scanContent(fixture('own-password.p12'), 'key.p12', rules, options).matches).toEqual([])
  })

  it('a format rule without passwords is refused with its id', () => {
    expect(() =>
      compileRule({ id: 'keystore', description: 'x', format: 'pkcs12' } as never)
    ).toThrow('secret rule keystore: format pkcs12 needs a list of passwords')
  })

  it('the secrets gate reports a committed key store that opens with a default password', async () => {
    const repo = join(temp.dir, 'service')
    writeTree(repo, {
      'keys/service-account.p12': fixture('google-service-account.p12'),
      'keys/own.p12': fixture('own-password.p12'),
      'README.md': '# service\n'
    })
    git(repo, 'init', '-q', '-b', 'main')
    git(repo, 'add', '.')
    git(repo, 'commit', '-q', '-m', 'keys')
    const workspace = makeWorkspace(repo)
    const outcome = await secretsCheck(
      makeGate({ id: 'secrets', check: 'secrets', with: { sarif: 'secrets.sarif' } }),
      workspace
    )
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.annotations).toEqual([
      expect.objectContaining({
        path: 'keys/service-account.p12',
        line: 1,
        title: 'Secret: pkcs12-default-password'
      })
    ])
    const sarif = readFileSync(join(repo, 'secrets.sarif'), 'utf8')
    expect(sarif).toContain('pkcs12-default-password')
    // A rule switch turns it off, like any rule.
    const off = await secretsCheck(
      makeGate({
        id: 'secrets',
        check: 'secrets',
        with: { rules: { 'pkcs12-default-password': { enabled: false } } }
      }),
      makeWorkspace(repo)
    )
    expect(off.conclusion).toBe('success')
  })
})
