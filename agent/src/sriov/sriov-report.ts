// The actual SR-IOV state, as AgentReport.sriov carries it: every PF under the sysfs root with its
// VFs as the PF reports them (`ip -j -d link show`), its eswitch mode and firmware (devlink), the
// eswitch ports (representors) and the smartNIC mode with its evidence. Reading never fails as a
// whole: what cannot be read is listed in problems and the rest is reported.

import type { SriovPfReport__Output, SriovReport__Output, SriovVfReport__Output } from '../../../proto/generated/index.js';
import { Devlink, type DevlinkPort } from './devlink.js';
import { EswitchUnsupportedError } from './nic-errors.js';
import { IpLink, type VfState } from './ip-link.js';
import { queryNvConfig, type NvConfigAnswer } from './nv-config.js';
import { discoverPfs, type PfInfo } from './pf-discovery.js';
import { discoverRepresentors } from './representors.js';
import { discoverSmartNicMode, isBlueField, nicModel, type NicFacts } from './smartnic-mode.js';
import { SysfsReader } from './sysfs-attr.js';
import type { SriovTools } from './tool-runner.js';

export interface ReportInputs {
  sysfsRoot: string;
  tools: SriovTools;
  arch: string;
}

const onOff = (b: boolean | null): string => (b === null ? '' : b ? 'on' : 'off');

export async function collectSriovReport(input: ReportInputs): Promise<SriovReport__Output> {
  const { sysfsRoot, tools } = input;
  const problems: string[] = [];
  const ip = new IpLink(tools);
  const devlink = new Devlink(tools);
  const reader = new SysfsReader(sysfsRoot);
  const found = await discoverPfs(sysfsRoot);
  for (const p of found.problems) problems.push(`${p.file}: ${p.code}`);
  const reps = await discoverRepresentors(sysfsRoot);
  for (const p of reps.problems) problems.push(`${p.file}: ${p.code}`);

  const nics: NicFacts[] = [];
  const pfs: SriovPfReport__Output[] = [];
  let firmware = '';
  for (const pf of found.pfs) {
    const gaps: { file: string; code: string }[] = [];
    const vendorId = await reader.text(`class/net/${pf.netdev}/device/vendor`, gaps);
    const deviceId = await reader.text(`class/net/${pf.netdev}/device/device`, gaps);
    const eswitch = await eswitchOf(devlink, pf, problems);
    // Only NVIDIA devices have INTERNAL_CPU_* parameters; the query can take seconds.
    const nv: NvConfigAnswer =
      pf.pciAddress !== null && vendorId === '0x15b3'
        ? await queryNvConfig(tools, pf.pciAddress)
        : { kind: 'absent', reason: `${pf.netdev} is not an NVIDIA device` };
    const facts: NicFacts = { pf: pf.netdev, pci: pf.pciAddress, vendorId, deviceId, eswitch, nv };
    nics.push(facts);
    const info =
      pf.pciAddress === null
        ? null
        : await devlink
            .info(pf.pciAddress)
            .catch((err: unknown) => (problems.push(`devlink dev info ${pf.netdev}: ${(err as Error).message}`), null));
    if (firmware === '' && info?.firmware && (isBlueField(facts) || found.pfs.length === 1)) firmware = info.firmware;
    const vfStates = await ip.show(pf.netdev).then(
      (l) => l.vfs,
      (err: unknown) => (problems.push(`ip link show ${pf.netdev}: ${(err as Error).message}`), [] as VfState[]),
    );
    const ports =
      eswitch === 'switchdev' && pf.pciAddress !== null
        ? await devlink.ports(pf.pciAddress).catch((err: unknown) => (problems.push(`devlink port show: ${(err as Error).message}`), []))
        : [];
    const { vendor, model } = nicModel(facts);
    pfs.push({
      netdev: pf.netdev,
      pciAddress: pf.pciAddress ?? '',
      driver: pf.driver ?? '',
      numaNode: pf.numaNode ?? -1,
      linkState: pf.operState ?? '',
      totalVfs: pf.totalVfs,
      numVfs: pf.numVfs ?? 0,
      eswitchMode: eswitch,
      vendor,
      model,
      firmware: info?.firmware ?? '',
      vfs: vfReports(pf, vfStates, ports),
    });
  }
  const mode = discoverSmartNicMode({ arch: input.arch, nics, representors: reps.representors });
  return {
    smartNic: {
      location: mode.location,
      mode: mode.mode,
      nextBootMode: mode.nextBootMode,
      source: mode.source,
      vendor: mode.vendor,
      model: mode.model,
      firmware,
      evidence: mode.evidence,
    },
    pfs,
    representors: reps.representors.map((r) => ({
      netdev: r.netdev,
      physPortName: r.physPortName,
      switchId: r.switchId,
      flavour: r.port.kind,
    })),
    desiredRevision: 0,
    lastReconcileAt: '',
    lastReconcileError: '',
    problems,
  };
}

async function eswitchOf(devlink: Devlink, pf: PfInfo, problems: string[]): Promise<NicFacts['eswitch']> {
  if (pf.pciAddress === null) return 'unknown';
  try {
    return await devlink.eswitchMode(pf.netdev, pf.pciAddress);
  } catch (err) {
    if (err instanceof EswitchUnsupportedError) return 'unsupported';
    problems.push(`devlink eswitch show ${pf.netdev}: ${(err as Error).message}`);
    return 'unknown';
  }
}

function vfReports(pf: PfInfo, states: VfState[], ports: DevlinkPort[]): SriovVfReport__Output[] {
  return pf.vfs.map((vf) => {
    const s = states.find((x) => x.vf === vf.index);
    const port = ports.find((p) => p.flavour === 'pcivf' && p.vfnum === vf.index && !p.external);
    return {
      vf: vf.index,
      pciAddress: vf.pciAddress ?? '',
      netdev: vf.netdev ?? '',
      mac: port?.hwAddr ?? s?.mac ?? vf.mac ?? '',
      vlan: s?.vlan ?? 0,
      qos: s?.qos ?? 0,
      spoofchk: onOff(s?.spoofchk ?? null),
      trust: onOff(s?.trust ?? null),
      linkState: s?.state ?? '',
      maxTxRate: s?.maxTxRate ?? 0,
      minTxRate: s?.minTxRate ?? 0,
      representor: port?.netdev ?? '',
    };
  });
}
