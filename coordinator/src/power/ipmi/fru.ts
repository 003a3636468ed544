// Hardware inventory over IPMI: the FRU inventory of the BMC's built-in FRU device (`ipmitool fru
// print 0`: the board, product and chassis info areas of the FRU storage definition v1.0) and the
// BMC's own LAN MAC (`ipmitool lan print`, which picks the first 802.3 LAN channel). IPMI says
// nothing of cores, memory, host NICs or disks: those stay unknown, and the typed-in values stay in
// effect. The parsers are pure; readIpmiInventory runs the two commands through the driver's runner.
import type { Logger } from '../../logger.js';
import { canonicalMac, EMPTY_INVENTORY, type HardwareInventory } from '../../machines/hardware-facts.js';
import { IpmiCommandError } from '../errors.js';

export const FRU_PRINT_ARGS: readonly string[] = ['fru', 'print', '0'];
export const LAN_PRINT_ARGS: readonly string[] = ['lan', 'print'];

/** ipmitool prints FRU fields as ` Board Serial          : ABC123`; the first occurrence wins. */
export function parseFieldLines(stdout: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key !== '' && value !== '' && !fields.has(key)) fields.set(key, value);
  }
  return fields;
}

export interface FruFacts {
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly serial: string | null;
}

/**
 * The system's identity from `fru print`: the product area names the system as sold, the board
 * area the mainboard, the chassis area the enclosure. Product fields first, then board, and the
 * chassis serial before the board's (a board can be replaced under the same system).
 */
export function parseFruPrint(stdout: string): FruFacts {
  const fields = parseFieldLines(stdout);
  const first = (...keys: string[]): string | null => {
    for (const key of keys) {
      const value = fields.get(key);
      if (value !== undefined) return value;
    }
    return null;
  };
  return {
    manufacturer: first('Product Manufacturer', 'Board Mfg'),
    model: first('Product Name', 'Board Product'),
    serial: first('Product Serial', 'Chassis Serial', 'Board Serial'),
  };
}

/** The BMC's MAC from `lan print` ("MAC Address : 0c:c4:7a:12:34:56"); all zeros means unset. */
export function parseLanPrintMac(stdout: string): string | null {
  return canonicalMac(parseFieldLines(stdout).get('MAC Address'));
}

/** Runs one ipmitool command (session arguments, retries and error typing are the driver's). */
export type IpmiCommandRunner = (command: readonly string[]) => Promise<string>;

/**
 * A BMC without FRU data answers `fru print 0` with an error completion ("Device not present"), and
 * one without LAN parameters with an error too: each leaves its facts unknown. Failing to reach the
 * BMC at all (session, credentials, no answer) throws.
 */
export async function readIpmiInventory(run: IpmiCommandRunner, logger: Logger): Promise<HardwareInventory> {
  const optional = async (command: readonly string[]): Promise<string | null> => {
    try {
      return await run(command);
    } catch (error) {
      if (!(error instanceof IpmiCommandError)) throw error;
      logger.info(
        { command: command.join(' '), completion: error.completion },
        'ipmi inventory: BMC has no answer; those facts stay unknown',
      );
      return null;
    }
  };
  const fru = await optional(FRU_PRINT_ARGS);
  const lan = await optional(LAN_PRINT_ARGS);
  const identity = fru === null ? { manufacturer: null, model: null, serial: null } : parseFruPrint(fru);
  return { ...EMPTY_INVENTORY, ...identity, bmcMac: lan === null ? null : parseLanPrintMac(lan) };
}
