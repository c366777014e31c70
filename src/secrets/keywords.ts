/**
 * Which of many keywords occur in a text, in one pass (Aho–Corasick, compiled to a DFA over ASCII,
 * case-insensitive). A rule's regex runs only when one of its keywords occurs, so this pass is
 * the scanner's prefilter: checking ~300 keywords with `includes` would read every file 300 times.
 */
export class KeywordMatcher {
  /** next[state * 128 + character]: the DFA. Non-ASCII characters all map to column 0. */
  private readonly next: Int32Array
  /** For each state, the keywords that end there (its own and those of its suffixes). */
  private readonly outputs: number[][]

  constructor(readonly keywords: string[]) {
    const children: Array<Map<number, number>> = [new Map()]
    const ends: number[][] = [[]]
    keywords.forEach((keyword, index) => {
      let state = 0
      for (const code of codes(keyword)) {
        let child = children[state]!.get(code)
        if (child === undefined) {
          child = children.length
          children.push(new Map())
          ends.push([])
          children[state]!.set(code, child)
        }
        state = child
      }
      ends[state]!.push(index)
    })
    const next = new Int32Array(children.length * 128)
    const fail = new Int32Array(children.length)
    const order: number[] = []
    for (const [code, child] of children[0]!) {
      next[code] = child
      order.push(child)
    }
    // Breadth first: a state's failure link is known before its children need it.
    for (let head = 0; head < order.length; head++) {
      const state = order[head]!
      ends[state]!.push(...ends[fail[state]!]!)
      for (let code = 0; code < 128; code++) {
        const child = children[state]!.get(code)
        if (child === undefined) next[state * 128 + code] = next[fail[state]! * 128 + code]!
        else {
          fail[child] = next[fail[state]! * 128 + code]!
          next[state * 128 + code] = child
          order.push(child)
        }
      }
    }
    this.next = next
    this.outputs = ends
  }

  /** Indexes (into `keywords`) of the keywords that occur in `text`, ignoring ASCII case. */
  find(text: string): Set<number> {
    const found = new Set<number>()
    const { next, outputs } = this
    let state = 0
    for (let index = 0; index < text.length; index++) {
      let code = text.charCodeAt(index)
      if (code >= 65 && code <= 90) code += 32
      else if (code >= 128) code = 0
      state = next[state * 128 + code]!
      const ending = outputs[state]!
      if (ending.length) for (const keyword of ending) found.add(keyword)
    }
    return found
  }
}

/** A keyword's characters as DFA columns: lower-cased ASCII, anything else column 0. */
function codes(keyword: string): number[] {
  return [...keyword.toLowerCase()].map((character) => {
    const code = character.charCodeAt(0)
    return code < 128 ? code : 0
  })
}
