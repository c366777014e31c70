import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

/**
 * A PKCS#12 key store (`.p12`, `.pfx`) holds a private key, encrypted under its password. One
 * whose integrity MAC verifies under a well-known default (`notasecret` for Google service
 * accounts, `changeit` for Java) is as good as a plain private key; one with a password of its
 * own is not reported. RFC 7292 gives the structure and the MAC key derivation (appendix B).
 */

/** Iterations above this are not tried: a slow KDF is a deliberate protection, and the scan must stay fast. */
export const MAX_MAC_ITERATIONS = 100_000

/** DER of the digest algorithms a MAC may use: hash name and block size in bytes. */
const DIGESTS: Record<string, { hash: string; blockSize: number }> = {
  '2b0e03021a': { hash: 'sha1', blockSize: 64 },
  '608648016503040204': { hash: 'sha224', blockSize: 64 },
  '608648016503040201': { hash: 'sha256', blockSize: 64 },
  '608648016503040202': { hash: 'sha384', blockSize: 128 },
  '608648016503040203': { hash: 'sha512', blockSize: 128 }
}
/** 1.2.840.113549.1.7.1, PKCS#7 `data`: the only authSafe content type a password MAC covers. */
const PKCS7_DATA = '2a864886f70d010701'

interface Element {
  tag: number
  /** The value's bytes. */
  value: Buffer
  /** Offset just past the element. */
  end: number
}

/** One DER element at `offset`; undefined for indefinite or impossible lengths. */
function readElement(bytes: Buffer, offset: number): Element | undefined {
  if (offset + 2 > bytes.length) return undefined
  const tag = bytes[offset]!
  let length = bytes[offset + 1]!
  let start = offset + 2
  if (length & 0x80) {
    const octets = length & 0x7f
    if (octets === 0 || octets > 4 || start + octets > bytes.length) return undefined
    length = bytes.subarray(start, start + octets).reduce((total, byte) => total * 256 + byte, 0)
    start += octets
  }
  if (start + length > bytes.length) return undefined
  return { tag, value: bytes.subarray(start, start + length), end: start + length }
}

/** The elements of a constructed value, in order; undefined when one does not parse. */
function children(value: Buffer): Element[] | undefined {
  const elements: Element[] = []
  for (let offset = 0; offset < value.length;) {
    const element = readElement(value, offset)
    if (!element) return undefined
    elements.push(element)
    offset = element.end
  }
  return elements
}

interface PasswordMac {
  hash: string
  blockSize: number
  digest: Buffer
  salt: Buffer
  iterations: number
  /** The bytes the MAC covers: the authSafe's `data` content. */
  content: Buffer
}

/** The MAC of a PFX structure; `no-mac` when it has none; undefined when the bytes are not one. */
function readPasswordMac(bytes: Buffer): PasswordMac | 'no-mac' | undefined {
  const pfx = readElement(bytes, 0)
  if (pfx?.tag !== 0x30) return undefined
  const [version, authSafe, macData] = children(pfx.value) ?? []
  if (version?.tag !== 0x02 || version.value[0] !== 3 || authSafe?.tag !== 0x30) return undefined
  const [contentType, explicit] = children(authSafe.value) ?? []
  if (contentType?.tag !== 0x06 || contentType.value.toString('hex') !== PKCS7_DATA)
    return undefined
  const content = explicit?.tag === 0xa0 ? readElement(explicit.value, 0) : undefined
  if (content?.tag !== 0x04) return undefined
  if (!macData) return 'no-mac'
  if (macData.tag !== 0x30) return undefined
  const [digestInfo, salt, iterations] = children(macData.value) ?? []
  const [algorithm, digest] = digestInfo?.tag === 0x30 ? (children(digestInfo.value) ?? []) : []
  const [oid] = algorithm?.tag === 0x30 ? (children(algorithm.value) ?? []) : []
  const known = oid?.tag === 0x06 ? DIGESTS[oid.value.toString('hex')] : undefined
  if (!known || digest?.tag !== 0x04 || salt?.tag !== 0x04) return undefined
  if (iterations && (iterations.tag !== 0x02 || iterations.value.length > 4)) return undefined
  return {
    ...known,
    digest: digest.value,
    salt: salt.value,
    iterations: iterations ? iterations.value.reduce((total, byte) => total * 256 + byte, 0) : 1,
    content: content.value
  }
}

/** RFC 7292 B.2 with ID 3 (MAC key), for a key no longer than one hash output. */
function macKey(mac: PasswordMac, password: Buffer): Buffer {
  const { blockSize } = mac
  const repeatTo = (input: Buffer) => {
    const length = blockSize * Math.ceil(input.length / blockSize)
    return Buffer.from(Uint8Array.from({ length }, (_, index) => input[index % input.length]!))
  }
  let block = createHash(mac.hash)
    .update(Buffer.alloc(blockSize, 3))
    .update(repeatTo(mac.salt))
    .update(password.length ? repeatTo(password) : password)
    .digest()
  for (let round = 1; round < mac.iterations; round++)
    block = createHash(mac.hash).update(block).digest()
  return block
}

/** A password as PKCS#12 hashes it: UTF-16 big-endian with a two-byte terminator. */
function bmpString(password: string): Buffer {
  const bytes = Buffer.from(`${password}\0`, 'utf16le')
  return bytes.swap16()
}

export type Pkcs12Verdict =
  | { kind: 'default-password'; password: string; mac: string }
  | { kind: 'not-pkcs12' | 'no-mac' | 'own-password' | 'too-many-iterations' }

/** Whether `bytes` are a PKCS#12 store whose MAC verifies under one of `passwords`. */
export function checkPkcs12(bytes: Buffer, passwords: string[]): Pkcs12Verdict {
  const mac = readPasswordMac(bytes)
  if (!mac) return { kind: 'not-pkcs12' }
  if (mac === 'no-mac') return { kind: 'no-mac' }
  if (mac.iterations > MAX_MAC_ITERATIONS) return { kind: 'too-many-iterations' }
  for (const password of passwords) {
    // An empty password is hashed as a bare terminator by most tools, as nothing by some.
    const forms = password === '' ? [bmpString(''), Buffer.alloc(0)] : [bmpString(password)]
    for (const form of forms) {
      const expected = createHmac(mac.hash, macKey(mac, form)).update(mac.content).digest()
      if (expected.length === mac.digest.length && timingSafeEqual(expected, mac.digest))
        return { kind: 'default-password', password, mac: mac.digest.toString('hex') }
    }
  }
  return { kind: 'own-password' }
}
