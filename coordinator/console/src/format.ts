// How values from the API read on screen.
import type { Holder } from './wire-types.js';

/** 'MACHINE_STATUS_FAILED_DEPLOYMENT' -> 'FAILED_DEPLOYMENT'. */
export function enumName(value: string | undefined, prefix: string, fallback = '—'): string {
  if (!value) return fallback;
  return value.startsWith(prefix) ? value.slice(prefix.length) : value;
}

export const statusName = (s: string | undefined): string => enumName(s, 'MACHINE_STATUS_', 'UNSPECIFIED');
export const powerName = (s: string | undefined): string => enumName(s, 'POWER_STATE_', 'UNKNOWN');
export const roleName = (s: string | undefined): string => enumName(s, 'ROLE_', 'unspecified').toLowerCase();

export function holderText(holder: Holder | null | undefined): string {
  if (!holder) return '';
  if (holder.user) return `user ${holder.user}`;
  if (holder.group) return `group ${holder.group}`;
  return '';
}

export function num(value: number | string | undefined): number {
  if (value === undefined) return 0;
  return typeof value === 'number' ? value : Number(value);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function bytes(value: number | string | undefined): string {
  let n = num(value);
  let unit = 0;
  while (n >= 1024 && unit < UNITS.length - 1) {
    n /= 1024;
    unit++;
  }
  return `${n >= 10 || unit === 0 ? Math.round(n) : n.toFixed(1)} ${UNITS[unit]}`;
}

export function time(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z');
}

/** Parses '8G', '512M', '1T', or a plain number of bytes; null if it is none of those. */
export function parseSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(i?B)?\s*$/i.exec(text);
  if (!m) return null;
  const power = ['', 'K', 'M', 'G', 'T'].indexOf((m[2] ?? '').toUpperCase());
  return Math.round(Number(m[1]) * 1024 ** power);
}

export const MACHINE_STATUSES = [
  'NEW',
  'COMMISSIONING',
  'READY',
  'ALLOCATED',
  'DEPLOYING',
  'DEPLOYED',
  'RELEASING',
  'BROKEN',
  'FAILED_COMMISSIONING',
  'FAILED_DEPLOYMENT',
] as const;
