// Machine secrets (BMC passwords), kept apart from machine records so that listing, indexing and
// the API never carry them. Only power drivers read them, through PowerTarget.password().
import { readSecretFile } from '../../../proto/shared/secret-file.js';
import type { Machine } from '../machines/machine.js';
import type { Tables } from './tables.js';

interface MachineSecret {
  readonly password: string;
}

export class SecretTable {
  constructor(private readonly tables: Tables) {}

  /** Call inside a write transaction. */
  setPassword(machineId: string, password: string | null): void {
    if (password === null) this.tables.secrets.removeSync(machineId);
    else this.tables.secrets.putSync(machineId, { password } satisfies MachineSecret);
  }

  /** The stored password, else the password file's first line, else null. */
  async password(machine: Machine): Promise<string | null> {
    const secret = this.tables.secrets.get(machine.id) as MachineSecret | undefined;
    if (secret) return secret.password;
    if (machine.power.passwordFile === null) return null;
    const text = await readSecretFile(machine.power.passwordFile);
    return text.split('\n')[0] ?? '';
  }
}
