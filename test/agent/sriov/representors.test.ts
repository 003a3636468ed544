// Representor discovery and VF <-> representor mapping against the SR-IOV sysfs SIMULATION, in the
// layouts protocol-facts 3.3/3.4 describe: a ConnectX in switchdev mode on a host, and a BlueField's
// Arm side in DPU mode (p0 uplink, pf0hpf = c1pf0 host PF, pf0vfN = c1pf0vfN host VFs).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AmbiguousRepresentorError, RepresentorNotFoundError } from '../../../agent/src/sriov/errors.js';
import { discoverPfs } from '../../../agent/src/sriov/pf-discovery.js';
import { BLUEFIELD_HOST_CONTROLLER } from '../../../agent/src/sriov/phys-port-name.js';
import {
  discoverRepresentors,
  representorForVf,
  resolveRepresentor,
  vfOfRepresentor,
  type Representor,
} from '../../../agent/src/sriov/representors.js';
import { SriovSysfsSimulation } from '../../harness/sriov-sim.js';

let sim: SriovSysfsSimulation;
beforeEach(async () => {
  sim = await SriovSysfsSimulation.create();
});
afterEach(async () => {
  expect(sim.failures).toEqual([]);
  await sim.close();
});

const numvfs = (pf: string): string => `${sim.root}/class/net/${pf}/device/sriov_numvfs`;
const SWITCH = '8c91c6a1b2c3d4e5';

/** A BlueField's Arm side in DPU mode: the ECPF (p0) owns the eswitch; the host's PF and VFs are controller 1. */
async function blueFieldArmSide(hostVfs: number, hostVfName = (n: number): string => `pf0vf${n}`): Promise<void> {
  await sim.addPf({
    netdev: 'p0',
    bdf: '0000:03:00.0',
    totalVfs: 16,
    vfNetdevs: { mode: 'never' },
    switchdev: { switchId: SWITCH, uplinkPortName: 'p0' },
  });
  await sim.addPort({ netdev: 'pf0hpf', parentBdf: '0000:03:00.0', switchId: SWITCH, physPortName: 'c1pf0' });
  for (let n = 0; n < hostVfs; n++) {
    await sim.addPort({ netdev: hostVfName(n), parentBdf: '0000:03:00.0', switchId: SWITCH, physPortName: `c1pf0vf${n}` });
  }
}

describe('representors on a BlueField Arm side in DPU mode (simulated sysfs)', () => {
  it('finds the uplink, the host PF and the host VF representors by switch id and port name', async () => {
    await blueFieldArmSide(4);
    await sim.addPlainPciFunction('0000:00:03.0', 'virtio-pci');
    await sim.addPort({ netdev: 'oob_net0', parentBdf: '0000:00:03.0', switchId: null, physPortName: null });
    const { representors, unparsed, problems } = await discoverRepresentors(sim.root);
    expect(problems).toEqual([]);
    expect(unparsed).toEqual([]);
    expect(representors.map((r) => [r.netdev, r.physPortName, r.port.kind])).toEqual([
      ['p0', 'p0', 'physical'],
      ['pf0hpf', 'c1pf0', 'pf'],
      ['pf0vf0', 'c1pf0vf0', 'vf'],
      ['pf0vf1', 'c1pf0vf1', 'vf'],
      ['pf0vf2', 'c1pf0vf2', 'vf'],
      ['pf0vf3', 'c1pf0vf3', 'vf'],
    ]);
    expect(representors.every((r) => r.switchId === SWITCH)).toBe(true);
    // pf0hpf and the host VF representors hang off the ECPF's PCI function too, but only p0 is the PF.
    expect((await discoverPfs(sim.root)).pfs.map((pf) => pf.netdev)).toEqual(['p0']);
  });

  it('resolves a smartNIC port naming its host VF ("pf0vf3") to the representor to bind on br-int', async () => {
    await blueFieldArmSide(4);
    const { representors } = await discoverRepresentors(sim.root);
    expect(resolveRepresentor(representors, 'pf0vf3').netdev).toBe('pf0vf3');
    expect(resolveRepresentor(representors, 'c1pf0vf3').netdev).toBe('pf0vf3');
    expect(resolveRepresentor(representors, 'pf0hpf').netdev).toBe('pf0hpf');
    expect(resolveRepresentor(representors, 'p0').netdev).toBe('p0');
    const rep = representorForVf(representors, { controller: BLUEFIELD_HOST_CONTROLLER, pf: 0, vf: 2 });
    expect(rep?.netdev).toBe('pf0vf2');
    expect(vfOfRepresentor(rep!)).toEqual({ controller: 1, pf: 0, vf: 2 });
    expect(vfOfRepresentor(resolveRepresentor(representors, 'pf0hpf'))).toBeNull();
  });

  it('finds the host VF by port name when udev named the representors otherwise (systemd <pf>r<N>)', async () => {
    await blueFieldArmSide(4, (n) => `p0r${n}`);
    const { representors } = await discoverRepresentors(sim.root);
    // No netdev is called pf0vf3 and no port is local pf0vf3: the one external-controller match wins.
    expect(resolveRepresentor(representors, 'pf0vf3').netdev).toBe('p0r3');
    expect(resolveRepresentor(representors, 'pf0vf3', { defaultController: BLUEFIELD_HOST_CONTROLLER }).netdev).toBe('p0r3');
    expect(() => resolveRepresentor(representors, 'pf0vf3', { defaultController: null })).toThrow(RepresentorNotFoundError);
    expect(() => resolveRepresentor(representors, 'pf0vf4')).toThrow(/no representor for pf0vf4: no port pf0vf4 among 6 eswitch ports/);
  });

  it('refuses references that are neither representors nor port names, and ambiguous ones', async () => {
    await blueFieldArmSide(1);
    // A second eswitch (a second BlueField) with its own host VF 0.
    await sim.addPf({
      netdev: 'p1',
      bdf: '0000:05:00.0',
      totalVfs: 16,
      vfNetdevs: { mode: 'never' },
      switchdev: { switchId: 'aa00', uplinkPortName: 'p0' },
    });
    await sim.addPort({ netdev: 'p1r0', parentBdf: '0000:05:00.0', switchId: 'aa00', physPortName: 'c1pf0vf0' });
    const { representors } = await discoverRepresentors(sim.root);
    expect(() => resolveRepresentor(representors, 'eth7')).toThrow(RepresentorNotFoundError);
    expect(() => resolveRepresentor(representors, 'c1pf0vf0')).toThrow(AmbiguousRepresentorError);
    expect(resolveRepresentor(representors, 'c1pf0vf0', { switchId: 'aa00' }).netdev).toBe('p1r0');
    expect(resolveRepresentor(representors, 'pf0vf0', { switchId: SWITCH }).netdev).toBe('pf0vf0');
  });
});

describe('representors of a ConnectX PF in switchdev mode on a host (simulated sysfs)', () => {
  it('creates a representor per enabled VF, maps VF index <-> representor both ways, and removes them with the VFs', async () => {
    await sim.addPf({
      netdev: 'enp3s0f0np0',
      bdf: '0000:03:00.0',
      totalVfs: 8,
      vfNetdevs: { mode: 'never' },
      switchdev: { switchId: SWITCH, uplinkPortName: 'p0', representorName: (n) => `enp3s0f0r${n}` },
    });
    await sim.writer.write(numvfs('enp3s0f0np0'), '4');
    const { representors } = await discoverRepresentors(sim.root);
    expect(representors.map((r) => `${r.netdev}=${r.physPortName}`)).toEqual([
      'enp3s0f0np0=p0',
      'enp3s0f0r0=pf0vf0',
      'enp3s0f0r1=pf0vf1',
      'enp3s0f0r2=pf0vf2',
      'enp3s0f0r3=pf0vf3',
    ]);
    for (let vf = 0; vf < 4; vf++) {
      const rep = representorForVf(representors, { controller: null, pf: 0, vf });
      expect(rep?.netdev).toBe(`enp3s0f0r${vf}`);
      expect(vfOfRepresentor(rep!)).toEqual({ controller: null, pf: 0, vf });
    }
    expect(resolveRepresentor(representors, 'pf0vf3').netdev).toBe('enp3s0f0r3');
    expect(representorForVf(representors, { controller: null, pf: 0, vf: 4 })).toBeNull();
    expect(representorForVf(representors, { controller: 1, pf: 0, vf: 0 })).toBeNull();

    await sim.writer.write(numvfs('enp3s0f0np0'), '0');
    expect((await discoverRepresentors(sim.root)).representors.map((r: Representor) => r.netdev)).toEqual(['enp3s0f0np0']);
  });

  it('reports SF representors and unparseable port names separately', async () => {
    await sim.addPf({ netdev: 'p0', bdf: '0000:03:00.0', totalVfs: 8, switchdev: { switchId: SWITCH } });
    await sim.addPort({ netdev: 'en3f0pf0sf2', parentBdf: '0000:03:00.0', switchId: SWITCH, physPortName: 'pf0sf2' });
    await sim.addPort({ netdev: 'weird0', parentBdf: '0000:03:00.0', switchId: SWITCH, physPortName: 'vport7' });
    const { representors, unparsed } = await discoverRepresentors(sim.root);
    expect(resolveRepresentor(representors, 'pf0sf2')).toMatchObject({
      netdev: 'en3f0pf0sf2',
      port: { kind: 'sf', controller: null, pf: 0, sf: 2 },
    });
    expect(unparsed).toEqual([{ netdev: 'weird0', switchId: SWITCH, physPortName: 'vport7' }]);
  });
});
