import { describe, expect, it } from '@jest/globals'
import { manifestLicense, metadataLicense } from '../../src/licenses/installed.js'
import { choicesOf, judgeLicense, readLicense } from '../../src/licenses/spdx.js'

describe('reading declared licences', () => {
  it('valid SPDX as is; legacy text corrected and said; UNLICENSED is proprietary, not the Unlicense', () => {
    expect(readLicense('(MIT OR Apache-2.0)')).toEqual({
      kind: 'spdx',
      expression: '(MIT OR Apache-2.0)'
    })
    expect(readLicense('Apache 2.0')).toEqual({
      kind: 'spdx',
      expression: 'Apache-2.0',
      corrected: 'Apache 2.0'
    })
    expect(readLicense('UNLICENSED')).toEqual({ kind: 'proprietary', text: 'UNLICENSED' })
    expect(readLicense('Unlicense')).toEqual({ kind: 'spdx', expression: 'Unlicense' })
    expect(readLicense('SEE LICENSE IN LICENSE.md')).toMatchObject({ kind: 'unknown' })
    expect(readLicense('Public Domain')).toMatchObject({
      kind: 'unknown',
      reason: 'not an SPDX expression (Public Domain)'
    })
    expect(readLicense(undefined)).toMatchObject({ kind: 'unknown', reason: 'no licence declared' })
  })

  it("npm's legacy fields", () => {
    expect(manifestLicense({ license: 'MIT' })).toBe('MIT')
    expect(manifestLicense({ license: { type: 'ISC' } })).toBe('ISC')
    expect(manifestLicense({ licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] })).toBe(
      '(MIT OR Apache-2.0)'
    )
  })

  it('Python METADATA: License-Expression (PEP 639), License, classifiers; a pasted licence text is none', () => {
    expect(
      metadataLicense('Metadata-Version: 2.4\nName: x\nLicense-Expression: BSD-3-Clause\n\nbody')
    ).toBe('BSD-3-Clause')
    expect(metadataLicense('Metadata-Version: 2.1\nName: flask\nLicense: BSD-3-Clause\n')).toBe(
      'BSD-3-Clause'
    )
    expect(
      metadataLicense(
        'Metadata-Version: 2.1\nName: requests\nLicense: UNKNOWN\nClassifier: License :: OSI Approved :: Apache Software License\n'
      )
    ).toBe('Apache Software License')
    expect(
      metadataLicense(
        `Metadata-Version: 2.1\nName: x\nLicense: ${'Permission is hereby granted, free of charge, '.repeat(3)}\n`
      )
    ).toBeUndefined()
  })
})

describe('judging against the policy', () => {
  it('OR is a choice, AND needs both', () => {
    expect(choicesOf('(MIT OR Apache-2.0) AND BSD-3-Clause')).toEqual([
      ['MIT', 'BSD-3-Clause'],
      ['Apache-2.0', 'BSD-3-Clause']
    ])
    expect(judgeLicense('(MIT OR GPL-3.0-only)', { allow: ['MIT'] })).toEqual({
      allowed: true,
      detail: 'MIT'
    })
    expect(judgeLicense('MIT AND GPL-3.0-only', { allow: ['MIT'] })).toEqual({
      allowed: false,
      detail: 'GPL-3.0-only'
    })
    expect(judgeLicense('(MIT OR GPL-3.0-only)', { deny: ['GPL-3.0'] })).toEqual({
      allowed: true,
      detail: 'MIT'
    })
  })

  it('families, globs and exceptions', () => {
    expect(judgeLicense('GPL-3.0-or-later', { deny: ['GPL-3.0'] }).allowed).toBe(false)
    expect(judgeLicense('GPL-2.0+', { deny: ['GPL-2.0'] }).allowed).toBe(false)
    expect(judgeLicense('AGPL-3.0-only', { deny: ['agpl-*'] }).allowed).toBe(false)
    expect(judgeLicense('LGPL-2.1-only', { deny: ['GPL-*'] }).allowed).toBe(true)
    expect(judgeLicense('BSD-2-Clause', { allow: ['BSD-*'] }).allowed).toBe(true)
    expect(
      judgeLicense('GPL-2.0-only WITH Classpath-exception-2.0', {
        allow: ['GPL-2.0-only WITH Classpath-exception-2.0']
      }).allowed
    ).toBe(true)
    expect(judgeLicense('Apache-2.0', { allow: ['MIT'], deny: ['GPL-*'] })).toEqual({
      allowed: false,
      detail: 'Apache-2.0'
    })
  })
})
