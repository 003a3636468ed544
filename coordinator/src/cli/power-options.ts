// Power options shared by moorctl machine enlist and machine update: the BMC password (from a local
// file, standard input or MOORING_POWER_PASSWORD, never from an argv value: argv is readable by every
// local user) and the driver-specific BMC settings.
import { Option, type Command } from 'commander';
import type { PowerSettings } from '../../../proto/generated/index.js';
import { readSecretFileSync, SecretFileError } from '../../../proto/shared/secret-file.js';
import { UsageError } from './connection.js';
import { parseCount } from './sizes.js';

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

export interface BmcOptions {
  ipmiCipherSuite?: string;
  redfishCaFile?: string;
  redfishTlsVerify?: string;
}

type BmcSettings = Pick<PowerSettings, 'ipmiCipherSuite' | 'redfishCaFile' | 'redfishTlsVerify'>;

/** The driver-specific settings as the wire says "the default" for each. */
export const DEFAULT_BMC_SETTINGS: Required<BmcSettings> = {
  ipmiCipherSuite: 0,
  redfishCaFile: '',
  redfishTlsVerify: 'REDFISH_TLS_VERIFY_UNSPECIFIED',
};

/** Adds --ipmi-cipher-suite, --redfish-ca-file and --redfish-tls-verify to `command`. */
export function addBmcOptions(command: Command): Command {
  return command
    .option('--ipmi-cipher-suite <n>', 'ipmi: RMCP+ cipher suite, 3 (default), 8, 12 or 17')
    .option('--redfish-ca-file <path>', "redfish: a PEM file on the coordinator's host with the CA that signs the BMC's certificate")
    .addOption(
      new Option('--redfish-tls-verify <on|off>', "redfish: verify the BMC's certificate (default: the coordinator's setting)").choices([
        'on',
        'off',
      ]),
    );
}

/** Whether any of the BMC options was given. */
export function bmcOptionsGiven(o: BmcOptions): boolean {
  return o.ipmiCipherSuite !== undefined || o.redfishCaFile !== undefined || o.redfishTlsVerify !== undefined;
}

/** The BMC settings the options name, in their wire form (the others are left out). */
export function bmcSettings(o: BmcOptions): BmcSettings {
  return {
    ...(o.ipmiCipherSuite !== undefined ? { ipmiCipherSuite: cipherSuite(o.ipmiCipherSuite) } : {}),
    ...(o.redfishCaFile !== undefined ? { redfishCaFile: o.redfishCaFile } : {}),
    ...(o.redfishTlsVerify !== undefined
      ? { redfishTlsVerify: o.redfishTlsVerify === 'on' ? 'REDFISH_TLS_VERIFY_ON' : 'REDFISH_TLS_VERIFY_OFF' }
      : {}),
  };
}

/** Typed out, suite 0 (no authentication) is refused here; 0 on the wire means "the default". */
function cipherSuite(text: string): number {
  const suite = parseCount(text, '--ipmi-cipher-suite');
  if (suite === 0) throw new UsageError('--ipmi-cipher-suite: suite 0 logs in without authentication; use 3, 8, 12 or 17');
  return suite;
}
