// Bad input the coordinator used to accept, refused over real gRPC and TLS by a real coordinator:
// port bindings through an agent with NUL or control characters (ovsdb-server drops the agent's
// connection on a NUL), BMC addresses that would reach ipmitool's argv or a Redfish URL, credentials
// in an address (stored and shown to observers), smartNIC ports naming unknown agents or bad port
// ids, and password files that are no regular file of sane size. Each answers INVALID_ARGUMENT
// naming the field, and nothing is stored. Secret files are also read with the same rules by
// moorctl and by the agent's tokenFile.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAgentConfig } from '../../agent/src/config/agent-config.js';
import type { RequestOf } from '../../coordinator/src/client/coordinator-client.js';
import { readSecretFile, readSecretFileSync, SecretFileError } from '../../proto/shared/secret-file.js';
import { moorctl } from '../harness/coordinator-cli.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { invalid } from '../harness/call-outcome.js';

type Enlist = RequestOf<'MachineService', 'EnlistMachine'>;

let f: CoordinatorFixture;
let dir: string;
let n = 0;

const enlist = (over: Partial<Enlist> = {}): Enlist => ({
  hostname: `ev-${++n}`,
  arch: 'amd64',
  cores: 2,
  memoryMib: 2048,
  power: { driver: 'POWER_DRIVER_MANUAL' },
  ...over,
});
const ipmi = (address: string): Enlist => enlist({ power: { driver: 'POWER_DRIVER_IPMI', address, user: 'admin', password: 'pw' } });
const redfish = (address: string): Enlist => enlist({ power: { driver: 'POWER_DRIVER_REDFISH', address, user: 'admin', password: 'pw' } });
const hostnames = async (): Promise<string[]> => (await f.admin.call('MachineService', 'ListMachines', {})).machines.map((m) => m.hostname);

beforeAll(async () => {
  f = await startCoordinator();
  dir = mkdtempSync(join(tmpdir(), 'mooring-enlist-validation-'));
  await f.admin.call('AgentAdminService', 'CreateEnrollmentToken', { name: 'dpu-known', role: 'smartnic', ttlSeconds: 3600 });
  await f.admin.call('AgentAdminService', 'CreateEnrollmentToken', { name: 'host-vm', role: 'vmhost', ttlSeconds: 3600 });
});

afterAll(async () => {
  await f?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('BindPort and UnbindPort through an agent', () => {
  const port = { name: 'pf0vf1', ifaceId: 'lsp-1', mac: '52:54:00:00:40:01', vmUuid: 'm-1' };
  const bind = (p: Partial<typeof port>) => f.admin.call('AgentAdminService', 'BindPort', { agent: 'dpu-known', port: { ...port, ...p } });

  it('refuses NUL and control characters in each field, naming it, before any agent is asked', async () => {
    expect(await invalid(bind({ ifaceId: 'lsp\u00001' }))).toBe('port.iface_id: contains the control character U+0000 at index 3');
    expect(await invalid(bind({ ifaceId: 'lsp\u001b[2J' }))).toBe('port.iface_id: contains the control character U+001B at index 3');
    expect(await invalid(bind({ name: 'pf0\u0000vf1' }))).toBe('port.name: contains the control character U+0000 at index 3');
    expect(await invalid(bind({ name: 'pf0vf1-too-long' + 'x' }))).toMatch(
      /^port\.name: is 16 bytes long; a Linux interface name has at most 15$/,
    );
    expect(await invalid(bind({ mac: '52:54:00:00:40:0\u0000' }))).toMatch(/^port\.mac: contains the control character U\+0000/);
    expect(await invalid(bind({ vmUuid: 'm-\u00001' }))).toBe('port.vm_uuid: contains the control character U+0000 at index 2');
    expect(await invalid(bind({ vmUuid: 'x'.repeat(256) }))).toBe('port.vm_uuid: is 256 bytes long; at most 255 are allowed');
    const unbind = f.admin.call('AgentAdminService', 'UnbindPort', { agent: 'dpu-known', port: 'pf0\u0000' });
    expect(await invalid(unbind)).toBe('port: contains the control character U+0000 at index 3');
  });
});

describe('EnlistMachine power settings', () => {
  it.each([
    ['-oProxyCommand=reboot', /^power\.address: "-oProxyCommand=reboot" is not host\[:port\]: the host starts with '-'/],
    ['bmc1;reboot', /the host contains shell metacharacters/],
    ['$(reboot)', /the host contains shell metacharacters/],
    ['`reboot`:623', /the host contains shell metacharacters/],
    ['bmc 1', /the host contains whitespace/],
    ['10.0.0.5:0', /port must be 1-65535/],
    ['10.0.0.5:65536', /port must be 1-65535/],
    ['10.0.0.5:-1', /port must be 1-65535/],
    ['[not-ipv6]:623', /holds no IPv6 address/],
    ['https://10.0.0.5', /is a URL/],
  ])('refuses the IPMI address %j', async (address, problem) => {
    expect(await invalid(f.admin.call('MachineService', 'EnlistMachine', ipmi(address)))).toMatch(problem);
  });

  it.each([
    ['http://10.0.0.5', /^power\.address: must be an https URL/],
    ['ftp://10.0.0.5', /scheme ftp: is not http or https/],
    ['https://-bmc', /the host starts with '-'/],
    ['https://bmc;reboot', /the host contains shell metacharacters/],
    ['https://bmc$(reboot)', /the host contains shell metacharacters/],
    ['https://10.0.0.5:0', /the port must be 1-65535/],
    ['https://10.0.0.5:70000', /not a URL/],
  ])('refuses the Redfish address %j', async (address, problem) => {
    expect(await invalid(f.admin.call('MachineService', 'EnlistMachine', redfish(address)))).toMatch(problem);
  });

  it('refuses credentials in any address without echoing them, and stores nothing', async () => {
    const before = await hostnames();
    const cases = [
      ipmi('root:calvin@10.0.0.5'),
      ipmi('root:calvin@10.0.0.5:623'),
      redfish('https://root:calvin@bmc.example'),
      redfish('root:calvin@bmc.example'),
    ];
    for (const request of cases) {
      const details = await invalid(f.admin.call('MachineService', 'EnlistMachine', request));
      expect(details).toMatch(/^power\.address: .*credentials/);
      expect(details).not.toContain('calvin');
    }
    const manual = await invalid(
      f.admin.call('MachineService', 'EnlistMachine', enlist({ power: { driver: 'POWER_DRIVER_MANUAL', address: 'root:calvin@pdu-7' } })),
    );
    expect(manual).toMatch(/^power\.address: holds credentials/);
    expect(await hostnames()).toEqual(before);
  });

  it('accepts good addresses', async () => {
    for (const request of [
      ipmi('10.0.0.5'),
      ipmi('bmc-1.rack2.example:6230'),
      ipmi('[fd00::5]:623'),
      ipmi('fd00::6'),
      redfish('https://10.0.0.7'),
      redfish('bmc-7.example:8443'),
    ]) {
      await f.admin.call('MachineService', 'EnlistMachine', request);
    }
  });

  it('refuses a password_file that is no regular file of at most 64 KiB', async () => {
    const fifo = join(dir, 'pw.fifo');
    execFileSync('mkfifo', [fifo]);
    const huge = join(dir, 'huge.pw');
    writeFileSync(huge, '');
    truncateSync(huge, 1 << 30); // sparse: a gigabyte that takes no disk
    const withFile = (passwordFile: string): Enlist =>
      enlist({ power: { driver: 'POWER_DRIVER_IPMI', address: '10.0.0.9', user: 'admin', passwordFile } });
    const before = await hostnames();
    expect(await invalid(f.admin.call('MachineService', 'EnlistMachine', withFile('/dev/zero')))).toBe(
      'power.password_file: is a character device; only a regular file is read',
    );
    expect(await invalid(f.admin.call('MachineService', 'EnlistMachine', withFile(fifo)))).toBe(
      'power.password_file: is a FIFO; only a regular file is read',
    );
    expect(await invalid(f.admin.call('MachineService', 'EnlistMachine', withFile(huge)))).toBe(
      `power.password_file: is ${1 << 30} bytes; a secret file may hold at most 65536`,
    );
    expect(await invalid(f.admin.call('MachineService', 'EnlistMachine', withFile(dir)))).toBe(
      'power.password_file: is a directory; only a regular file is read',
    );
    expect(await invalid(f.admin.call('MachineService', 'EnlistMachine', withFile(join(dir, 'missing'))))).toBe(
      'power.password_file: cannot be read (ENOENT)',
    );
    expect(await hostnames()).toEqual(before);
    const ok = join(dir, 'ok.pw');
    writeFileSync(ok, 'secret\n', { mode: 0o600 });
    const m = await f.admin.call('MachineService', 'EnlistMachine', withFile(ok));
    expect(m.power?.passwordFile).toBe(ok);
  });
});

describe('smartNIC ports at enlist and edit', () => {
  const smart = (agent: string, portId = 'pf0hpf') => ({
    mac: `52:54:00:00:41:${(++n % 256).toString(16).padStart(2, '0')}`,
    isSmartNic: true,
    smartNicAgentId: agent,
    smartNicPortId: portId,
  });

  it('refuses an agent that is neither enrolled nor announced, or has another role', async () => {
    const unknown = await invalid(
      f.admin.call('MachineService', 'EnlistMachine', enlist({ ports: [{ mac: '52:54:00:00:41:01' }, smart('dpu-nobody')] })),
    );
    expect(unknown).toBe(
      'ports[1].smart_nic_agent_id: no agent dpu-nobody is enrolled or announced; create its enrollment token first (moorctl agent ' +
        'token create --name dpu-nobody)',
    );
    expect(await invalid(f.admin.call('MachineService', 'EnlistMachine', enlist({ ports: [smart('host-vm')] })))).toMatch(
      /^ports\[0\]\.smart_nic_agent_id: no agent host-vm/,
    );
    expect(await invalid(f.admin.call('MachineService', 'EnlistMachine', enlist({ ports: [smart('DPU_1')] })))).toMatch(
      /^ports\[0\]\.smart_nic_agent_id: must be an agent name/,
    );
    await f.admin.call('MachineService', 'EnlistMachine', enlist({ hostname: 'ev-smart', ports: [smart('dpu-known')] }));
  });

  it.each([
    ['pf0\u0000hpf', /contains the control character U\+0000/],
    ['pf0 hpf', /contains whitespace/],
    ['pf0/hpf', /contains whitespace, '\/' or ':'/],
    ['representor-0123', /is 16 bytes long/],
    ['..', /is not a usable interface name/],
  ])('refuses the port id %j', async (portId, problem) => {
    const details = await invalid(f.admin.call('MachineService', 'EnlistMachine', enlist({ ports: [smart('dpu-known', portId)] })));
    expect(details).toMatch(/^ports\[0\]\.smart_nic_port_id: /);
    expect(details).toMatch(problem);
  });

  it('port create and update check the agent and the port id too', async () => {
    const machine = 'ev-smart';
    const created = f.admin.call('PortService', 'CreatePort', { machine, port: smart('dpu-ghost') });
    expect(await invalid(created)).toMatch(/^port\.smart_nic_agent_id: no agent dpu-ghost is enrolled or announced/);
    const badId = f.admin.call('PortService', 'CreatePort', { machine, port: smart('dpu-known', 'pf\u001b0') });
    expect(await invalid(badId)).toMatch(/^port\.smart_nic_port_id: contains the control character U\+001B/);
    const [existing] = (await f.admin.call('PortService', 'ListPorts', { machine })).ports;
    const mac = existing!.port!.mac;
    const toGhost = f.admin.call('PortService', 'UpdatePort', {
      machine,
      mac,
      port: { smartNicAgentId: 'dpu-ghost' },
      updateMask: ['smart_nic_agent_id'],
    });
    expect(await invalid(toGhost)).toMatch(/^port\.smart_nic_agent_id: no agent dpu-ghost/);
    const toBadId = f.admin.call('PortService', 'UpdatePort', {
      machine,
      mac,
      port: { smartNicPortId: 'a:b' },
      updateMask: ['smart_nic_port_id'],
    });
    expect(await invalid(toBadId)).toMatch(/^port\.smart_nic_port_id: contains whitespace, '\/' or ':'/);
    expect((await f.admin.call('PortService', 'GetPort', { machine, mac })).port).toMatchObject({
      smartNicAgentId: 'dpu-known',
      smartNicPortId: 'pf0hpf',
    });
  });
});

describe('secret files', () => {
  it('are read only as regular files of bounded size, by the coordinator, moorctl and the agent', async () => {
    const fifo = join(dir, 'token.fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(readSecretFile('/dev/zero')).rejects.toThrow(SecretFileError);
    await expect(readSecretFile(fifo)).rejects.toThrow('is a FIFO');
    expect(() => readSecretFileSync('/dev/zero')).toThrow('is a character device');
    const small = join(dir, 'small');
    writeFileSync(small, 'x'.repeat(100));
    await expect(readSecretFile(small, 99)).rejects.toThrow('is 100 bytes; a secret file may hold at most 99');
    expect(await readSecretFile(small, 100)).toBe('x'.repeat(100));

    const env = { MOORING_COORDINATOR: f.address, MOORING_CA: join(f.dataDir, 'ca.crt') };
    const cli = await moorctl(
      [
        '--token-file',
        join(f.dataDir, 'admin.token'),
        'machine',
        'enlist',
        '--hostname',
        'ev-cli',
        '--cores',
        '2',
        '--memory',
        '2G',
        '--power-password-file',
        '/dev/zero',
      ],
      env,
    );
    expect(cli).toMatchObject({ code: 2, stdout: '' });
    expect(cli.stderr).toBe('moorctl: --power-password-file: secret file "/dev/zero" is a character device; only a regular file is read\n');

    const agent = await loadAgentConfig({ flags: { tokenFile: fifo }, env: {} }).catch((e: unknown) => e as Error);
    expect(agent).toBeInstanceOf(Error);
    expect((agent as Error).message).toContain(`tokenFile: "${fifo}" is a FIFO; only a regular file is read`);
  });
});
