import { checkServerIdentity, connect, rootCertificates } from 'node:tls'
import type { DetailedPeerCertificate, SecureVersion } from 'node:tls'

/** What one TLS handshake showed: the chain as sent, whether a trust store vouches for it, the protocol. */
export interface TlsInspection {
  protocol: string
  /** Leaf first, as the server sent it (and the root, when the store has it). */
  chain: CertificateFacts[]
  /** Why the chain is not trusted (OpenSSL's code), or undefined when it is. */
  untrustedBecause?: string
  /** Why the leaf does not match the host name, or undefined when it does. */
  hostnameMismatch?: string
}

export interface CertificateFacts {
  subject: string
  issuer: string
  subjectAltNames: string[]
  validFrom: Date
  validTo: Date
  fingerprint256: string
}

export interface TlsTarget {
  host: string
  port: number
  /** The name sent in SNI and checked against the certificate (default: host). */
  servername: string
  /** Extra trusted certificates (PEM), added to Node's bundled roots. */
  ca?: string
  timeoutMs: number
  signal?: AbortSignal
}

/** Connects, completes a handshake without judging it, and reports what the server presented. */
export function inspectTls(target: TlsTarget): Promise<TlsInspection> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: target.host,
      port: target.port,
      // An IP address is not a valid SNI name.
      ...sni(target),
      ...(target.ca && { ca: [...rootCertificates, target.ca] }),
      rejectUnauthorized: false,
      minVersion: 'TLSv1',
      timeout: target.timeoutMs,
      ...(target.signal && { signal: target.signal })
    })
    socket.once('secureConnect', () => {
      const leaf = socket.getPeerCertificate(true)
      const mismatch = leaf.raw ? checkServerIdentity(target.servername, leaf) : undefined
      const inspection: TlsInspection = {
        protocol: socket.getProtocol() ?? 'unknown',
        chain: chainOf(leaf),
        ...(socket.authorizationError && {
          untrustedBecause: String(
            (socket.authorizationError as unknown as { code?: string }).code ??
              socket.authorizationError
          )
        }),
        ...(mismatch && { hostnameMismatch: mismatch.message })
      }
      socket.destroy()
      resolve(inspection)
    })
    socket.once('timeout', () => {
      socket.destroy()
      reject(new Error(`no TLS handshake within ${target.timeoutMs} ms`))
    })
    socket.once('error', (error: NodeJS.ErrnoException) => reject(connectionError(error, target)))
  })
}

/**
 * Whether the server completes a handshake at a protocol version below `below`: a server that
 * still speaks TLS 1.0 or 1.1 fails "protocol at least TLS 1.2". OpenSSL's security level 0 lets
 * this client offer the old versions at all.
 */
export function acceptsProtocolBelow(
  target: TlsTarget,
  below: SecureVersion
): Promise<string | undefined> {
  const older: SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']
  const highest = older[older.indexOf(below) - 1]
  if (!highest) return Promise.resolve(undefined)
  return new Promise((resolve) => {
    const socket = connect({
      host: target.host,
      port: target.port,
      ...sni(target),
      rejectUnauthorized: false,
      minVersion: 'TLSv1',
      maxVersion: highest,
      ciphers: 'DEFAULT@SECLEVEL=0',
      timeout: target.timeoutMs
    })
    socket.once('secureConnect', () => {
      const protocol = socket.getProtocol() ?? highest
      socket.destroy()
      resolve(protocol)
    })
    socket.once('timeout', () => {
      socket.destroy()
      resolve(undefined)
    })
    socket.once('error', () => resolve(undefined))
  })
}

/** The SNI name to send: none for an IP address, which SNI does not carry. */
function sni(target: TlsTarget): { servername?: string } {
  return /^[\d.]+$|:/.test(target.servername) ? {} : { servername: target.servername }
}

function chainOf(leaf: DetailedPeerCertificate): CertificateFacts[] {
  const chain: CertificateFacts[] = []
  const seen = new Set<string>()
  for (
    let cert: DetailedPeerCertificate | undefined = leaf;
    cert?.raw;
    cert = cert.issuerCertificate
  ) {
    if (seen.has(cert.fingerprint256)) break
    seen.add(cert.fingerprint256)
    chain.push({
      subject: distinguishedName(cert.subject),
      issuer: distinguishedName(cert.issuer),
      subjectAltNames: (cert.subjectaltname ?? '')
        .split(/,\s*/)
        .filter(Boolean)
        .map((name) => name.replace(/^(?:DNS|IP Address):/, '')),
      validFrom: new Date(cert.valid_from),
      validTo: new Date(cert.valid_to),
      fingerprint256: cert.fingerprint256
    })
  }
  return chain
}

function distinguishedName(name: object | undefined): string {
  if (!name) return ''
  return Object.entries(name as Record<string, string | string[] | undefined>)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${[value].flat().join('+')}`)
    .join(', ')
}

function connectionError(error: NodeJS.ErrnoException, target: TlsTarget): Error {
  const where = `${target.host}:${target.port}`
  const reasons: Record<string, string> = {
    ECONNREFUSED: `connection refused by ${where}`,
    ENOTFOUND: `${target.host} does not resolve`,
    EAI_AGAIN: `${target.host} does not resolve (DNS lookup failed)`,
    ECONNRESET: `${where} closed the connection during the handshake`,
    ETIMEDOUT: `${where} did not answer`
  }
  return new Error(reasons[error.code ?? ''] ?? `${where}: ${error.message}`)
}
