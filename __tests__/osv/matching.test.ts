import { describe, expect, it } from '@jest/globals'
import { batchResults, OsvUnavailable } from '../../src/osv/api.js'
import { groupByAlias, vulnerabilitiesOf } from '../../src/osv/match.js'
import type { OsvRecord } from '../../src/osv/record.js'
import { cvssScore, severityOf } from '../../src/osv/severity.js'
import { affects } from '../../src/osv/versions.js'
import { osvRecords } from '../helpers/osv-server.js'

const records = osvRecords() as unknown as Map<string, OsvRecord>
const record = (id: string) => records.get(id)!

describe('ranges, per ecosystem, on real records', () => {
  it('npm (SemVer): introduced/fixed, two ranges in one record, the fix of the range that holds it', () => {
    // GHSA-xvch: minimist 1.0.0–1.2.6 and 0–0.2.4.
    expect(affects(record('GHSA-xvch-5gv4-984h'), 'npm', 'minimist', '1.2.5')).toEqual({
      affected: true,
      fixed: '1.2.6'
    })
    expect(affects(record('GHSA-xvch-5gv4-984h'), 'npm', 'minimist', '0.0.8')).toEqual({
      affected: true,
      fixed: '0.2.4'
    })
    expect(affects(record('GHSA-xvch-5gv4-984h'), 'npm', 'minimist', '0.2.4').affected).toBe(false)
    expect(affects(record('GHSA-xvch-5gv4-984h'), 'npm', 'minimist', '1.2.6').affected).toBe(false)
    expect(affects(record('GHSA-xvch-5gv4-984h'), 'npm', 'minimist', '0.9.0').affected).toBe(false)
    // A prerelease of the fix is still before it.
    expect(affects(record('GHSA-29mw-wpgm-hmr9'), 'npm', 'lodash', '4.17.21-beta.1').affected).toBe(
      true
    )
  })

  it('last_affected includes its own version', () => {
    const redos = record('GHSA-29mw-wpgm-hmr9')
    expect(affects(redos, 'npm', 'lodash.trim', '4.5.1')).toEqual({ affected: true })
    expect(affects(redos, 'npm', 'lodash.trim', '4.5.2').affected).toBe(false)
  })

  it('PyPI (PEP 440): names normalised, release candidates before the release, post-releases after', () => {
    expect(affects(record('GHSA-g3rq-g295-4j3m'), 'PyPI', 'jinja2', '2.11.2')).toEqual({
      affected: true,
      fixed: '2.11.3'
    })
    expect(affects(record('GHSA-g3rq-g295-4j3m'), 'PyPI', 'Jinja2', '2.11.3rc1').affected).toBe(
      true
    )
    expect(affects(record('GHSA-g3rq-g295-4j3m'), 'PyPI', 'jinja2', '2.11.3.post1').affected).toBe(
      false
    )
    // SemVer would call 2.10 greater than 2.9.6 only numerically; PEP 440 agrees, and "2.0rc1" parses.
    expect(affects(record('PYSEC-2021-66'), 'PyPI', 'jinja2', '2.0rc1').affected).toBe(true)
    // flask 2.3.0–2.3.2 and <2.2.5: 2.2.5 up to 2.3.0 is safe.
    expect(affects(record('GHSA-m2qf-hxjv-5gpq'), 'PyPI', 'flask', '2.2.5').affected).toBe(false)
    expect(affects(record('GHSA-m2qf-hxjv-5gpq'), 'PyPI', 'Flask', '2.3.1')).toEqual({
      affected: true,
      fixed: '2.3.2'
    })
  })

  it('Go: a record naming a package of the module affects the module', () => {
    expect(affects(record('GHSA-69ch-w2m2-3vjp'), 'Go', 'golang.org/x/text', '0.3.7')).toEqual({
      affected: true,
      fixed: '0.3.8'
    })
    expect(
      affects(record('GHSA-69ch-w2m2-3vjp'), 'Go', 'golang.org/x/textual', '0.3.7').affected
    ).toBe(false)
    expect(
      affects(
        record('GHSA-69ch-w2m2-3vjp'),
        'Go',
        'golang.org/x/text',
        '0.0.0-20210226172049-e18ecbb05110'
      ).affected
    ).toBe(true)
  })

  it('crates.io; another ecosystem of the same name is not matched; withdrawn records affect nothing', () => {
    expect(affects(record('GHSA-m5pq-gvj9-9vr8'), 'crates.io', 'regex', '1.5.4').affected).toBe(
      true
    )
    expect(affects(record('GHSA-m5pq-gvj9-9vr8'), 'npm', 'regex', '1.5.4').affected).toBe(false)
    expect(
      affects(
        { ...record('GHSA-m5pq-gvj9-9vr8'), withdrawn: '2023-01-01T00:00:00Z' },
        'crates.io',
        'regex',
        '1.5.4'
      ).affected
    ).toBe(false)
  })

  it('a version the ecosystem cannot order is said, not judged safe in silence', () => {
    const verdict = affects(record('GHSA-m5pq-gvj9-9vr8'), 'crates.io', 'regex', 'not-a-version')
    expect(verdict.affected).toBe(false)
    expect(verdict.unknown).toMatch(/cannot order not-a-version/)
  })
})

describe('severity', () => {
  it('CVSS vectors of every version score as the specification says', () => {
    expect(cvssScore('CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H')).toBe(7.2)
    expect(cvssScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L')).toBe(5.3)
    expect(cvssScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toBe(9.3)
    expect(cvssScore('AV:N/AC:L/Au:N/C:P/I:P/A:P')).toBe(7.5)
    expect(cvssScore('not a vector')).toBeUndefined()
  })

  it("the database's own rating first, else the CVSS score's band, else none", () => {
    expect(severityOf(record('GHSA-xvch-5gv4-984h'))).toEqual({
      level: 'critical',
      score: 9.8,
      source: 'database'
    })
    const { database_specific: _dropped, ...vectorOnly } = record('GHSA-35jh-r3h4-6jhm')
    expect(severityOf(vectorOnly)).toEqual({ level: 'high', score: 7.2, source: 'CVSS' })
    expect(severityOf(record('PYSEC-2021-66'))).toEqual({})
  })
})

describe('aliases', () => {
  it('records of one vulnerability from two databases are one finding, shown by its GHSA, rated by it', () => {
    const groups = groupByAlias([
      record('PYSEC-2021-66'),
      record('GHSA-g3rq-g295-4j3m'),
      record('GHSA-h5c8-rqwp-cp95')
    ])
    expect(groups.map((group) => group.map((item) => item.id).sort())).toEqual([
      ['GHSA-g3rq-g295-4j3m', 'PYSEC-2021-66'],
      ['GHSA-h5c8-rqwp-cp95']
    ])
    const { vulnerabilities } = vulnerabilitiesOf(
      { ecosystem: 'PyPI', name: 'jinja2', version: '2.11.2', path: 'jinja2==2.11.2', line: 7 },
      [record('PYSEC-2021-66'), record('GHSA-g3rq-g295-4j3m'), record('GHSA-h5c8-rqwp-cp95')]
    )
    expect(
      vulnerabilities.map((item) => [item.id, item.severity.level, item.fixed, item.aliases])
    ).toEqual([
      [
        'GHSA-g3rq-g295-4j3m',
        'moderate',
        '2.11.3',
        ['CVE-2020-28493', 'PYSEC-2021-66', 'SNYK-PYTHON-JINJA2-1012994']
      ],
      ['GHSA-h5c8-rqwp-cp95', 'moderate', '3.1.3', ['CVE-2024-22195']]
    ])
  })
})

describe('querybatch answers', () => {
  it('reads ids and page tokens; an empty result is no vulnerabilities', () => {
    expect(
      batchResults(
        { results: [{ vulns: [{ id: 'A', modified: 'x' }], next_page_token: 't' }, {}] },
        2
      )
    ).toEqual([{ ids: ['A'], nextPageToken: 't' }, { ids: [] }])
  })

  it.each([
    [{}, /without a results list/],
    [{ results: [{}] }, /1 results for 2 queries/],
    [{ results: [{ vulns: 'x' }, {}] }, /result 1 is not a list/],
    [{ results: [{ vulns: [{}] }, {}] }, /result 1 is not a list/]
  ])('%j is refused', (answer, message) => {
    expect(() => batchResults(answer, 2)).toThrow(OsvUnavailable)
    expect(() => batchResults(answer, 2)).toThrow(message)
  })
})
