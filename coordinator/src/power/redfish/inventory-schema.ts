// The parts of DMTF Redfish resources that hardware inventory uses, read from their JSON (pure).
// Schemas (DSP8010): ComputerSystem (Manufacturer, Model, SerialNumber, ProcessorSummary{CoreCount,
// LogicalProcessorCount}, MemorySummary{TotalSystemMemoryGiB} and links to Processors, Memory,
// EthernetInterfaces, Storage, SimpleStorage); Processor (ProcessorType, TotalCores, TotalThreads);
// Memory (CapacityMiB); EthernetInterface (MACAddress, PermanentMACAddress, SpeedMbps); Storage
// (Drives[] links); Drive (CapacityBytes, Model, SerialNumber); SimpleStorage (Devices[]). Every
// resource may carry Status{State}: "Absent" marks an empty socket, slot or bay.

export interface SystemSummary {
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly serial: string | null;
  readonly coreCount: number | null;
  readonly logicalProcessorCount: number | null;
  /** MemorySummary.TotalSystemMemoryGiB in MiB. */
  readonly totalMemoryMib: number | null;
  readonly links: {
    readonly processors: string | null;
    readonly memory: string | null;
    readonly ethernetInterfaces: string | null;
    readonly storage: string | null;
    readonly simpleStorage: string | null;
  };
}

export interface ProcessorFacts {
  readonly present: boolean;
  /** Counted as a CPU: ProcessorType CPU, or no type given (older schemas). */
  readonly isCpu: boolean;
  readonly cores: number | null;
  readonly threads: number | null;
}

export interface MemoryFacts {
  readonly present: boolean;
  readonly capacityMib: number | null;
}

export interface EthernetFacts {
  readonly mac: string | null;
  readonly name: string | null;
  readonly speedMbps: number | null;
}

export interface DriveFacts {
  readonly present: boolean;
  readonly name: string | null;
  readonly sizeBytes: number | null;
  readonly model: string | null;
  readonly serial: string | null;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function wholeNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
}

function link(value: unknown): string | null {
  return text(record(value)['@odata.id']);
}

function present(resource: Record<string, unknown>): boolean {
  return record(resource['Status'])['State'] !== 'Absent';
}

export function parseSystemSummary(body: unknown): SystemSummary {
  const system = record(body);
  const processors = record(system['ProcessorSummary']);
  const memory = record(system['MemorySummary']);
  const gib = memory['TotalSystemMemoryGiB'];
  return {
    manufacturer: text(system['Manufacturer']),
    model: text(system['Model']),
    serial: text(system['SerialNumber']),
    coreCount: wholeNumber(processors['CoreCount']),
    logicalProcessorCount: wholeNumber(processors['LogicalProcessorCount']),
    totalMemoryMib: typeof gib === 'number' && Number.isFinite(gib) && gib > 0 ? Math.round(gib * 1024) : null,
    links: {
      processors: link(system['Processors']),
      memory: link(system['Memory']),
      ethernetInterfaces: link(system['EthernetInterfaces']),
      storage: link(system['Storage']),
      simpleStorage: link(system['SimpleStorage']),
    },
  };
}

/** A collection's member links and its next page (Members@odata.nextLink), if any. */
export function parseCollection(body: unknown): { members: string[]; nextLink: string | null } {
  const collection = record(body);
  const members = Array.isArray(collection['Members']) ? collection['Members'] : [];
  return {
    members: members.map(link).filter((path): path is string => path !== null),
    nextLink: text(collection['Members@odata.nextLink']),
  };
}

export function parseProcessor(body: unknown): ProcessorFacts {
  const processor = record(body);
  const type = text(processor['ProcessorType']);
  return {
    present: present(processor),
    isCpu: type === null || type === 'CPU',
    cores: wholeNumber(processor['TotalCores']),
    threads: wholeNumber(processor['TotalThreads']),
  };
}

export function parseMemory(body: unknown): MemoryFacts {
  const memory = record(body);
  return { present: present(memory), capacityMib: wholeNumber(memory['CapacityMiB']) };
}

export function parseEthernetInterface(body: unknown): EthernetFacts {
  const nic = record(body);
  return {
    // PermanentMACAddress is the burned-in one; MACAddress may be overridden by the OS.
    mac: text(nic['PermanentMACAddress']) ?? text(nic['MACAddress']),
    name: text(nic['Id']) ?? text(nic['Name']),
    speedMbps: wholeNumber(nic['SpeedMbps']),
  };
}

/** The drive links of a Storage resource. */
export function parseStorageDrives(body: unknown): string[] {
  const drives = record(body)['Drives'];
  return Array.isArray(drives) ? drives.map(link).filter((path): path is string => path !== null) : [];
}

export function parseDrive(body: unknown): DriveFacts {
  const drive = record(body);
  return {
    present: present(drive),
    name: text(drive['Name']) ?? text(drive['Id']),
    sizeBytes: wholeNumber(drive['CapacityBytes']),
    model: text(drive['Model']),
    serial: text(drive['SerialNumber']),
  };
}

/** SimpleStorage (older BMCs): Devices[] inline, each with Name, Model, CapacityBytes. */
export function parseSimpleStorage(body: unknown): DriveFacts[] {
  const devices = record(body)['Devices'];
  if (!Array.isArray(devices)) return [];
  return devices.map((device) => {
    const d = record(device);
    return {
      present: present(d),
      name: text(d['Name']),
      sizeBytes: wholeNumber(d['CapacityBytes']),
      model: text(d['Model']),
      serial: null,
    };
  });
}
