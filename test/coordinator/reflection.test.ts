// Server reflection as a client nobody on this project wrote sees it: Debian's python3-grpcio and
// python3-protobuf (test/harness/reflection_client.py) list the coordinator's services over TLS,
// fetch every service's files through reflection, build them into a python descriptor_pool (which
// validates them as protoc does) and call methods with JSON written in the .proto's field names.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { runReflectionClient, type ReflectedCall } from '../harness/reflection-client.js';

const API_SERVICES = [
  'mooring.v1.MachineService',
  'mooring.v1.PoolService',
  'mooring.v1.TenancyService',
  'mooring.v1.EventService',
  'mooring.v1.PortService',
  'mooring.v1.DeploymentService',
  'mooring.v1.VmHostService',
  'mooring.v1.NetworkService',
  'mooring.v1.SecurityGroupService',
  'mooring.v1.ImageService',
  'mooring.v1.AgentService',
  'mooring.v1.AgentAdminService',
];

function answer(call: ReflectedCall | undefined): Record<string, unknown> {
  if (!call) throw new Error('no call answered');
  if ('code' in call) throw new Error(`${call.method} failed: ${call.code} ${call.details}`);
  return call.response;
}

describe('server reflection with a foreign client', () => {
  let f: CoordinatorFixture;
  let dir: string;
  let caFile: string;
  beforeAll(async () => {
    f = await startCoordinator();
    dir = mkdtempSync(join(tmpdir(), 'mooring-reflection-'));
    caFile = join(dir, 'ca.crt');
    writeFileSync(caFile, f.caPem);
  });
  afterAll(async () => {
    await f.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every service, validates every file in python3-protobuf and calls with snake_case JSON', async () => {
    const result = await runReflectionClient({
      address: f.address,
      caFile,
      token: f.adminToken,
      describe: ['mooring.v1.Machine', 'mooring.v1.EnlistMachineRequest'],
      calls: [
        {
          method: 'mooring.v1.MachineService/EnlistMachine',
          json: JSON.stringify({
            hostname: 'reflected-1',
            arch: 'amd64',
            cores: 6,
            memory_mib: 12288,
            power: { driver: 'POWER_DRIVER_MANUAL' },
            ports: [{ mac: '52:54:00:aa:bb:01', is_smart_nic: false }],
            commission: true,
          }),
        },
        {
          method: 'mooring.v1.MachineService/AllocateMachine',
          json: JSON.stringify({ constraints: { name: 'reflected-1', min_memory_mib: 8192 }, annotations: { rack: 'r7', row: '3' } }),
        },
        { method: 'grpc.health.v1.Health/Check', json: JSON.stringify({ service: 'mooring.v1.MachineService' }) },
      ],
    });

    expect(result.services).toEqual(
      expect.arrayContaining([...API_SERVICES, 'grpc.health.v1.Health', 'grpc.reflection.v1.ServerReflection']),
    );
    // Files under the names the .proto files have, not one file per package.
    expect(result.files).toEqual(
      expect.arrayContaining([
        'mooring/v1/machines.proto',
        'mooring/v1/agent.proto',
        'mooring/v1/sriov.proto',
        'grpc/health/v1/health.proto',
      ]),
    );
    expect(result.methods['mooring.v1.MachineService']).toContainEqual({
      name: 'EnlistMachine',
      input: 'mooring.v1.EnlistMachineRequest',
      output: 'mooring.v1.Machine',
      client_streaming: false,
      server_streaming: false,
    });
    expect(result.methods['grpc.health.v1.Health']?.map((m) => m.name)).toEqual(expect.arrayContaining(['Check', 'Watch']));

    // The .proto's names, with protoc's json_name beside them; a map as the compiler's XxxEntry.
    const machine = result.messages['mooring.v1.Machine'] ?? [];
    expect(machine).toContainEqual({ name: 'memory_mib', json_name: 'memoryMib', type: 4, map_entry: false });
    expect(machine).toContainEqual({
      name: 'annotations',
      json_name: 'annotations',
      type: 'mooring.v1.Machine.AnnotationsEntry',
      map_entry: true,
    });
    expect(result.messages['mooring.v1.EnlistMachineRequest']).toContainEqual({
      name: 'memory_mib',
      json_name: 'memoryMib',
      type: 4,
      map_entry: false,
    });

    const enlisted = answer(result.calls[0]);
    // json_format writes 64-bit integers as strings (the proto3 JSON mapping).
    expect(enlisted).toMatchObject({ hostname: 'reflected-1', cores: 6, memory_mib: '12288', status: 'MACHINE_STATUS_READY' });
    expect(answer(result.calls[1])).toMatchObject({
      machine: { hostname: 'reflected-1', status: 'MACHINE_STATUS_ALLOCATED', owner: 'admin', annotations: { rack: 'r7', row: '3' } },
    });
    expect(answer(result.calls[2])).toEqual({ status: 'SERVING' });

    // What the python client sent is what the coordinator stored.
    const stored = await f.admin.call('MachineService', 'GetMachine', { machine: 'reflected-1' });
    expect(stored).toMatchObject({
      id: enlisted['id'],
      status: 'MACHINE_STATUS_ALLOCATED',
      cores: 6,
      memoryMib: 12288,
      annotations: { rack: 'r7', row: '3' },
    });
    expect(stored.ports.map((p) => p.mac)).toEqual(['52:54:00:aa:bb:01']);
  });

  it('serves the same descriptors through grpc.reflection.v1alpha, and a call without a token is refused', async () => {
    const result = await runReflectionClient({
      address: f.address,
      caFile,
      token: 'not-a-token',
      reflection: 'v1alpha',
      calls: [{ method: 'mooring.v1.MachineService/GetMachine', json: JSON.stringify({ machine: 'reflected-1' }) }],
    });
    expect(result.services).toEqual(expect.arrayContaining([...API_SERVICES, 'grpc.health.v1.Health']));
    expect(result.files).toContain('mooring/v1/machines.proto');
    expect(result.calls[0]).toMatchObject({ method: 'mooring.v1.MachineService/GetMachine', code: 'UNAUTHENTICATED' });
  });
});
