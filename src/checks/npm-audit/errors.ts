import { stripAnsi } from '../../util/text.js'
/**
 * Why an audit command failed, from what it printed on stderr: pnpm's boxed report ("× The audit
 * endpoint … responded with 500: …"), a crashed yarn's named error ("HTTPError: Response code 500
 * (Internal Server Error)"), or else the last line it printed.
 */
export function auditErrorReason(stderr: string): string | undefined {
  const lines = stripAnsi(stderr).split('\n')
  const boxed = lines.findIndex((line) => /^\s*×\s/.test(line))
  if (boxed >= 0) {
    const wrapped = [lines[boxed]!.replace(/^\s*×\s+/, '')]
    for (const line of lines.slice(boxed + 1)) {
      if (!/^\s*│/.test(line)) break
      wrapped.push(line.replace(/^\s*│\s?/, ''))
    }
    // pnpm wraps at its width, inside URLs too: a line ending in "/" continues the URL.
    return wrapped.reduce((text, part) => (text.endsWith('/') ? text + part : `${text} ${part}`))
  }
  const named =
    lines
      .map((line) => /\[?((?:HTTP|Request|Response|Timeout)Error)\]?: (.+)$/.exec(line))
      .find(Boolean) ??
    lines.map((line) => /^\s*(?:\w+ )?\[?(\w*Error)\]?: (.+)$/.exec(line)).find(Boolean)
  if (named) return `${named[1]}: ${named[2]}`
  return lines
    .map((line) => line.trim())
    .filter(Boolean)
    .pop()
    ?.slice(0, 300)
}
