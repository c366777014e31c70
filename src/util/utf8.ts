/** UTF-8 length of a string in bytes: GitHub's output limits count bytes, not characters. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/**
 * Cuts `text` so that, with `note` appended, it fits in `maxBytes` of UTF-8, never splitting a
 * character. Returns the text unchanged when it fits already.
 */
export function truncateUtf8(
  text: string,
  maxBytes: number,
  note: (droppedBytes: number) => string
): string {
  const total = byteLength(text)
  if (total <= maxBytes) return text
  // The note's length depends on the number it states; reserve room for the longest form.
  const room = maxBytes - byteLength(note(total))
  if (room <= 0) throw new Error(`the truncation note does not fit in ${maxBytes} bytes`)
  const bytes = Buffer.from(text, 'utf8')
  let end = room
  // Step back over UTF-8 continuation bytes (10xxxxxx) to a character boundary.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--
  return bytes.subarray(0, end).toString('utf8') + note(total - end)
}
