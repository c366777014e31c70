import { describe, expect, it } from '@jest/globals'
import { markdownToText } from '../../src/report/plain-text.js'

describe('markdownToText', () => {
  it('aligns tables, drops separators, emphasis, code marks and fences', () => {
    const markdown = [
      '**Waived** by `@alice`',
      '',
      '| | Rule | Found |',
      '|---|---|---|',
      '| ✅ | `README.md` exists | `README.md` |',
      '| ❌ | `a \\| b` matches | nothing |',
      '',
      '```text',
      'tail line',
      '```'
    ].join('\n')
    expect(markdownToText(markdown)).toBe(
      [
        'Waived by @alice',
        '',
        '   Rule              Found',
        '✅  README.md exists  README.md',
        '❌  a | b matches     nothing',
        '',
        'tail line'
      ].join('\n')
    )
  })
})
