// How `moorctl machine show` prints a machine's hardware facts: one row per fact, after the
// cores and memory in effect (which name the enlisted figures where the BMC's differ).
import type { HardwareFacts__Output, Machine__Output } from '../../../proto/generated/index.js';

type Row = [string, string];

// output.ts imports this file: its two one-line formatters are repeated here rather than imported.
function memoryText(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}G` : `${mib}M`;
}

function sourceText(source: HardwareFacts__Output['source']): string {
  return source.replace(/^HARDWARE_SOURCE_/, '').toLowerCase();
}

function bytesText(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  // Disks are sold in powers of ten: a "960 GB" drive reads 960 GB here.
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/** "16" or, where the BMC's count replaced the typed-in one, "16 (enlisted 8)". */
export function coresText(m: Machine__Output): string {
  return m.hardware?.cores && m.enlistedCores !== m.cores ? `${m.cores} (enlisted ${m.enlistedCores})` : String(m.cores);
}

export function memoryInEffectText(m: Machine__Output): string {
  const replaced = m.hardware?.memoryMib && m.enlistedMemoryMib !== m.memoryMib;
  return replaced ? `${memoryText(m.memoryMib)} (enlisted ${memoryText(m.enlistedMemoryMib)})` : memoryText(m.memoryMib);
}

export function hardwareRows(facts: HardwareFacts__Output | null): Row[] {
  if (!facts) return [['hardware', 'not read from a BMC']];
  const rows: Row[] = [['hardware', `from ${sourceText(facts.source)}, read ${facts.gatheredAt}`]];
  const system = [facts.manufacturer, facts.model, facts.serial && `serial ${facts.serial}`].filter(Boolean).join(' ');
  if (system) rows.push(['hw system', system]);
  if (facts.cores || facts.threads) {
    rows.push(['hw cpu', [facts.cores && `${facts.cores} cores`, facts.threads && `${facts.threads} threads`].filter(Boolean).join(', ')]);
  }
  if (facts.memoryMib) rows.push(['hw memory', memoryText(facts.memoryMib)]);
  facts.nics.forEach((nic, i) => {
    rows.push([`hw nic ${i}`, [nic.mac, nic.name, nic.speedMbps && `${nic.speedMbps} Mb/s`].filter(Boolean).join(' ')]);
  });
  facts.disks.forEach((disk, i) => {
    const parts = [disk.name, disk.sizeBytes && bytesText(disk.sizeBytes), disk.model, disk.serial && `serial ${disk.serial}`];
    rows.push([`hw disk ${i}`, parts.filter(Boolean).join(' ')]);
  });
  if (facts.bmcMac) rows.push(['hw bmc mac', facts.bmcMac]);
  return rows;
}
