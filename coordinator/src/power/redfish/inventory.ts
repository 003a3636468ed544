// Hardware inventory over Redfish: the ComputerSystem, then the collections it links to
// (Processors, Memory, EthernetInterfaces, Storage and its Drives, or SimpleStorage on older
// BMCs). The system itself must be readable; a collection the BMC does not have (no link, or 404)
// leaves its facts unknown, as Ironic's redfish inspection does. Counts come from the members
// (present CPUs, populated DIMMs), else from the system's ProcessorSummary / MemorySummary.
import type { Logger } from '../../logger.js';
import type { HardwareDisk, HardwareInventory, HardwareNic } from '../../machines/hardware-facts.js';
import { RedfishNotFoundError } from '../errors.js';
import type { BmcConnection, CallContext } from './bmc-connection.js';
import {
  parseCollection,
  parseDrive,
  parseEthernetInterface,
  parseMemory,
  parseProcessor,
  parseSimpleStorage,
  parseStorageDrives,
  parseSystemSummary,
  type DriveFacts,
} from './inventory-schema.js';

/** Members fetched at once from one BMC (BMCs are small computers; Ironic reads them one by one). */
const MEMBER_CONCURRENCY = 4;
/** Collection pages followed (Members@odata.nextLink) before giving up on the rest. */
const MAX_PAGES = 16;

interface Reader {
  readonly connection: BmcConnection;
  readonly context: CallContext;
  readonly logger: Logger;
}

export async function readRedfishInventory(
  connection: BmcConnection,
  systemPath: string,
  context: CallContext,
  logger: Logger,
): Promise<HardwareInventory> {
  const reader: Reader = { connection, context, logger };
  const { body } = await connection.getJson(systemPath, context);
  const system = parseSystemSummary(body);
  const [processors, memory, nics, disks] = await Promise.all([
    readMembers(reader, system.links.processors, parseProcessor),
    readMembers(reader, system.links.memory, parseMemory),
    readMembers(reader, system.links.ethernetInterfaces, parseEthernetInterface),
    readDisks(reader, system.links.storage, system.links.simpleStorage),
  ]);
  const cpus = processors.filter((p) => p.present && p.isCpu);
  const dimms = memory.filter((m) => m.present && (m.capacityMib ?? 0) > 0);
  return {
    cores: sumOf(cpus.map((p) => p.cores)) ?? system.coreCount,
    threads: sumOf(cpus.map((p) => p.threads)) ?? system.logicalProcessorCount,
    memoryMib: sumOf(dimms.map((m) => m.capacityMib)) ?? system.totalMemoryMib,
    manufacturer: system.manufacturer,
    model: system.model,
    serial: system.serial,
    nics: nics
      .filter((nic) => nic.mac !== null)
      .map((nic): HardwareNic => ({ mac: nic.mac ?? '', name: nic.name, speedMbps: nic.speedMbps })),
    disks: disks
      .filter((d) => d.present)
      .map((d, i): HardwareDisk => ({ name: d.name ?? `disk${i}`, sizeBytes: d.sizeBytes, model: d.model, serial: d.serial })),
    bmcMac: null,
  };
}

/** The sum, or null when there is nothing to add or one of the values is unknown. */
function sumOf(values: readonly (number | null)[]): number | null {
  if (values.length === 0 || values.some((v) => v === null)) return null;
  return values.reduce<number>((total, v) => total + (v ?? 0), 0);
}

/** GET that answers null for a resource the BMC does not have (404). */
async function getOptional(reader: Reader, path: string): Promise<unknown> {
  try {
    return (await reader.connection.getJson(path, reader.context)).body;
  } catch (error) {
    if (!(error instanceof RedfishNotFoundError)) throw error;
    reader.logger.info({ bmc: reader.connection.bmc, path }, 'redfish inventory: resource absent (404); its facts stay unknown');
    return null;
  }
}

async function memberLinks(reader: Reader, collectionPath: string): Promise<string[]> {
  const links: string[] = [];
  let page: string | null = collectionPath;
  for (let pages = 0; page !== null && pages < MAX_PAGES; pages++) {
    const body = await getOptional(reader, page);
    if (body === null) break;
    const { members, nextLink } = parseCollection(body);
    links.push(...members);
    page = nextLink;
  }
  return [...new Set(links)];
}

/** Every member of a collection, parsed; [] when the system does not link it or the BMC lacks it. */
async function readMembers<T>(reader: Reader, collectionPath: string | null, parse: (body: unknown) => T): Promise<T[]> {
  if (collectionPath === null) return [];
  return readAll(reader, await memberLinks(reader, collectionPath), parse);
}

async function readAll<T>(reader: Reader, paths: readonly string[], parse: (body: unknown) => T): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < paths.length; start += MEMBER_CONCURRENCY) {
    const bodies = await Promise.all(paths.slice(start, start + MEMBER_CONCURRENCY).map((path) => getOptional(reader, path)));
    for (const body of bodies) if (body !== null) results.push(parse(body));
  }
  return results;
}

async function readDisks(reader: Reader, storagePath: string | null, simpleStoragePath: string | null): Promise<DriveFacts[]> {
  if (storagePath !== null) {
    const storages = await readMembers(reader, storagePath, parseStorageDrives);
    const drives = [...new Set(storages.flat())];
    if (drives.length > 0) return readAll(reader, drives, parseDrive);
  }
  if (simpleStoragePath === null) return [];
  return (await readMembers(reader, simpleStoragePath, parseSimpleStorage)).flat();
}
