// Reads an agent's PEM certificate signing request and checks it before anything is signed: its
// size, one CERTIFICATE REQUEST block, an RSA key of a size and exponent we accept, a signature
// algorithm we accept, and a signature that verifies. Every refusal is an InvalidCsrError naming
// what was wrong; nothing here throws anything else (a tampered signature makes forge's RSA code
// throw on bad padding: that is a bad CSR, not an internal error).
import forge from 'node-forge';
import { InvalidCsrError } from './errors.js';

/** An RSA 8192-bit CSR is about 3.3 kB of PEM; anything past this is not a CSR we would sign. */
export const MAX_CSR_PEM_BYTES = 8192;
export const MIN_RSA_BITS = 2048;
export const MAX_RSA_BITS = 8192;
/** The exponent OpenSSL, Node and Go all generate; a huge exponent would make verifying costly. */
export const RSA_EXPONENT = 65537;

const RSA_OID = '1.2.840.113549.1.1.1';
/** Key algorithms we can name in a refusal (RFC 5480, RFC 8410, RFC 3279). */
const KEY_ALGORITHMS: Record<string, string> = {
  '1.2.840.10045.2.1': 'EC',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.2.840.10040.4.1': 'DSA',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
};
const SIGNATURE_ALGORITHMS = new Set(['sha256WithRSAEncryption', 'sha384WithRSAEncryption', 'sha512WithRSAEncryption']);

export interface CheckedCsr {
  readonly commonName: string;
  readonly publicKey: forge.pki.rsa.PublicKey;
  readonly keyBits: number;
}

function parseError(error: unknown): InvalidCsrError {
  return error instanceof InvalidCsrError
    ? error
    : new InvalidCsrError(`cannot parse: ${error instanceof Error ? error.message : String(error)}`);
}

/** The key algorithm OID: CertificationRequest > certificationRequestInfo > subjectPKInfo > algorithm > OID (RFC 2986 §4). */
function keyAlgorithmOid(root: forge.asn1.Asn1): string {
  const at = (node: forge.asn1.Asn1 | undefined, index: number): forge.asn1.Asn1 => {
    const children = node?.value;
    const child = Array.isArray(children) ? children[index] : undefined;
    if (!child) throw new InvalidCsrError('cannot parse: not a PKCS #10 certification request');
    return child;
  };
  const oid = at(at(at(at(root, 0), 2), 0), 0);
  if (oid.type !== forge.asn1.Type.OID || typeof oid.value !== 'string')
    throw new InvalidCsrError('cannot parse: the public key has no algorithm identifier');
  return forge.asn1.derToOid(oid.value);
}

export function readCsr(pem: string): CheckedCsr {
  const bytes = Buffer.byteLength(pem, 'utf8');
  if (bytes > MAX_CSR_PEM_BYTES) throw new InvalidCsrError(`${bytes} bytes; at most ${MAX_CSR_PEM_BYTES} accepted`);
  let csr: forge.pki.CertificateSigningRequest;
  try {
    const blocks = forge.pem.decode(pem);
    if (blocks.length !== 1 || blocks[0]?.type !== 'CERTIFICATE REQUEST') {
      throw new InvalidCsrError('expected exactly one PEM block of type CERTIFICATE REQUEST');
    }
    const root = forge.asn1.fromDer(blocks[0].body, true); // strict DER, every byte parsed;
    const oid = keyAlgorithmOid(root);
    if (oid !== RSA_OID) {
      throw new InvalidCsrError(
        `${KEY_ALGORITHMS[oid] ?? `key algorithm ${oid}`} keys are not supported; use an RSA key of ${MIN_RSA_BITS} to ` +
          `${MAX_RSA_BITS} bits`,
      );
    }
    csr = forge.pki.certificationRequestFromAsn1(root);
  } catch (error) {
    throw parseError(error);
  }
  const publicKey = csr.publicKey as forge.pki.rsa.PublicKey | null;
  if (!publicKey?.n) throw new InvalidCsrError('no RSA public key');
  const keyBits = publicKey.n.bitLength();
  if (keyBits < MIN_RSA_BITS || keyBits > MAX_RSA_BITS) {
    throw new InvalidCsrError(`RSA key of ${keyBits} bits; keys of ${MIN_RSA_BITS} to ${MAX_RSA_BITS} bits are accepted`);
  }
  if (publicKey.e.toString(10) !== String(RSA_EXPONENT)) throw new InvalidCsrError(`RSA public exponent must be ${RSA_EXPONENT}`);
  const signatureAlgorithm = forge.pki.oids[csr.signatureOid ?? ''] ?? csr.signatureOid ?? 'none';
  if (!SIGNATURE_ALGORITHMS.has(signatureAlgorithm)) {
    throw new InvalidCsrError(`signature algorithm ${signatureAlgorithm} is not accepted; use sha256WithRSAEncryption (or SHA-384/512)`);
  }
  let verified: boolean;
  try {
    verified = csr.verify();
  } catch {
    verified = false;
  }
  if (!verified) throw new InvalidCsrError('the signature does not verify (the CSR was altered, or not signed with its own key)');
  const cn = csr.subject.getField('CN') as { value?: unknown } | null;
  if (typeof cn?.value !== 'string' || cn.value === '') throw new InvalidCsrError('the subject has no common name (the agent id)');
  return { commonName: cn.value, publicKey, keyBits };
}
