// The provisioning network's options as loadConfig reads them from the environment: checked once,
// each problem a ConfigError naming the option; and the network a coordinator makes from them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../coordinator/src/config.js';
import { failure } from '../harness/call-outcome.js';
import { startCoordinator } from '../harness/coordinator-fixture.js';
import { SimulatedFabric } from '../harness/simulated-fabric.js';

const base = { MOORING_OVN_NORTHBOUND: 'unix:/run/ovn/ovnnb_db.sock', MOORING_DATA_DIR: '/tmp/mooring-prov-config' };
const load = (env: Record<string, string>): ReturnType<typeof loadConfig> => loadConfig({ flags: {}, env: { ...base, ...env } });

describe('provisioning configuration', () => {
  it('is off without a CIDR, and otherwise normalised with its defaults', () => {
    expect(load({}).provisioning).toBeNull();
    expect(load({ MOORING_PROVISIONING_CIDR: '10.77.0.0/24' }).provisioning).toEqual({
      cidr: '10.77.0.0/24',
      router: null,
      leaseSeconds: 600,
      bootfileAlt: null,
    });
    expect(
      load({
        MOORING_PROVISIONING_CIDR: '10.77.0.0/22',
        MOORING_PROVISIONING_ROUTER: '10.77.0.1',
        MOORING_PROVISIONING_LEASE_SECONDS: '120',
        MOORING_PROVISIONING_BOOTFILE_ALT: 'http://10.77.0.1:8080/ipxe.efi',
      }).provisioning,
    ).toEqual({ cidr: '10.77.0.0/22', router: '10.77.0.1', leaseSeconds: 120, bootfileAlt: 'http://10.77.0.1:8080/ipxe.efi' });
  });

  it('refuses bad options, naming them', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ MOORING_PROVISIONING_ROUTER: '10.77.0.1' }, /^provisioningRouter: is set but provisioningCidr is not$/],
      [{ MOORING_PROVISIONING_CIDR: '10.77.0.3/24' }, /^provisioningCidr: 10\.77\.0\.3\/24 is not aligned/],
      [{ MOORING_PROVISIONING_CIDR: '10.77.0.0/31' }, /^provisioningCidr: prefix \/31 is outside/],
      [
        { MOORING_PROVISIONING_CIDR: '10.77.0.0/24', MOORING_PROVISIONING_ROUTER: '10.78.0.1' },
        /^provisioningRouter: 10\.78\.0\.1 is not a host/,
      ],
      [{ MOORING_PROVISIONING_CIDR: '10.77.0.0/24', MOORING_PROVISIONING_ROUTER: '10.77.0.255' }, /^provisioningRouter: /],
      [{ MOORING_PROVISIONING_CIDR: '10.77.0.0/24', MOORING_PROVISIONING_LEASE_SECONDS: '5' }, /provisioningLeaseSeconds/],
      [
        { MOORING_PROVISIONING_CIDR: '10.77.0.0/24', MOORING_PROVISIONING_BOOTFILE_ALT: 'http://x/a b' },
        /^provisioningBootfileAlt: must be/,
      ],
    ];
    for (const [env, message] of cases) {
      expect(() => load(env)).toThrow(ConfigError);
      expect(() => load(env)).toThrow(message);
    }
    expect(() => loadConfig({ flags: {}, env: { MOORING_PROVISIONING_CIDR: '10.77.0.0/24' } })).toThrow(
      /^provisioningCidr: the provisioning network is an OVN network: set ovnNorthbound too$/,
    );
  });
});

describe('the provisioning network of a running coordinator (simulated fabric)', () => {
  it('is made at start, once, shown to admins only, and cannot be deleted', async () => {
    const flags = { ovnNorthbound: 'unix:/nonexistent/ovnnb.sock', provisioningCidr: '10.77.0.0/24' };
    const fabric = new SimulatedFabric();
    const dataDir = mkdtempSync(join(tmpdir(), 'mooring-prov-'));
    let f = await startCoordinator({ networkFabric: fabric, flags, dataDir });
    try {
      const listed = await f.admin.call('NetworkService', 'ListNetworks', {});
      expect(listed.networks.map((n) => [n.name, n.cidr])).toEqual([['provisioning', '10.77.0.0/24']]);
      const id = listed.networks[0]!.id;
      const mia = await f.user('mia', 'member');
      expect((await mia.call('NetworkService', 'ListNetworks', {})).networks).toEqual([]);
      expect(await failure(mia.call('NetworkService', 'GetNetwork', { name: 'provisioning' }))).toEqual({
        code: 'NOT_FOUND',
        details: 'network provisioning not found',
      });
      expect((await failure(f.admin.call('NetworkService', 'DeleteNetwork', { name: 'provisioning' }))).code).toBe('FAILED_PRECONDITION');
      expect((await failure(mia.call('NetworkService', 'CreateNetwork', { name: 'provisioning' }))).code).toBe('FAILED_PRECONDITION');
      await f.close();
      f = await startCoordinator({ networkFabric: fabric, flags, dataDir });
      const again = await f.admin.call('NetworkService', 'ListNetworks', {});
      expect(again.networks.map((n) => n.id)).toEqual([id]);
      // The reconcile at start carries it to the fabric.
      await f.coordinator.networks.reconciled;
      expect(fabric.networks.get(id)).toEqual({ id, name: 'provisioning', cidr: '10.77.0.0/24' });
    } finally {
      await f.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
