// A PEM file of CA certificates that sign BMC certificates: a machine's redfish CA file or the
// coordinator's default. Checked when it is given (enlist, coordinator start) and read again when a
// BMC connection opens, so a renewed CA file takes effect without a restart.
import { readFileSync, statSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { RedfishCaFileError } from '../errors.js';

/** A CA bundle is a few certificates; anything much larger is not one. */
const MAX_BYTES = 1024 * 1024;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The PEM text of `path`, or a RedfishCaFileError saying what is wrong with it. */
export function readCaFile(path: string): string {
  if (!path.startsWith('/')) throw new RedfishCaFileError(path, 'must be an absolute path');
  let text: string;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new RedfishCaFileError(path, 'is not a regular file');
    if (stat.size > MAX_BYTES) throw new RedfishCaFileError(path, `is larger than ${MAX_BYTES} bytes`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof RedfishCaFileError) throw error;
    const code = (error as { code?: unknown }).code;
    throw new RedfishCaFileError(path, `cannot be read (${typeof code === 'string' ? code : 'error'})`);
  }
  const certificates = text.match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0) throw new RedfishCaFileError(path, 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  for (const pem of certificates) {
    try {
      new X509Certificate(pem);
    } catch {
      throw new RedfishCaFileError(path, 'holds a PEM block that is not a valid certificate');
    }
  }
  return text;
}

/** Why `path` is no usable CA file, or null. */
export function caFileProblem(path: string): string | null {
  try {
    readCaFile(path);
    return null;
  } catch (error) {
    if (error instanceof RedfishCaFileError) return error.problem;
    throw error;
  }
}
