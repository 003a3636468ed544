// Signs a certificate node-forge has built with Node's native crypto: forge's pure-JS RSA takes
// about 24 ms per signature, OpenSSL well under 1 ms, which is what bounds how fast a fleet of
// agents can enroll. The certificate is still assembled by forge; only the signature changes hands
// (and, for the ECDSA server key forge cannot encode, the subject public key: signForKey).
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

/**
 * Signs, as sha256WithRSAEncryption with the CA's `key`, a certificate forge has built for a
 * public key forge cannot encode (an ECDSA key): `spkiDer` is that key's SubjectPublicKeyInfo.
 * forge writes the TBS certificate with the CA's own RSA public key as a stand-in
 * (`cert.publicKey` must hold it), which is then swapped for `spkiDer` before signing. Returns the PEM.
 */
export function signForKey(cert: forge.pki.Certificate, spkiDer: Buffer, key: KeyObject): string {
  const oid = forge.pki.oids['sha256WithRSAEncryption']!;
  cert.siginfo.algorithmOid = oid;
  cert.signatureOid = oid;
  const tbs = withTbs.getTBSCertificate(cert);
  const standIn = forge.asn1.toDer(forge.pki.publicKeyToAsn1(cert.publicKey)).getBytes();
  const parts = tbs.value as forge.asn1.Asn1[];
  const at = parts.findIndex((part) => forge.asn1.toDer(part).getBytes() === standIn);
  if (at < 0) throw new Error('the TBS certificate holds no subject public key to replace');
  parts[at] = forge.asn1.fromDer(spkiDer.toString('binary'));
  const tbsDer = forge.asn1.toDer(tbs).getBytes();
  const signature = sign('sha256', Buffer.from(tbsDer, 'binary'), key);
  const { asn1 } = forge;
  const algorithm = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
  ]);
  const certificate = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    tbs,
    algorithm,
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\0${signature.toString('binary')}`),
  ]);
  const der = Buffer.from(asn1.toDer(certificate).getBytes(), 'binary');
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
