// The unit files in packaging/systemd: `systemd-analyze verify` is clean for both (and does flag a
// misspelt key, so clean means something), and they say what the daemons and the packages
// assume: notify readiness with a watchdog, restart limits, users, capabilities, hardening, the
// data directories the daemons default to and the config files the packages ship.
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAgentConfig } from '../../agent/src/config/agent-config.js';
import { DEFAULT_DATA_DIR as AGENT_DATA_DIR } from '../../agent/src/config/config-schema.js';
import { DEFAULT_DATA_DIR as COORDINATOR_DATA_DIR, loadConfig } from '../../coordinator/src/config.js';
import { ROOT } from '../harness/cli.js';
import { readUnit, single, UNIT_DIR, words, type UnitFile } from './unit-file.js';
import { addHostUnits, verifyUnits } from './systemd-root.js';

const UNITS = ['mooring-agent.service', 'mooring-coordinator.service'];
let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mooring-unitroot-'));
  await addHostUnits(root);
  await mkdir(path.join(root, 'lib/systemd/system'), { recursive: true });
  await mkdir(path.join(root, 'usr/bin'), { recursive: true });
  for (const name of UNITS) await cp(path.join(UNIT_DIR, name), path.join(root, 'lib/systemd/system', name));
  // ExecStart= must name an executable: stand-ins for the packages' /usr/bin wrappers.
  for (const bin of ['mooring-agent', 'mooring-coordinator']) {
    await writeFile(path.join(root, 'usr/bin', bin), '#!/bin/sh\nexit 0\n');
    await chmod(path.join(root, 'usr/bin', bin), 0o755);
  }
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const service = (unit: UnitFile, key: string): string => single(unit, 'Service', key);

describe('systemd-analyze verify', () => {
  it('finds nothing to say about either unit', async () => {
    expect(await verifyUnits(root, UNITS)).toEqual({ code: 0, output: '' });
  });

  it('does report a misspelt key', async () => {
    const text = await readFile(path.join(UNIT_DIR, 'mooring-agent.service'), 'utf8');
    await writeFile(path.join(root, 'lib/systemd/system/misspelt.service'), text.replace(/^NotifyAccess=all$/m, 'NotifyAcess=all'));
    const result = await verifyUnits(root, ['misspelt.service']);
    expect(result.output).toMatch(/Unknown key 'NotifyAcess' in section \[Service\]/);
  });
});

describe('mooring-agent.service', () => {
  const unit = readUnit('mooring-agent.service');

  it('starts after Open vSwitch, notifies readiness, has a watchdog and a restart limit', () => {
    for (const key of ['After', 'Wants'])
      expect(words(unit, 'Unit', key)).toEqual(expect.arrayContaining(['ovsdb-server.service', 'openvswitch-switch.service']));
    expect(service(unit, 'Type')).toBe('notify');
    expect(service(unit, 'NotifyAccess')).toBe('all'); // the notifier is a child process
    expect(service(unit, 'WatchdogSec')).toMatch(/^\d+s$/);
    expect(service(unit, 'Restart')).toBe('on-failure');
    expect(single(unit, 'Unit', 'StartLimitIntervalSec')).toBeTruthy();
    expect(Number(single(unit, 'Unit', 'StartLimitBurst'))).toBeGreaterThan(0);
    expect(service(unit, 'ExecStart')).toBe('/usr/bin/mooring-agent run --config /etc/mooring/agent.yaml');
  });

  it('runs as root with CAP_NET_ADMIN only, hardened, with /sys writable for SR-IOV', () => {
    expect(service(unit, 'User')).toBe('root');
    expect(words(unit, 'Service', 'CapabilityBoundingSet')).toEqual(['CAP_NET_ADMIN']);
    expect(unit['Service']?.['AmbientCapabilities']).toBeUndefined();
    expect(service(unit, 'ProtectSystem')).toBe('strict');
    expect(words(unit, 'Service', 'ReadWritePaths')).toContain('-/run/openvswitch');
    for (const key of ['PrivateTmp', 'NoNewPrivileges', 'ProtectHome', 'PrivateDevices', 'ProtectKernelModules', 'ProtectControlGroups'])
      expect(service(unit, key)).toBe('yes');
    expect(unit['Service']?.['ProtectKernelTunables']).toBeUndefined(); // sriov_numvfs lives in /sys
    expect(service(unit, 'ProtectProc')).toBe('invisible');
    expect(service(unit, 'PrivateMounts')).toBe('yes');
    expect(words(unit, 'Service', 'RestrictAddressFamilies')).toEqual(['AF_UNIX', 'AF_INET', 'AF_INET6', 'AF_NETLINK']);
  });

  it('keeps its state where the agent looks for it by default', () => {
    expect(`/var/lib/${service(unit, 'StateDirectory')}`).toBe(AGENT_DATA_DIR);
    expect(service(unit, 'StateDirectoryMode')).toBe('0700');
  });

  it('reads a config file the package ships, which the agent accepts as it is', async () => {
    const config = await loadAgentConfig({ configFile: path.join(ROOT, 'packaging/config/agent.yaml'), env: {} });
    expect(config.coordinator).toBeNull();
    expect(config.dataDir).toBe(AGENT_DATA_DIR);
    expect(config.ovsdb.remote).toBe('unix:/run/openvswitch/db.sock');
  });
});

describe('mooring-coordinator.service', () => {
  const unit = readUnit('mooring-coordinator.service');

  it('notifies readiness, has a watchdog and a restart limit', () => {
    expect(service(unit, 'Type')).toBe('notify');
    expect(service(unit, 'NotifyAccess')).toBe('all');
    expect(service(unit, 'WatchdogSec')).toMatch(/^\d+s$/);
    expect(service(unit, 'Restart')).toBe('on-failure');
    expect(Number(single(unit, 'Unit', 'StartLimitBurst'))).toBeGreaterThan(0);
    expect(service(unit, 'ExecStart')).toBe('/usr/bin/mooring-coordinator --config /etc/mooring/coordinator.yaml');
  });

  it('runs as the mooring user with no capabilities, hardened', () => {
    expect(service(unit, 'User')).toBe('mooring');
    expect(unit['Service']?.['CapabilityBoundingSet']).toEqual([]);
    expect(service(unit, 'ProtectSystem')).toBe('strict');
    for (const key of ['PrivateTmp', 'NoNewPrivileges', 'ProtectHome', 'PrivateDevices', 'ProtectKernelTunables'])
      expect(service(unit, key)).toBe('yes');
    expect(service(unit, 'ProtectProc')).toBe('invisible');
    expect(service(unit, 'PrivateMounts')).toBe('yes');
    expect(words(unit, 'Service', 'RestrictAddressFamilies')).toEqual(['AF_UNIX', 'AF_INET', 'AF_INET6', 'AF_NETLINK']);
  });

  it('keeps its state where the coordinator looks for it by default, and its shipped config loads', () => {
    expect(`/var/lib/${service(unit, 'StateDirectory')}`).toBe(COORDINATOR_DATA_DIR);
    expect(service(unit, 'StateDirectoryMode')).toBe('0700');
    const config = loadConfig({ flags: { config: path.join(ROOT, 'packaging/config/coordinator.yaml') }, env: {} });
    expect(config.dataDir).toBe(COORDINATOR_DATA_DIR);
    expect(config.listen).toEqual({ host: '0.0.0.0', port: 7443 });
  });
});
