// The hardware of the Redfish BMC SIMULATION (redfish-bmc.ts serves it): the ComputerSystem's
// inventory properties and the resources they link to, shaped as DMTF's schemas (DSP8010) give
// them and as real BMCs serve them:
// - ComputerSystem: Manufacturer, Model, SerialNumber, ProcessorSummary{Count, CoreCount,
//   LogicalProcessorCount}, MemorySummary{TotalSystemMemoryGiB}, links to Processors, Memory,
//   EthernetInterfaces, Storage;
// - collections {Members, Members@odata.count}, paged with Members@odata.nextLink (?$skip=N) when
//   `pageSize` is set;
// - empty CPU sockets and DIMM slots listed with Status.State "Absent" (as Dell and HPE BMCs do);
// - Storage/{id} with Drives[] links, Drive with CapacityBytes, Model, SerialNumber;
// - a collection can be left out of the system (`omit`) or linked but answer 404 (`missing`),
//   both seen on real BMCs (no Storage on a diskless node; SimpleStorage-only firmware).

export interface SimCpu {
  readonly cores: number;
  readonly threads: number;
  readonly model?: string;
  /** An empty socket: listed, Status.State Absent. */
  readonly absent?: boolean;
  /** Other than 'CPU' (a GPU or accelerator listed among the Processors). */
  readonly type?: string;
}

export interface SimDimm {
  readonly capacityMib: number;
  readonly absent?: boolean;
}

export interface SimNic {
  readonly id: string;
  readonly mac: string;
  readonly speedMbps?: number;
}

export interface SimDrive {
  readonly name: string;
  readonly capacityBytes: number;
  readonly model: string;
  readonly serial: string;
}

type Collection = 'Processors' | 'Memory' | 'EthernetInterfaces' | 'Storage';

export interface SimHardwareSpec {
  readonly manufacturer: string;
  readonly model: string;
  readonly serial: string;
  readonly cpus: readonly SimCpu[];
  readonly dimms: readonly SimDimm[];
  readonly nics: readonly SimNic[];
  readonly drives: readonly SimDrive[];
  /** Collections the system does not link to at all. */
  readonly omit?: readonly Collection[];
  /** Collections the system links to but that answer 404. */
  readonly missing?: readonly Collection[];
  /** Members per collection page (default: all on one page). */
  readonly pageSize?: number;
}

const SYSTEM = '/redfish/v1/Systems/1';

export class SimulatedHardware {
  /** The inventory properties of the ComputerSystem resource. */
  readonly systemFields: Record<string, unknown>;
  private readonly resources = new Map<string, unknown>();
  private readonly collections = new Map<string, string[]>();

  constructor(readonly spec: SimHardwareSpec) {
    const present = <T extends { absent?: boolean }>(items: readonly T[]): T[] => items.filter((item) => !item.absent);
    this.collection(
      'Processors',
      spec.cpus.map((cpu, i) => [
        `CPU${i + 1}`,
        {
          '@odata.type': '#Processor.v1_18_0.Processor',
          Id: `CPU${i + 1}`,
          Name: `Processor ${i + 1}`,
          ProcessorType: cpu.type ?? 'CPU',
          ...(cpu.absent ? {} : { TotalCores: cpu.cores, TotalThreads: cpu.threads, Model: cpu.model ?? 'Simulated CPU' }),
          Status: { State: cpu.absent ? 'Absent' : 'Enabled', Health: 'OK' },
        },
      ]),
    );
    this.collection(
      'Memory',
      spec.dimms.map((dimm, i) => [
        `DIMM${i}`,
        {
          '@odata.type': '#Memory.v1_17_0.Memory',
          Id: `DIMM${i}`,
          Name: `DIMM ${i}`,
          ...(dimm.absent ? {} : { CapacityMiB: dimm.capacityMib, MemoryDeviceType: 'DDR5' }),
          Status: { State: dimm.absent ? 'Absent' : 'Enabled' },
        },
      ]),
    );
    this.collection(
      'EthernetInterfaces',
      spec.nics.map((nic) => [
        nic.id,
        {
          '@odata.type': '#EthernetInterface.v1_9_0.EthernetInterface',
          Id: nic.id,
          Name: `Ethernet interface ${nic.id}`,
          // Upper case, as many BMCs print them.
          MACAddress: nic.mac.toUpperCase(),
          PermanentMACAddress: nic.mac.toUpperCase(),
          ...(nic.speedMbps === undefined ? {} : { SpeedMbps: nic.speedMbps }),
          Status: { State: 'Enabled' },
        },
      ]),
    );
    const drives = spec.drives.map((drive, i): [string, unknown] => [
      `${SYSTEM}/Storage/1/Drives/${i}`,
      {
        '@odata.type': '#Drive.v1_17_0.Drive',
        Id: String(i),
        Name: drive.name,
        CapacityBytes: drive.capacityBytes,
        Model: drive.model,
        SerialNumber: drive.serial,
        Status: { State: 'Enabled' },
      },
    ]);
    for (const [path, body] of drives) this.resources.set(path, { '@odata.id': path, ...(body as object) });
    this.collection('Storage', [
      [
        '1',
        {
          '@odata.type': '#Storage.v1_15_0.Storage',
          Id: '1',
          Name: 'Storage controller',
          Drives: drives.map(([path]) => ({ '@odata.id': path })),
        },
      ],
    ]);
    const gib = present(spec.dimms).reduce((total, dimm) => total + dimm.capacityMib, 0) / 1024;
    const cpus = present(spec.cpus).filter((cpu) => (cpu.type ?? 'CPU') === 'CPU');
    this.systemFields = {
      Manufacturer: spec.manufacturer,
      Model: spec.model,
      SerialNumber: spec.serial,
      ProcessorSummary: {
        Count: cpus.length,
        CoreCount: cpus.reduce((total, cpu) => total + cpu.cores, 0),
        LogicalProcessorCount: cpus.reduce((total, cpu) => total + cpu.threads, 0),
      },
      MemorySummary: { TotalSystemMemoryGiB: gib },
      ...Object.fromEntries(
        (['Processors', 'Memory', 'EthernetInterfaces', 'Storage'] as const)
          .filter((name) => !spec.omit?.includes(name))
          .map((name) => [name, { '@odata.id': `${SYSTEM}/${name}` }]),
      ),
    };
  }

  /** The resource at `url` (a path, with an optional ?$skip=N), or undefined if there is none. */
  get(url: string): unknown {
    const parsed = new URL(url, 'http://bmc.invalid');
    const path = parsed.pathname.replace(/\/+$/, '');
    const name = path.slice(SYSTEM.length + 1);
    if (this.spec.missing?.some((missing) => path === `${SYSTEM}/${missing}` || path.startsWith(`${SYSTEM}/${missing}/`))) return undefined;
    if (this.spec.omit?.some((omitted) => name === omitted)) return undefined;
    const members = this.collections.get(path);
    if (members) return this.page(path, members, Number(parsed.searchParams.get('$skip') ?? '0'));
    return this.resources.get(path);
  }

  private collection(name: Collection, members: [string, unknown][]): void {
    const path = `${SYSTEM}/${name}`;
    this.collections.set(
      path,
      members.map(([id]) => `${path}/${id}`),
    );
    for (const [id, body] of members) this.resources.set(`${path}/${id}`, { '@odata.id': `${path}/${id}`, ...(body as object) });
  }

  private page(path: string, members: readonly string[], skip: number): unknown {
    const size = this.spec.pageSize ?? members.length;
    const shown = members.slice(skip, skip + Math.max(size, 1));
    const next = skip + shown.length < members.length ? { 'Members@odata.nextLink': `${path}?$skip=${skip + shown.length}` } : {};
    return {
      '@odata.id': path,
      Name: `${path.split('/').pop()} collection`,
      'Members@odata.count': members.length,
      Members: shown.map((member) => ({ '@odata.id': member })),
      ...next,
    };
  }
}

/** A two-socket server as a Redfish BMC reports it: 2 x 16 cores / 32 threads, 8 x 32 GiB, two NICs, two drives. */
export function rackServer(overrides: Partial<SimHardwareSpec> = {}): SimulatedHardware {
  return new SimulatedHardware({
    manufacturer: 'Contoso',
    model: 'R7625',
    serial: 'CNSO-4417',
    cpus: [
      { cores: 16, threads: 32, model: 'Simulated EPYC 9124' },
      { cores: 16, threads: 32, model: 'Simulated EPYC 9124' },
    ],
    dimms: [
      ...Array.from({ length: 8 }, () => ({ capacityMib: 32768 })),
      { capacityMib: 0, absent: true },
      { capacityMib: 0, absent: true },
    ],
    nics: [
      { id: 'NIC.Integrated.1-1', mac: '0c:c4:7a:00:10:01', speedMbps: 25000 },
      { id: 'NIC.Integrated.1-2', mac: '0c:c4:7a:00:10:02', speedMbps: 25000 },
    ],
    drives: [
      { name: 'NVMe bay 0', capacityBytes: 960_197_124_096, model: 'Simulated NVMe 960', serial: 'NVME-0001' },
      { name: 'NVMe bay 1', capacityBytes: 960_197_124_096, model: 'Simulated NVMe 960', serial: 'NVME-0002' },
    ],
    ...overrides,
  });
}

/** What commissioning should read from rackServer() besides cores, threads and memory (the stored facts' form). */
export const RACK_SERVER_FACTS = {
  manufacturer: 'Contoso',
  model: 'R7625',
  serial: 'CNSO-4417',
  nics: [
    { mac: '0c:c4:7a:00:10:01', name: 'NIC.Integrated.1-1', speedMbps: 25000 },
    { mac: '0c:c4:7a:00:10:02', name: 'NIC.Integrated.1-2', speedMbps: 25000 },
  ],
  disks: [
    { name: 'NVMe bay 0', sizeBytes: 960_197_124_096, model: 'Simulated NVMe 960', serial: 'NVME-0001' },
    { name: 'NVMe bay 1', sizeBytes: 960_197_124_096, model: 'Simulated NVMe 960', serial: 'NVME-0002' },
  ],
};
