// devlink (protocol-facts 3.3, representors.rst): the eswitch mode of a PF's PCI device
// (`devlink -j dev eswitch show|set pci/ADDR mode legacy|switchdev`), its ports with their
// flavour and VF numbers (`devlink -j port show`), a VF's MAC in switchdev mode
// (`devlink port function set pci/ADDR/N hw_addr MAC`: the representor cannot set it), and
// firmware facts (`devlink -j dev info pci/ADDR`). JSON shapes as devlink prints them:
//   {"dev":{"pci/0000:03:00.0":{"mode":"switchdev","inline-mode":"none","encap-mode":"basic"}}}
//   {"port":{"pci/0000:03:00.0/1":{"type":"eth","netdev":"pf0vf0","flavour":"pcivf","controller":1,
//     "pfnum":0,"vfnum":0,"external":true,"splittable":false,"function":{"hw_addr":"..."}}}}
//   {"info":{"pci/0000:03:00.0":{"driver":"mlx5_core","serial_number":"...","versions":{
//     "fixed":{"board.id":"..."},"running":{"fw.version":"..."},"stored":{...}}}}}

import { EswitchModeRefusedError, EswitchUnsupportedError, ToolOutputError, VfSettingRefusedError } from './nic-errors.js';
import { ToolFailedError, type SriovTools } from './tool-runner.js';

export type EswitchMode = 'legacy' | 'switchdev';

export interface DevlinkPort {
  /** pci/0000:03:00.0/1 */
  handle: string;
  netdev: string | null;
  /** physical, pcipf, pcivf, pcisf, virtual... */
  flavour: string;
  controller: number | null;
  pfnum: number | null;
  vfnum: number | null;
  external: boolean;
  hwAddr: string | null;
}

export interface DevlinkInfo {
  driver: string | null;
  serial: string | null;
  firmware: string | null;
  boardId: string | null;
}

type Json = Record<string, unknown>;

export class Devlink {
  constructor(private readonly tools: SriovTools) {}

  private async json(args: string[]): Promise<Json> {
    const { stdout } = await this.tools.runner.run(this.tools.devlink, args, this.tools.timeoutMs);
    try {
      const parsed: unknown = JSON.parse(stdout);
      if (parsed !== null && typeof parsed === 'object') return parsed as Json;
    } catch {
      // reported below
    }
    throw new ToolOutputError(this.tools.devlink, `${args.join(' ')} did not print a JSON object`);
  }

  /** The eswitch mode, or EswitchUnsupportedError when the device has none. */
  async eswitchMode(pf: string, pci: string): Promise<EswitchMode> {
    let out: Json;
    try {
      out = await this.json(['-j', 'dev', 'eswitch', 'show', `pci/${pci}`]);
    } catch (err) {
      if (err instanceof ToolFailedError) throw new EswitchUnsupportedError(pf, pci, `${err.reason}${err.errno ? ` (${err.errno})` : ''}`);
      throw err;
    }
    const mode = ((out.dev as Json | undefined)?.[`pci/${pci}`] as Json | undefined)?.mode;
    if (mode !== 'legacy' && mode !== 'switchdev')
      throw new ToolOutputError(this.tools.devlink, `eswitch show pci/${pci} has no mode legacy|switchdev`);
    return mode;
  }

  async setEswitchMode(pf: string, pci: string, mode: EswitchMode): Promise<void> {
    try {
      await this.tools.runner.run(this.tools.devlink, ['dev', 'eswitch', 'set', `pci/${pci}`, 'mode', mode], this.tools.timeoutMs);
    } catch (err) {
      if (err instanceof ToolFailedError) throw new EswitchModeRefusedError(pf, pci, mode, err.reason, err.errno, { cause: err });
      throw err;
    }
  }

  /** The devlink ports of one PCI device. */
  async ports(pci: string): Promise<DevlinkPort[]> {
    const out = await this.json(['-j', 'port', 'show']);
    const ports = (out.port ?? {}) as Record<string, Json>;
    return Object.entries(ports)
      .filter(([handle]) => handle.startsWith(`pci/${pci}/`))
      .map(([handle, p]) => ({
        handle,
        netdev: typeof p.netdev === 'string' ? p.netdev : null,
        flavour: typeof p.flavour === 'string' ? p.flavour : 'unknown',
        controller: typeof p.controller === 'number' ? p.controller : null,
        pfnum: typeof p.pfnum === 'number' ? p.pfnum : null,
        vfnum: typeof p.vfnum === 'number' ? p.vfnum : null,
        external: p.external === true,
        hwAddr: typeof (p.function as Json | undefined)?.hw_addr === 'string' ? ((p.function as Json).hw_addr as string) : null,
      }));
  }

  /** A VF's MAC in switchdev mode, through its port function. */
  async setPortHwAddr(pf: string, vf: number, handle: string, mac: string): Promise<void> {
    try {
      await this.tools.runner.run(this.tools.devlink, ['port', 'function', 'set', handle, 'hw_addr', mac], this.tools.timeoutMs);
    } catch (err) {
      if (err instanceof ToolFailedError)
        throw new VfSettingRefusedError(pf, vf, `hw_addr ${mac} (devlink port ${handle})`, err.reason, err.errno, { cause: err });
      throw err;
    }
  }

  async info(pci: string): Promise<DevlinkInfo> {
    const out = await this.json(['-j', 'dev', 'info', `pci/${pci}`]);
    const dev = ((out.info as Json | undefined)?.[`pci/${pci}`] ?? {}) as Json;
    const versions = (dev.versions ?? {}) as Json;
    const running = (versions.running ?? {}) as Json;
    const fixed = (versions.fixed ?? {}) as Json;
    const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
    return {
      driver: text(dev.driver),
      serial: text(dev['board.serial_number']) ?? text(dev.serial_number),
      firmware: text(running['fw.version']) ?? text(running.fw),
      boardId: text(fixed['board.id']) ?? text(fixed['fw.psid']),
    };
  }
}
