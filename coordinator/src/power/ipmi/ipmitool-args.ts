// ipmitool command lines (ipmitool 1.8.19, doc/ipmitool.1.in) and the parsing of its successful
// output. The password never appears here: `-E` makes ipmitool read it from IPMI_PASSWORD, which
// ipmitool-process.ts puts in the child's environment, so it stays out of `ps` and /proc/<pid>/cmdline.
import type { PowerState } from '../../machines/machine.js';
import type { BootRequest } from '../power-driver.js';
import type { BmcAddress } from './bmc-address.js';

export interface SessionSettings {
  readonly bmc: BmcAddress;
  readonly user: string;
  readonly cipherSuite: number;
  /** ipmitool `-N`: seconds between its own retransmissions. */
  readonly bmcTimeoutSec: number;
  /** ipmitool `-R`: its own retransmissions; the driver's retries sit on top. */
  readonly bmcRetries: number;
}

export function sessionArgs(session: SessionSettings): string[] {
  return [
    '-I',
    'lanplus',
    '-H',
    session.bmc.host,
    '-p',
    String(session.bmc.port),
    '-U',
    session.user,
    '-E',
    '-C',
    String(session.cipherSuite),
    '-N',
    String(session.bmcTimeoutSec),
    '-R',
    String(session.bmcRetries),
    // -v adds the reason a session failed ("RAKP 2 HMAC is invalid" for a wrong password, "Get Auth
    // Capabilities error" for no answer); without it both print only "Unable to establish IPMI v2 /
    // RMCP+ session". It also prints noise such as the Get VSO Capabilities probe's "Invalid
    // completion code received: Invalid command" on success, so stderr is read only on failure.
    '-v',
  ];
}

export type PowerAction = 'status' | 'on' | 'off' | 'cycle';

export function powerArgs(action: PowerAction): string[] {
  return ['chassis', 'power', action];
}

/**
 * `chassis bootdev <dev> [options=persistent,efiboot]`. Without options the override is one-time
 * and legacy (data byte 1 = 0x80); `efiboot` sets the EFI bit (0xa0) and `persistent` bit 6 (0xe0),
 * protocol-facts.md 4.1. UEFI machines need efiboot, or some BMCs switch them to legacy boot.
 */
export function bootDeviceArgs(boot: BootRequest): string[] {
  const options = [...(boot.persistent ? ['persistent'] : []), ...(boot.mode === 'uefi' ? ['efiboot'] : [])];
  return ['chassis', 'bootdev', boot.device, ...(options.length > 0 ? [`options=${options.join(',')}`] : [])];
}

/**
 * Set System Boot Options (NetFn chassis 0x00, cmd 0x08), parameter 3 "boot info acknowledge /
 * timeout" = 0x08: stop the BMC clearing the boot flags 60 s after they were set (IPMI spec table
 * 28-14). Ironic sends exactly this before every boot device change (disable_boot_timeout=True).
 */
export const DISABLE_BOOT_TIMEOUT_ARGS: readonly string[] = ['raw', '0x00', '0x08', '0x03', '0x08'];

/** `chassis power status` prints "Chassis Power is on|off". */
export function parsePowerStatus(stdout: string): Exclude<PowerState, 'unknown'> | null {
  const match = /Chassis Power is (on|off)\b/.exec(stdout);
  return match ? (match[1] as 'on' | 'off') : null;
}
