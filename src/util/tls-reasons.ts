/**
 * Why OpenSSL did not trust a chain, in words a reviewer can act on: shared by `tls` (which
 * reports it) and `http` (whose request it refused).
 */
export const UNTRUSTED_REASONS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'a certificate in the chain has expired',
  CERT_NOT_YET_VALID: 'a certificate in the chain is not valid yet',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed: no authority vouches for it',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a self-signed root that no trust store holds',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    'the issuer is unknown: the server may not be sending its intermediate certificates',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    'the issuer is unknown: the server may not be sending its intermediate certificates',
  UNABLE_TO_GET_ISSUER_CERT: 'the issuer certificate could not be found',
  CERT_SIGNATURE_FAILURE: 'a signature in the chain does not verify',
  CERT_REVOKED: 'the certificate is revoked',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is for another host name'
}
