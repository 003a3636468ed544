// Makes the NIC match the desired SR-IOV state, PF by PF, in the order the vendors require
// (protocol-facts 3.3; NVIDIA's "BlueField SR-IOV" and mlx5 switchdev docs): an eswitch mode change
// happens with no VFs enabled, so VFs go to 0 first, then the mode, then the VF count, then each
// VF's settings. Only what differs is changed, so a reconcile of a NIC already in the desired
// state writes nothing. Per-VF settings go through `ip link set ... vf N` in legacy mode and,
// for the MAC, through `devlink port function set ... hw_addr` in switchdev mode, and are read
// back. A failing PF does not stop the others; every failure is reported, naming its PF.

import type { Logger } from 'pino';
import { Devlink, type EswitchMode } from './devlink.js';
import { VfSettingRefusedError, VfNotFoundError, VfReadbackMismatchError } from './nic-errors.js';
import { IpLink, vfDifferences, type VfState } from './ip-link.js';
import { readPf } from './pf-discovery.js';
import type { PfDesired, SriovDesired, VfDesired } from './sriov-desired.js';
import type { SriovTools } from './tool-runner.js';
import type { VfCounter } from './vf-count.js';

/** One step taken, for logs and tests ("eth0: eswitch legacy -> switchdev"). */
export interface ReconcileStep {
  pf: string;
  action: 'vf-count' | 'eswitch-mode' | 'vf-setting' | 'vf-hw-addr';
  detail: string;
}

export interface ReconcileOutcome {
  steps: ReconcileStep[];
  /** One error per failed PF, in PF order. */
  errors: Error[];
}

export interface VfCountPolicy {
  waitTimeoutMs: number;
}

export class SriovReconciler {
  private readonly ip: IpLink;
  private readonly devlink: Devlink;

  constructor(
    private readonly sysfsRoot: string,
    tools: SriovTools,
    private readonly counter: VfCounter,
    private readonly policy: VfCountPolicy,
    private readonly log: Logger,
  ) {
    this.ip = new IpLink(tools);
    this.devlink = new Devlink(tools);
  }

  async reconcile(desired: SriovDesired): Promise<ReconcileOutcome> {
    const outcome: ReconcileOutcome = { steps: [], errors: [] };
    for (const pf of desired.pfs) {
      try {
        await this.reconcilePf(pf, outcome.steps);
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        this.log.warn({ pf: pf.pf, err: e.message, error: e.name }, 'SR-IOV reconcile of a PF failed');
        outcome.errors.push(e);
      }
    }
    this.log.info({ revision: desired.revision, steps: outcome.steps.length, errors: outcome.errors.length }, 'SR-IOV reconciled');
    return outcome;
  }

  private async reconcilePf(want: PfDesired, steps: ReconcileStep[]): Promise<void> {
    const info = await readPf(this.sysfsRoot, want.pf);
    let mode: EswitchMode | null = null;
    if (want.eswitchMode !== null) {
      // A PF without a PCI address cannot be addressed through devlink.
      const pci = info.pciAddress ?? '';
      mode = await this.devlink.eswitchMode(want.pf, pci);
      if (mode !== want.eswitchMode) {
        if ((info.numVfs ?? 0) !== 0) {
          await this.counter.set(want.pf, 0, { waitTimeoutMs: this.policy.waitTimeoutMs });
          steps.push({ pf: want.pf, action: 'vf-count', detail: `${info.numVfs} -> 0 before the eswitch mode change` });
        }
        await this.devlink.setEswitchMode(want.pf, pci, want.eswitchMode);
        steps.push({ pf: want.pf, action: 'eswitch-mode', detail: `${mode} -> ${want.eswitchMode}` });
        mode = want.eswitchMode;
      }
    }
    const counted = await this.counter.set(want.pf, want.numVfs, { autoprobe: want.autoprobe, waitTimeoutMs: this.policy.waitTimeoutMs });
    if (counted.writes.some((w) => w.attribute === 'sriov_numvfs'))
      steps.push({ pf: want.pf, action: 'vf-count', detail: `${counted.previous} -> ${counted.enabled}` });
    if (want.vfs.length === 0) return;
    if (mode === null)
      mode = info.pciAddress === null ? 'legacy' : await this.devlink.eswitchMode(want.pf, info.pciAddress).catch(() => 'legacy' as const);
    for (const vf of want.vfs) {
      if (vf.vf >= counted.enabled) throw new VfNotFoundError(want.pf, vf.vf, counted.enabled);
      if (mode === 'switchdev') await this.setSwitchdevMac(want.pf, info.pciAddress ?? '', vf, steps);
      else await this.setLegacy(want.pf, vf, steps);
    }
  }

  private async setLegacy(pf: string, vf: VfDesired, steps: ReconcileStep[]): Promise<void> {
    const { changed, state } = await this.ip.configureVf(pf, vf.vf, vf.settings);
    for (const c of changed) steps.push({ pf, action: 'vf-setting', detail: `VF ${vf.vf} ${c}` });
    const left = vfDifferences(state, vf.settings);
    if (left.length > 0)
      throw new VfReadbackMismatchError(
        pf,
        vf.vf,
        left.map((k) => describe(k, state)),
      );
  }

  private async setSwitchdevMac(pf: string, pci: string, vf: VfDesired, steps: ReconcileStep[]): Promise<void> {
    const mac = vf.settings.mac;
    if (mac === undefined) return;
    const port = (await this.devlink.ports(pci)).find((p) => p.flavour === 'pcivf' && p.vfnum === vf.vf && !p.external);
    if (port === undefined)
      throw new VfSettingRefusedError(pf, vf.vf, `hw_addr ${mac}`, `devlink lists no port for VF ${vf.vf} of pci/${pci}`, null);
    if (port.hwAddr?.toLowerCase() === mac.toLowerCase()) return;
    await this.devlink.setPortHwAddr(pf, vf.vf, port.handle, mac);
    const after = (await this.devlink.ports(pci)).find((p) => p.handle === port.handle);
    if (after?.hwAddr?.toLowerCase() !== mac.toLowerCase())
      throw new VfReadbackMismatchError(pf, vf.vf, [`hw_addr is ${after?.hwAddr ?? 'missing'}, wanted ${mac}`]);
    steps.push({ pf, action: 'vf-hw-addr', detail: `VF ${vf.vf} hw_addr ${mac} via ${port.handle}` });
  }
}

function describe(key: string, state: VfState): string {
  return `${key} is ${JSON.stringify(state[key as keyof VfState])}`;
}
