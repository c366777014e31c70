import { describe, expect, it } from '@jest/globals'
import { describeSkipped, gateEntry, importItems } from '../../src/import/build.js'
import { parseChecklist, readChecklist } from '../../src/import/markdown.js'
import { loadImportRules } from '../../src/import/rules.js'

const rules = loadImportRules()
const entries = (markdown: string) =>
  importItems(parseChecklist(markdown), rules).map((gate) => gateEntry(gate))

describe('items a check can prove, in other words', () => {
  it('a sign-off table of roles, names and dates is imported, one sign-off a role', () => {
    const markdown = [
      '# Release',
      '## Sign-Off',
      '| Role | Name | Date | Signature |',
      '|------|------|------|-----------|',
      '| Tech Lead | | | |',
      '| QA Lead | Ana Ruiz | 2026-11-30 | AR |',
      '',
      '## Links',
      '| Service | URL |',
      '|---|---|',
      '| Grafana | https://grafana.example.com |'
    ].join('\n')
    expect(parseChecklist(markdown)).toEqual([
      { text: 'Sign-off: Tech Lead', checked: false, headings: ['Sign-Off'], line: 5 },
      { text: 'Sign-off: QA Lead', checked: true, headings: ['Sign-Off'], line: 6 }
    ])
    // The table of links gives no item, and says so with its line.
    expect(readChecklist(markdown).skipped).toEqual([
      {
        line: 9,
        headings: ['Links'],
        why: 'a table (Service | URL) with no checkbox column and no sign-off columns (name, date, signature)'
      }
    ])
    expect(describeSkipped(readChecklist(markdown).skipped, 'docs/RELEASE.md')).toBe(
      'Skipped, no items (1):\n  docs/RELEASE.md:9 (Links): a table (Service | URL) with no checkbox column and no sign-off columns (name, date, signature)\n'
    )
  })

  it('robots.txt, compression, caching, HSTS alone, CSP alone, TODOs, a flake8 linter, approvals', () => {
    const gates = entries(
      [
        '## Web',
        '- [ ] robots.txt configured',
        '- [ ] Gzip compression enabled',
        '- [ ] Configure caching headers',
        '- [ ] HTTPS enforcement (HSTS headers)',
        '- [ ] Content Security Policy (CSP) headers',
        '## Code',
        '- [ ] All TODOs and FIXMEs resolved or documented',
        '- [ ] Run linter (flake8, pylint)',
        '- [ ] Code is reviewed and approved'
      ].join('\n')
    )
    expect(gates.map((gate) => [gate.check, gate.enabled ?? true, gate.with])).toEqual([
      ['http', false, { status: 200, url: 'https://FILL-ME.invalid/robots.txt' }],
      [
        'http',
        false,
        {
          'request-headers': { 'accept-encoding': 'gzip, br' },
          headers: { 'content-encoding': { 'one-of': ['gzip', 'br'] } },
          url: 'https://FILL-ME.invalid/'
        }
      ],
      ['http', false, { headers: { 'cache-control': true }, url: 'https://FILL-ME.invalid/' }],
      [
        'http',
        false,
        {
          headers: { 'strict-transport-security': { 'max-age': 15552000 } },
          url: 'https://FILL-ME.invalid/'
        }
      ],
      [
        'http',
        false,
        { headers: { 'content-security-policy': true }, url: 'https://FILL-ME.invalid/' }
      ],
      ['files', true, expect.objectContaining({ 'must-not-match': expect.any(Array) })],
      ['command', true, expect.objectContaining({ run: 'python3 -m flake8 .' })],
      ['manual', true, { signoff: { approvals: { permission: 'write' } } }]
    ])
  })
})
