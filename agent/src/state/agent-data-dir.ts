// Start-time checks of the agent's data dir. Its files are agent.mdb (the agent's state),
// agent.key + agent.crt (its identity, signed by the coordinator's CA) and coordinator-ca.crt.
// A dir holding none of them is a first start (the agent enrolls with its token). Otherwise what
// is there must be whole: a damaged agent.mdb is refused before lmdb-js maps it (a truncated or
// overwritten file would kill the process), and a key that does not parse or does not belong to
// its certificate is refused instead of failing every connection to the coordinator.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { checkLmdbFile } from '../../../proto/shared/lmdb-file-check.js';
import { AgentError } from '../common/agent-error.js';

export const AGENT_DATABASE = 'agent.mdb';
const IDENTITY_FILES = ['agent.key', 'agent.crt', 'coordinator-ca.crt'] as const;

export class AgentDataDirError extends AgentError {
  readonly code = 'agent-data-dir-damaged';
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(
      `${file}: ${problem}. The agent will not start over damaged data: restore from backup, or remove the agent's data dir and ` +
        'enroll the agent again with a new token',
    );
  }
}

/** Throws AgentDataDirError naming the first damaged file of `dataDir`. */
export function checkAgentDataDir(dataDir: string): void {
  if (!existsSync(dataDir)) return;
  const present = new Set(readdirSync(dataDir));
  const database = path.join(dataDir, AGENT_DATABASE);
  // A missing agent.mdb beside an identity is allowed (identity files may be provisioned before a
  // first start): the agent then starts with no stored state, as on a first start.
  if (present.has(AGENT_DATABASE)) {
    const check = checkLmdbFile(database);
    if (!check.ok) throw new AgentDataDirError(database, check.problem);
  }
  checkIdentity(dataDir, present);
}

function checkIdentity(dataDir: string, present: ReadonlySet<string>): void {
  if (!IDENTITY_FILES.some((name) => present.has(name))) return; // not enrolled yet
  for (const name of IDENTITY_FILES) {
    if (!present.has(name))
      throw new AgentDataDirError(path.join(dataDir, name), 'missing, while the rest of the agent identity is present');
  }
  const [keyFile, certFile, caFile] = IDENTITY_FILES.map((name) => path.join(dataDir, name)) as [string, string, string];
  const read = <T>(file: string, what: string, parse: (text: string) => T): T => {
    try {
      return parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new AgentDataDirError(file, `not a readable PEM ${what} (${error instanceof Error ? error.message : String(error)})`);
    }
  };
  const key = read(keyFile, 'private key', (text) => createPrivateKey(text));
  const cert = read(certFile, 'certificate', (text) => new X509Certificate(text));
  read(caFile, 'certificate', (text) => new X509Certificate(text));
  if (!cert.checkPrivateKey(key)) throw new AgentDataDirError(keyFile, `does not belong to ${certFile}`);
  // Whether the certificate is one the coordinator issued is the coordinator's to answer: it
  // refuses the session with a reason the agent reports on /status.
}
