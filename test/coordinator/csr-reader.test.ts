// The CSR checks on their own (pki/csr-reader.ts): pure, no server. Each refusal names what was
// wrong; a good agent CSR (as the agent makes it) passes and yields its common name.
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { newKeyAndCsr } from '../../agent/src/link/credentials.js';
import { InvalidCsrError } from '../../coordinator/src/pki/errors.js';
import { readCsr } from '../../coordinator/src/pki/csr-reader.js';

function rsaKeys(bits: number, exponent = 65537): forge.pki.rsa.KeyPair {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: exponent });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

function csrPem(
  keys: forge.pki.rsa.KeyPair,
  subject: forge.pki.CertificateField[],
  digest: forge.md.MessageDigest = forge.md.sha256.create(),
): string {
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = keys.publicKey;
  csr.setSubject(subject);
  csr.sign(keys.privateKey, digest);
  return forge.pki.certificationRequestToPem(csr);
}

function problem(pem: string): string {
  try {
    readCsr(pem);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidCsrError);
    return (error as InvalidCsrError).problem;
  }
  throw new Error('the CSR was unexpectedly accepted');
}

describe('readCsr', () => {
  const keys2048 = rsaKeys(2048);

  it('accepts the agent CSR and reads its common name and key size', () => {
    const checked = readCsr(newKeyAndCsr('dpu-7').csrPem);
    expect(checked.commonName).toBe('dpu-7');
    expect(checked.keyBits).toBe(2048);
  });

  it('refuses more than 8 kB before parsing anything', () => {
    expect(problem('x'.repeat(8193))).toBe('8193 bytes; at most 8192 accepted');
  });

  it('refuses anything but exactly one CERTIFICATE REQUEST block', () => {
    const pem = newKeyAndCsr('dpu-7').csrPem;
    expect(problem(pem + pem)).toBe('expected exactly one PEM block of type CERTIFICATE REQUEST');
    expect(problem(pem.replaceAll('CERTIFICATE REQUEST', 'CERTIFICATE'))).toBe(
      'expected exactly one PEM block of type CERTIFICATE REQUEST',
    );
    expect(problem('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n')).toMatch(/^cannot parse: /);
  });

  it('refuses RSA keys outside 2048-8192 bits and exponents other than 65537', () => {
    expect(problem(csrPem(rsaKeys(1024), [{ name: 'commonName', value: 'a' }]))).toBe(
      'RSA key of 1024 bits; keys of 2048 to 8192 bits are accepted',
    );
    expect(problem(csrPem(rsaKeys(2048, 3), [{ name: 'commonName', value: 'a' }]))).toBe('RSA public exponent must be 65537');
  });

  it('refuses SHA-1 and MD5 signatures', () => {
    expect(problem(csrPem(keys2048, [{ name: 'commonName', value: 'a' }], forge.md.sha1.create()))).toBe(
      'signature algorithm sha1WithRSAEncryption is not accepted; use sha256WithRSAEncryption (or SHA-384/512)',
    );
    expect(problem(csrPem(keys2048, [{ name: 'commonName', value: 'a' }], forge.md.md5.create()))).toMatch(
      /^signature algorithm md5WithRSAEncryption is not accepted/,
    );
  });

  it('refuses a CSR whose subject was changed after signing, and one without a common name', () => {
    const pem = csrPem(keys2048, [{ name: 'commonName', value: 'dpu-1' }]);
    // Same length, another name: the DER stays well-formed, only the signature no longer matches.
    const der = forge.pem.decode(pem)[0]!.body.replace('dpu-1', 'dpu-2');
    expect(problem(forge.pem.encode({ type: 'CERTIFICATE REQUEST', body: der }))).toBe(
      'the signature does not verify (the CSR was altered, or not signed with its own key)',
    );
    expect(problem(csrPem(keys2048, [{ name: 'organizationName', value: 'x' }]))).toBe('the subject has no common name (the agent id)');
  });
});
