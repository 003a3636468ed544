// How moorctl prints: aligned tables by default, one JSON document with --json.
import type { Holder__Output, Machine__Output } from '../../../proto/generated/index.js';
import { coresText, hardwareRows, memoryInEffectText } from './hardware-text.js';

export interface Output {
  readonly json: boolean;
  write(text: string): void;
}

export function stdoutOutput(json: boolean): Output {
  return { json, write: (text) => void process.stdout.write(text) };
}

export function printJson(out: Output, value: unknown): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** --json: the value; otherwise a table. */
export function emit(out: Output, value: unknown, headers: readonly string[], rows: readonly (readonly string[])[]): void {
  if (out.json) printJson(out, value);
  else out.write(renderTable(headers, rows));
}

export function short(enumName: string, prefix: string): string {
  return enumName.startsWith(prefix) ? enumName.slice(prefix.length) : enumName;
}

export function holderText(holder: Holder__Output | null): string {
  if (!holder?.kind) return '';
  return holder.kind === 'user' ? `user:${holder.user ?? ''}` : `group:${holder.group ?? ''}`;
}

export function memoryText(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}G` : `${mib}M`;
}

export const MACHINE_HEADERS = ['ID', 'HOSTNAME', 'STATUS', 'OWNER', 'RESERVED', 'POOL', 'ZONE', 'ARCH', 'CORES', 'MEMORY', 'TAGS'];

export function machineRow(m: Machine__Output): string[] {
  return [
    m.id,
    m.hostname,
    short(m.status, 'MACHINE_STATUS_'),
    m.owner,
    holderText(m.reservedFor),
    m.pool,
    m.zone,
    m.arch,
    String(m.cores),
    memoryText(m.memoryMib),
    m.tags.join(','),
  ];
}

function powerText(power: NonNullable<Machine__Output['power']>): string {
  return [
    short(power.driver, 'POWER_DRIVER_').toLowerCase(),
    power.address,
    power.user && `user=${power.user}`,
    power.hasPassword ? 'password=set' : '',
    power.passwordFile && `password-file=${power.passwordFile}`,
    `boot=${short(power.bootMode, 'BOOT_MODE_').toLowerCase()}`,
    power.ipmiCipherSuite && `cipher-suite=${power.ipmiCipherSuite}`,
    power.redfishCaFile && `ca-file=${power.redfishCaFile}`,
    power.redfishTlsVerify === 'REDFISH_TLS_VERIFY_OFF' ? 'tls-verify=off' : '',
    power.redfishTlsVerify === 'REDFISH_TLS_VERIFY_ON' && !power.redfishCaFile ? 'tls-verify=system-cas' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export function machineDetails(m: Machine__Output): string {
  const power = m.power;
  const rows: [string, string][] = [
    ['id', m.id],
    ['hostname', m.hostname],
    ['status', short(m.status, 'MACHINE_STATUS_') + (m.statusReason ? ` (${m.statusReason})` : '')],
    ['owner', m.owner],
    ['reserved for', holderText(m.reservedFor)],
    ['pool', m.pool],
    ['zone', m.zone],
    ['arch', m.arch],
    ['cores', coresText(m)],
    ['memory', memoryInEffectText(m)],
    ...hardwareRows(m.hardware),
    ['tags', m.tags.join(', ')],
    ['power', power ? powerText(power) : ''],
    ['power state', short(m.powerState, 'POWER_STATE_').toLowerCase()],
    ...m.ports.map((p, i): [string, string] => [
      `port ${i}`,
      p.isSmartNic ? `${p.mac} smartNIC agent=${p.smartNicAgentId} port=${p.smartNicPortId}` : p.mac,
    ]),
    ...Object.entries(m.annotations).map(([k, v]): [string, string] => [`annotation ${k}`, v]),
    ['created', m.createdAt],
    ['updated', m.updatedAt],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`.trimEnd()).join('\n') + '\n';
}
