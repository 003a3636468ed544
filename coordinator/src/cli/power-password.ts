// The BMC password for enlist and power-settings edits: from a local file, standard input or
// MOORING_POWER_PASSWORD, never from an argv value (argv is readable by every local user).
import { readSecretFileSync, SecretFileError } from '../../../proto/shared/secret-file.js';
import { UsageError } from './connection.js';

export interface PasswordOptions {
  powerPasswordFile?: string;
  powerPasswordStdin?: boolean;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A regular file of bounded size only: /dev/zero or a FIFO is refused at once (proto/shared/secret-file.ts). */
function readPasswordFile(path: string): string {
  try {
    return readSecretFileSync(path);
  } catch (err) {
    if (err instanceof SecretFileError) throw new UsageError(`--power-password-file: ${err.message}`);
    throw err;
  }
}

/** The BMC password: from a local file, stdin or MOORING_POWER_PASSWORD, never from an argv value. */
export async function powerPassword(options: PasswordOptions): Promise<string> {
  if (options.powerPasswordFile) return (readPasswordFile(options.powerPasswordFile).split('\n')[0] ?? '').trim();
  if (options.powerPasswordStdin) return (await readStdin()).split('\n')[0]?.trim() ?? '';
  return process.env['MOORING_POWER_PASSWORD'] ?? '';
}
