// Reads the OVSDB client TLS files named by the configuration into the PEM strings OvsdbClient
// takes. loadAgentConfig has already checked they are readable; a file that vanished since is a
// ConfigError naming its key, never a bare ENOENT.

import { readFile } from 'node:fs/promises';
import type { TlsMaterial } from '../../../proto/ovsdb/transport.js';
import type { AgentConfig } from './agent-config.js';
import { ConfigError, errnoCode } from './errors.js';

/** The TLS material for an ssl: OVSDB remote, or undefined for unix: and tcp: remotes. */
export async function readOvsdbTls(config: AgentConfig): Promise<TlsMaterial | undefined> {
  const tls = config.ovsdb.tls;
  if (!tls) return undefined;
  const read = async (key: 'ovsdbPrivateKey' | 'ovsdbCertificate' | 'ovsdbCaCert', file: string): Promise<string> => {
    try {
      return await readFile(file, 'utf8');
    } catch (err) {
      throw new ConfigError([{ key, source: config.sources[key], problem: `"${file}" cannot be read (${errnoCode(err)})` }]);
    }
  };
  // One after another: with several files gone, the error names the first key, not whichever read failed first.
  const key = await read('ovsdbPrivateKey', tls.privateKey);
  const cert = await read('ovsdbCertificate', tls.certificate);
  const ca = await read('ovsdbCaCert', tls.caCert);
  return { key, cert, ca };
}
