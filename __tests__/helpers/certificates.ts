import { generate } from 'selfsigned'

/** A key and certificate in PEM. */
export interface KeyPair {
  key: string
  cert: string
}

const DAY_MS = 86_400_000

/** A test certificate authority: a self-signed CA that issues the tests' server certificates. */
export async function makeTestCa(): Promise<KeyPair> {
  const ca = await generate([{ name: 'commonName', value: 'Release Gates Test CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - DAY_MS),
    notAfterDate: new Date(Date.now() + 3650 * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
    ]
  })
  return { key: ca.private, cert: ca.cert }
}

/**
 * A server certificate for `names` (DNS names or IPv4 addresses), valid from `from` days to
 * `until` days from now (negative: in the past), issued by `ca` or self-signed without one.
 */
export async function makeServerCertificate(
  names: string[],
  options: { ca?: KeyPair; from?: number; until: number }
): Promise<KeyPair> {
  const pems = await generate([{ name: 'commonName', value: names[0]! }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() + (options.from ?? -1) * DAY_MS),
    notAfterDate: new Date(Date.now() + options.until * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: names.map((name) =>
          /^[\d.]+$/.test(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name }
        )
      }
    ],
    ...(options.ca && { ca: { key: options.ca.key, cert: options.ca.cert } })
  })
  return { key: pems.private, cert: pems.cert }
}
