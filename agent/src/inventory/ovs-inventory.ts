// The OVS part of the inventory, read from the agent's OVSDB replica (PortBinder.replicaMonitor.replica):
// the Open_vSwitch row's ovs_version (set by ovs-ctl at start; null where nothing set it) and the
// names of the Bridge rows.

import { execFile } from 'node:child_process';
import { OvsNotSyncedError } from './errors.js';

/** What the inventory needs of an OVSDB replica; Replica satisfies it. */
export interface OvsRowSource {
  rows(table: string): Iterable<Readonly<Record<string, unknown>>>;
}

export interface OvsInventory {
  version: string | null;
  bridges: string[];
}

export function readOvsInventory(source: OvsRowSource): OvsInventory {
  const root = [...source.rows('Open_vSwitch')][0];
  if (!root) throw new OvsNotSyncedError();
  const version = typeof root.ovs_version === 'string' && root.ovs_version !== '' ? root.ovs_version : null;
  const bridges = [...source.rows('Bridge')].map((b) => b.name).filter((n): n is string => typeof n === 'string');
  return { version, bridges: bridges.sort() };
}

/**
 * The version the local ovs-vswitchd binary reports ("ovs-vswitchd (Open vSwitch) 3.1.0"), for
 * when nothing wrote Open_vSwitch.ovs_version (ovs-ctl does; daemons started otherwise do not).
 * null when the binary is not here (a remote OVSDB) or says something else.
 */
export function vswitchdVersion(binary = 'ovs-vswitchd', timeoutMs = 3000): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(binary, ['--version'], { timeout: timeoutMs }, (err, stdout) => {
      resolve(err ? null : (/\(Open vSwitch\) (\S+)/.exec(stdout)?.[1] ?? null));
    });
  });
}
