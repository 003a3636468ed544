// One spelling of a certificate serial number, so the serial the CA assigned (forge: hex, possibly
// with leading zero bytes) and the one a TLS peer presents (OpenSSL: upper-case hex, leading zero
// bytes dropped) compare equal. The registry stores this spelling.
import { X509Certificate } from 'node:crypto';

export function normaliseSerial(hex: string): string {
  const stripped = hex.toLowerCase().replace(/^0+/, '');
  return stripped === '' ? '0' : stripped;
}

/** The serial of a DER certificate (as a TLS peer presented it). */
export function serialOfDer(der: Buffer): string {
  return normaliseSerial(new X509Certificate(der).serialNumber);
}
