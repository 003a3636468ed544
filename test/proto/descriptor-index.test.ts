// The descriptor reader and index behind server reflection, on descriptor sets the real protoc
// writes: the one built into the coordinator, and small ones compiled here with extensions, nested
// scopes and a google/protobuf import. The wire reader is also fed every truncation of a message.
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescriptorIndex, servedDescriptors, servedDescriptorSet } from '../../proto/descriptors/descriptor-index.js';
import { IncompleteDescriptorSetError, MalformedDescriptorError } from '../../proto/descriptors/errors.js';
import { readDescriptorSet, readFileDescriptor, type DescribedFile } from '../../proto/descriptors/file-descriptors.js';
import { WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT, wireFields } from '../../proto/descriptors/wire-reader.js';

const names = (files: DescribedFile[] | null): string[] | null => files?.map((file) => file.name) ?? null;

describe('wire reader', () => {
  // field 1 varint 300, field 2 "hi", field 3 fixed32, field 4 fixed64, field 5 varint 2^40
  const message = Uint8Array.from([
    0x08, 0xac, 0x02, 0x12, 0x02, 0x68, 0x69, 0x1d, 1, 2, 3, 4, 0x21, 1, 2, 3, 4, 5, 6, 7, 8, 0x28, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20,
  ]);

  it('reads varints, length-delimited and fixed fields in order', () => {
    const fields = [...wireFields(message)];
    expect(fields.map((f) => [f.number, f.wireType])).toEqual([
      [1, WIRE_VARINT],
      [2, WIRE_LEN],
      [3, WIRE_I32],
      [4, WIRE_I64],
      [5, WIRE_VARINT],
    ]);
    expect(fields[0]).toMatchObject({ value: 300 });
    expect(Buffer.from((fields[1] as { bytes: Uint8Array }).bytes).toString()).toBe('hi');
    expect(fields[4]).toMatchObject({ value: 2 ** 40 });
  });

  it('refuses every cut inside a field, and reads every cut between fields as the fields before it', () => {
    const boundaries = new Set([0, 3, 7, 12, 21, message.length]);
    for (let cut = 0; cut <= message.length; cut++) {
      const read = (): unknown[] => [...wireFields(message.subarray(0, cut))];
      if (boundaries.has(cut)) expect(read, `cut at ${cut}`).not.toThrow();
      else expect(read, `cut at ${cut}`).toThrow(MalformedDescriptorError);
    }
  });

  it('refuses groups and field number 0', () => {
    expect(() => [...wireFields(Uint8Array.from([0x0b]))]).toThrow(/field 1 has wire type 3/);
    expect(() => [...wireFields(Uint8Array.from([0x00, 0x00]))]).toThrow(/field number 0/);
  });
});

describe('the descriptor set built into the coordinator', () => {
  const index = servedDescriptors();
  const files = readDescriptorSet(servedDescriptorSet());

  it('holds one file per .proto under its own name, with grpc.health.v1 and grpc.reflection', () => {
    expect(files.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'mooring/v1/machines.proto',
        'mooring/v1/agent.proto',
        'mooring/v1/lxd.proto',
        'grpc/health/v1/health.proto',
        'grpc/reflection/v1/reflection.proto',
        'grpc/reflection/v1alpha/reflection.proto',
      ]),
    );
    expect(index.services).toEqual(
      new Set([
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
        'grpc.health.v1.Health',
        'grpc.reflection.v1.ServerReflection',
        'grpc.reflection.v1alpha.ServerReflection',
      ]),
    );
  });

  it('finds a file by any symbol it declares: nested map entries, fields, enum values, methods', () => {
    for (const symbol of [
      'mooring.v1.Machine',
      '.mooring.v1.Machine',
      'mooring.v1.Machine.AnnotationsEntry',
      'mooring.v1.Machine.memory_mib',
      'mooring.v1.Holder.kind',
      'mooring.v1.MachineStatus',
      'mooring.v1.MACHINE_STATUS_READY',
      'mooring.v1.MachineService.EnlistMachine',
    ]) {
      expect(names(index.fileContainingSymbol(symbol))?.[0], symbol).toBe('mooring/v1/machines.proto');
    }
    // Not a symbol: camelCase names and enum values scoped inside their enum.
    expect(index.fileContainingSymbol('mooring.v1.Machine.memoryMib')).toBeNull();
    expect(index.fileContainingSymbol('mooring.v1.MachineStatus.MACHINE_STATUS_READY')).toBeNull();
  });

  it('answers a file with everything it imports, directly or not, each once', () => {
    const agent = readFileDescriptor(Buffer.from((index.fileByName('mooring/v1/agent.proto') ?? [])[0]?.bytes ?? []));
    expect(agent.dependencies).toEqual(['mooring/v1/lxd.proto', 'mooring/v1/sriov.proto']);
    expect(names(index.fileByName('mooring/v1/agent.proto'))).toEqual([
      'mooring/v1/agent.proto',
      'mooring/v1/lxd.proto',
      'mooring/v1/sriov.proto',
    ]);
    expect(names(index.fileByName('mooring/v1/nope.proto'))).toBeNull();
  });
});

describe('descriptor sets protoc compiles here', () => {
  let dir: string;
  let index: DescriptorIndex;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mooring-descriptors-'));
    await mkdir(path.join(dir, 'lab'));
    await writeFile(
      path.join(dir, 'lab/base.proto'),
      [
        'syntax = "proto2";',
        'package lab;',
        'import "google/protobuf/timestamp.proto";',
        'message Base {',
        '  optional google.protobuf.Timestamp at = 1;',
        '  extensions 100 to 199;',
        '  enum Kind { KIND_A = 0; KIND_B = 1; }',
        '  message Inner { map<string, int32> counts = 1; }',
        '}',
        'extend Base { optional string note = 150; }',
      ].join('\n'),
    );
    await writeFile(
      path.join(dir, 'lab/more.proto'),
      [
        'syntax = "proto2";',
        'package lab.more;',
        'import "lab/base.proto";',
        'message Holder { extend lab.Base { optional int32 weight = 101; } }',
        'service Lab { rpc Get(lab.Base) returns (Holder); }',
      ].join('\n'),
    );
    const out = path.join(dir, 'set.binpb');
    await new Promise<void>((resolve, reject) =>
      execFile('protoc', ['-I', dir, '--include_imports', `--descriptor_set_out=${out}`, 'lab/more.proto'], (error, _stdout, stderr) =>
        error ? reject(new Error(stderr)) : resolve(),
      ),
    );
    index = DescriptorIndex.fromDescriptorSet(await readFile(out));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('carries google/protobuf imports and finds nested scopes', () => {
    expect(names(index.fileByName('lab/more.proto'))).toEqual(['lab/more.proto', 'lab/base.proto', 'google/protobuf/timestamp.proto']);
    expect(names(index.fileContainingSymbol('google.protobuf.Timestamp'))).toEqual(['google/protobuf/timestamp.proto']);
    expect(names(index.fileContainingSymbol('lab.Base.KIND_B'))?.[0]).toBe('lab/base.proto');
    expect(names(index.fileContainingSymbol('lab.Base.Inner.CountsEntry'))?.[0]).toBe('lab/base.proto');
    expect(names(index.fileContainingSymbol('lab.more.Lab.Get'))?.[0]).toBe('lab/more.proto');
    expect(names(index.fileContainingSymbol('lab.more.Holder.weight'))?.[0]).toBe('lab/more.proto');
  });

  it('finds extensions by the message they extend and number', () => {
    expect(index.extensionNumbers('lab.Base')).toEqual([101, 150]);
    expect(index.extensionNumbers('lab.Base.Inner')).toEqual([]);
    expect(index.extensionNumbers('lab.Nothing')).toBeNull();
    expect(names(index.fileContainingExtension('lab.Base', 150))?.[0]).toBe('lab/base.proto');
    expect(names(index.fileContainingExtension('lab.Base', 101))).toEqual([
      'lab/more.proto',
      'lab/base.proto',
      'google/protobuf/timestamp.proto',
    ]);
    expect(index.fileContainingExtension('lab.Base', 102)).toBeNull();
  });

  it('refuses a set missing an import or holding a name twice', () => {
    const files = readDescriptorSet(servedDescriptorSet());
    const withoutLxd = files.filter((f) => f.name !== 'mooring/v1/lxd.proto');
    expect(() => new DescriptorIndex(withoutLxd)).toThrow(IncompleteDescriptorSetError);
    expect(() => new DescriptorIndex(withoutLxd)).toThrow(/mooring\/v1\/agent.proto imports mooring\/v1\/lxd.proto/);
    const machines = files.find((f) => f.name === 'mooring/v1/machines.proto') as DescribedFile;
    expect(() => new DescriptorIndex([...files, machines])).toThrow('mooring/v1/machines.proto is in the descriptor set twice');
    expect(() => new DescriptorIndex([...files, { ...machines, name: 'copy.proto' }])).toThrow(
      /mooring\.v1\.\w+ is declared by both mooring\/v1\/machines.proto and copy.proto/,
    );
  });
});
