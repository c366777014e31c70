import { describe, expect, it } from '@jest/globals'
import { KeywordMatcher } from '../../src/secrets/keywords.js'

describe('KeywordMatcher', () => {
  const keywords = ['akia', 'key', 'api_key', 'sk_live_', 'hooks.slack.com', 'é-word', 'ops_eyj']
  const matcher = new KeywordMatcher(keywords)
  const found = (text: string) => [...matcher.find(text)].map((index) => keywords[index]).sort()

  it('finds every keyword in one pass, ignoring ASCII case, overlapping ones too', () => {
    expect(found('const API_KEY = "AKIA…"')).toEqual(['akia', 'api_key', 'key'])
    expect(found('STRIPE=SK_LIVE_abc https://HOOKS.slack.com/x')).toEqual([
      'hooks.slack.com',
      'sk_live_'
    ])
    expect(found('OPS_EYJ')).toEqual(['ops_eyj'])
  })

  it('finds a keyword that continues a failed partial match (failure links)', () => {
    // "api_ke" breaks off at the second "k": the search must resume inside it and find "key".
    expect(found('api_kekey')).toEqual(['key'])
    expect(found('aakia')).toEqual(['akia'])
  })

  it('finds nothing where nothing is; non-ASCII characters are one class (a prefilter may over-match, the regex decides)', () => {
    expect(found('plain text, nothing here')).toEqual([])
    expect(found('ü-word')).toEqual(['é-word'])
    expect(found('')).toEqual([])
  })
})
