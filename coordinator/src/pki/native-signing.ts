// Signs a certificate node-forge has built with Node's native crypto: forge's pure-JS RSA takes
// about 24 ms per signature, OpenSSL well under 1 ms, which is what bounds how fast a fleet of
// agents can enroll. The certificate is still assembled by forge; only the signature changes hands.
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

// forge exports getTBSCertificate at run time; its type definitions leave it out.
const withTbs = forge.pki as unknown as { getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1 };

/** A native key object for forge's RSA private key (converted once, then reused). */
export function nativeKey(key: forge.pki.rsa.PrivateKey): KeyObject {
  return createPrivateKey(forge.pki.privateKeyToPem(key));
}

/** Sets the signature algorithm to sha256WithRSAEncryption and signs the TBS certificate natively. */
export function signNatively(cert: forge.pki.Certificate, key: KeyObject): void {
  const oid = forge.pki.oids['sha256WithRSAEncryption']!;
  cert.siginfo.algorithmOid = oid;
  cert.signatureOid = oid;
  const tbs = forge.asn1.toDer(withTbs.getTBSCertificate(cert)).getBytes();
  cert.signature = sign('sha256', Buffer.from(tbs, 'binary'), key).toString('binary');
}
