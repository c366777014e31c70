/** Levenshtein distance, for suggesting the name a maintainer probably meant. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!
    previous[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!
      previous[j] = Math.min(
        above + 1,
        previous[j - 1]! + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1)
      )
      diagonal = above
    }
  }
  return previous[b.length]!
}

/**
 * The closest candidate within a third of the word's length (at least 2 edits), or, failing
 * that, the one candidate the word abbreviates (`prod` for `production`).
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3))
  const list = [...candidates]
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of list) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase())
    if (distance < bestDistance && distance <= limit) {
      best = candidate
      bestDistance = distance
    }
  }
  if (best !== undefined || word.length < 3) return best
  const abbreviated = list.filter((candidate) =>
    candidate.toLowerCase().startsWith(word.toLowerCase())
  )
  return abbreviated.length === 1 ? abbreviated[0] : undefined
}

/** " (did you mean 'x'?)" or an empty string. */
export function suggestion(word: string, candidates: Iterable<string>): string {
  const best = didYouMean(word, candidates)
  return best === undefined ? '' : ` (did you mean '${best}'?)`
}
