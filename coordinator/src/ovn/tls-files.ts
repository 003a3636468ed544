// The coordinator's client key, certificate and CA for ssl: OVN remotes, named by file in the
// config. They are checked when the config is loaded (a key readable by group or others is refused,
// as ssh refuses such a key: whoever reads it can speak for the coordinator to OVN) and read when
// the fabric is built. Errors name the file and the config key, never the content.
import { constants, readFileSync, statSync } from 'node:fs';
import type { TlsMaterial } from '../../../proto/ovsdb/transport.js';
import { readSecretFileSync, SecretFileError } from '../../../proto/shared/secret-file.js';

export interface OvnTlsFilePaths {
  readonly privateKey: string;
  readonly certificate: string;
  readonly caCert: string;
}

export type OvnTlsKey = 'ovnPrivateKey' | 'ovnCertificate' | 'ovnCaCert';

export class OvnTlsFileError extends Error {
  override name = 'OvnTlsFileError';
  constructor(
    readonly key: OvnTlsKey,
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${key}: ${JSON.stringify(file)} ${reason}`, options);
  }
}

function errno(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? 'error';
}

/** The first problem with the files (the key named), or null when they can be used. */
export function checkOvnTlsFiles(files: OvnTlsFilePaths): { key: OvnTlsKey; message: string } | null {
  const entries: [OvnTlsKey, string][] = [
    ['ovnPrivateKey', files.privateKey],
    ['ovnCertificate', files.certificate],
    ['ovnCaCert', files.caCert],
  ];
  for (const [key, file] of entries) {
    let mode: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) return { key, message: `${JSON.stringify(file)} is not a regular file` };
      mode = st.mode & 0o777;
    } catch (err) {
      return { key, message: `${JSON.stringify(file)} cannot be read (${errno(err)})` };
    }
    if (key === 'ovnPrivateKey' && (mode & (constants.S_IRWXG | constants.S_IRWXO)) !== 0) {
      return {
        key,
        message: `${JSON.stringify(file)} is mode 0${mode.toString(8)}; a private key must be readable by its owner only (chmod 600)`,
      };
    }
  }
  return null;
}

/** Reads the three PEM files for the OVSDB client's TLS. */
export function readOvnTls(files: OvnTlsFilePaths): TlsMaterial {
  let key: string;
  try {
    key = readSecretFileSync(files.privateKey);
  } catch (err) {
    throw new OvnTlsFileError(
      'ovnPrivateKey',
      files.privateKey,
      err instanceof SecretFileError ? err.reason : `cannot be read (${errno(err)})`,
      { cause: err },
    );
  }
  const read = (k: OvnTlsKey, file: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw new OvnTlsFileError(k, file, `cannot be read (${errno(err)})`, { cause: err });
    }
  };
  return { key, cert: read('ovnCertificate', files.certificate), ca: read('ovnCaCert', files.caCert) };
}
