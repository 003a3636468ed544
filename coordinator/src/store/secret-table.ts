// Machine secrets (BMC passwords), kept apart from machine records so that listing, indexing and
// the API never carry them. Only power drivers read them, through PowerTarget.password().
// Stored sealed (secrets-key.ts): a row is { sealed: nonce | tag | AES-256-GCM ciphertext }.
// Rows written before sealing existed ({ password } in plain text) are sealed when the store opens.
import { readSecretFile } from '../../../proto/shared/secret-file.js';
import type { Machine } from '../machines/machine.js';
import type { SecretCipher } from './secrets-key.js';
import type { Tables } from './tables.js';

interface SealedSecret {
  readonly sealed: Uint8Array;
}

interface PlaintextSecret {
  readonly password: string;
}

function isPlaintext(row: unknown): row is PlaintextSecret {
  return typeof row === 'object' && row !== null && typeof (row as PlaintextSecret).password === 'string';
}

/** How many rows are plaintext. */
export function countPlaintextSecrets(tables: Tables): number {
  let count = 0;
  for (const { value } of tables.secrets.getRange()) if (isPlaintext(value)) count++;
  return count;
}

/** Seals every plaintext row left by an older coordinator; returns how many. Call inside a write transaction. */
export function sealPlaintextSecrets(tables: Tables, cipher: SecretCipher): number {
  let sealed = 0;
  for (const { key, value } of tables.secrets.getRange({ snapshot: false })) {
    if (!isPlaintext(value)) continue;
    tables.secrets.putSync(key, { sealed: cipher.seal(value.password, key) } satisfies SealedSecret);
    sealed++;
  }
  return sealed;
}

export class SecretTable {
  constructor(
    private readonly tables: Tables,
    private readonly cipher: SecretCipher,
  ) {}

  /** Call inside a write transaction. */
  setPassword(machineId: string, password: string | null): void {
    if (password === null) this.tables.secrets.removeSync(machineId);
    else this.tables.secrets.putSync(machineId, { sealed: this.cipher.seal(password, machineId) } satisfies SealedSecret);
  }

  /** The stored password, else the password file's first line, else null. */
  async password(machine: Machine): Promise<string | null> {
    const row = this.tables.secrets.get(machine.id) as SealedSecret | PlaintextSecret | undefined;
    if (row) return isPlaintext(row) ? row.password : this.cipher.open(row.sealed, machine.id);
    if (machine.power.passwordFile === null) return null;
    const text = await readSecretFile(machine.power.passwordFile);
    return text.split('\n')[0] ?? '';
  }
}
