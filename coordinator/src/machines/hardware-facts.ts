// A machine's hardware facts: what its BMC reported at commissioning (Redfish: the ComputerSystem
// and its Processors, Memory, EthernetInterfaces and Storage; IPMI: the FRU inventory and the BMC's
// LAN MAC), with the source and the time they were read. Pure: normalising a driver's report,
// the values in effect (a fact wins over what was typed in at enlistment) and the mismatches
// between the two. machine.ts imports this file, so the functions take the fields they read.

export interface HardwareNic {
  /** Lower case, colon separated. */
  readonly mac: string;
  readonly name: string | null;
  readonly speedMbps: number | null;
}

export interface HardwareDisk {
  readonly name: string;
  readonly sizeBytes: number | null;
  readonly model: string | null;
  readonly serial: string | null;
}

/** What a power driver's inventory() reads; null (or empty) where the BMC did not say. */
export interface HardwareInventory {
  /** Physical CPU cores, all sockets. */
  readonly cores: number | null;
  /** Hardware threads (logical processors), all sockets. */
  readonly threads: number | null;
  readonly memoryMib: number | null;
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly serial: string | null;
  readonly nics: readonly HardwareNic[];
  readonly disks: readonly HardwareDisk[];
  /** The BMC's own LAN MAC address. */
  readonly bmcMac: string | null;
}

/** The power drivers that read hardware. */
export const HARDWARE_SOURCES = ['redfish', 'ipmi'] as const;
export type HardwareSource = (typeof HARDWARE_SOURCES)[number];

/** The fields of a machine record the functions below read. */
export interface TypedHardware {
  readonly cores: number;
  readonly memoryMib: number;
  readonly ports: readonly { readonly mac: string }[];
  /** Absent in records stored before facts existed, and until a commissioning gathers some. */
  readonly hardware?: HardwareFacts | undefined;
}

export interface HardwareFacts extends HardwareInventory {
  readonly source: HardwareSource;
  /** Milliseconds since the Unix epoch. */
  readonly gatheredAt: number;
}

export const EMPTY_INVENTORY: HardwareInventory = Object.freeze({
  cores: null,
  threads: null,
  memoryMib: null,
  manufacturer: null,
  model: null,
  serial: null,
  nics: [],
  disks: [],
  bmcMac: null,
});

const MAC = /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i;

/** A MAC in canonical form (lower case, colons), or null for a malformed or all-zero one. */
export function canonicalMac(value: string | null | undefined): string | null {
  const text = value?.trim() ?? '';
  if (!MAC.test(text)) return null;
  const mac = text.toLowerCase().replace(/-/g, ':');
  return mac === '00:00:00:00:00:00' ? null : mac;
}

function cleanText(value: string | null | undefined): string | null {
  const text = value?.trim() ?? '';
  return text === '' ? null : text;
}

function count(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}

/**
 * A driver's report made safe to store: trimmed text (empty -> null), whole positive numbers only,
 * canonical MACs with malformed ones, all-zero ones and repeats dropped.
 */
export function normaliseInventory(raw: HardwareInventory): HardwareInventory {
  const nics: HardwareNic[] = [];
  const seen = new Set<string>();
  for (const nic of raw.nics) {
    const mac = canonicalMac(nic.mac);
    if (mac === null || seen.has(mac)) continue;
    seen.add(mac);
    nics.push({ mac, name: cleanText(nic.name), speedMbps: count(nic.speedMbps) });
  }
  const disks = raw.disks.map((disk, index): HardwareDisk => ({
    name: cleanText(disk.name) ?? `disk${index}`,
    sizeBytes: count(disk.sizeBytes),
    model: cleanText(disk.model),
    serial: cleanText(disk.serial),
  }));
  return {
    cores: count(raw.cores),
    threads: count(raw.threads),
    memoryMib: count(raw.memoryMib),
    manufacturer: cleanText(raw.manufacturer),
    model: cleanText(raw.model),
    serial: cleanText(raw.serial),
    nics,
    disks,
    bmcMac: canonicalMac(raw.bmcMac),
  };
}

/** Whether the report holds any fact at all (a BMC without FRU data and without a LAN MAC holds none). */
export function holdsFacts(inventory: HardwareInventory): boolean {
  return (
    inventory.cores !== null ||
    inventory.threads !== null ||
    inventory.memoryMib !== null ||
    inventory.manufacturer !== null ||
    inventory.model !== null ||
    inventory.serial !== null ||
    inventory.nics.length > 0 ||
    inventory.disks.length > 0 ||
    inventory.bmcMac !== null
  );
}

/** Cores in effect: the BMC's count when it gave one, else what was typed in at enlistment. */
export function effectiveCores(machine: Pick<TypedHardware, 'cores' | 'hardware'>): number {
  return machine.hardware?.cores ?? machine.cores;
}

/** Memory in effect (MiB): the BMC's figure when it gave one, else the enlisted value. */
export function effectiveMemoryMib(machine: Pick<TypedHardware, 'memoryMib' | 'hardware'>): number {
  return machine.hardware?.memoryMib ?? machine.memoryMib;
}

export interface HardwareMismatch {
  /** 'cores', 'memoryMib' or 'port <mac>'. */
  readonly field: string;
  readonly typed: string;
  readonly found: string;
}

/**
 * Where the facts contradict what was typed in: cores and memory (when the BMC gave them), and
 * port MACs the BMC does not list (only when it listed NICs at all: many BMCs list none).
 */
export function compareWithTyped(machine: TypedHardware, facts: HardwareInventory): HardwareMismatch[] {
  const mismatches: HardwareMismatch[] = [];
  if (facts.cores !== null && facts.cores !== machine.cores) {
    mismatches.push({ field: 'cores', typed: String(machine.cores), found: String(facts.cores) });
  }
  if (facts.memoryMib !== null && facts.memoryMib !== machine.memoryMib) {
    mismatches.push({ field: 'memoryMib', typed: `${machine.memoryMib} MiB`, found: `${facts.memoryMib} MiB` });
  }
  if (facts.nics.length > 0) {
    const reported = new Set(facts.nics.map((nic) => nic.mac));
    for (const port of machine.ports) {
      const mac = canonicalMac(port.mac);
      if (mac !== null && !reported.has(mac)) {
        mismatches.push({ field: `port ${mac}`, typed: 'enlisted', found: 'not among the NICs the BMC reports' });
      }
    }
  }
  return mismatches;
}

/** One line for the event log: "cores: enlisted 8, redfish reports 16; memory ...". */
export function describeMismatches(source: HardwareSource, mismatches: readonly HardwareMismatch[]): string {
  return mismatches
    .map((m) => {
      if (m.field === 'cores') return `cores: enlisted ${m.typed}, ${source} reports ${m.found}`;
      if (m.field === 'memoryMib') return `memory: enlisted ${m.typed}, ${source} reports ${m.found}`;
      return `${m.field}: ${m.typed}, ${m.found}`;
    })
    .join('; ');
}
