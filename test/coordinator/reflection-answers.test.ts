// ServerReflection's answers, request by request, from the descriptor set built into the
// coordinator; and the same service over real gRPC and TLS on one stream, as grpcurl uses it.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerReflection, type ReflectionRequest, type ReflectionResponse } from '../../coordinator/src/api/server-reflection.js';
import { createLogger } from '../../coordinator/src/logger.js';
import { servedDescriptors, servedDescriptorSet } from '../../proto/descriptors/descriptor-index.js';
import { IncompleteDescriptorSetError } from '../../proto/descriptors/errors.js';
import { readFileDescriptor } from '../../proto/descriptors/file-descriptors.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';

const fileNames = (response: ReflectionResponse): string[] =>
  (response.file_descriptor_response?.file_descriptor_proto ?? []).map((bytes) => readFileDescriptor(bytes).name);

describe('reflection answers', () => {
  const reflection = new ServerReflection(
    servedDescriptors(),
    ['mooring.v1.MachineService', 'grpc.health.v1.Health'],
    createLogger('silent'),
  );

  it('lists the services it was given, whatever list_services says', () => {
    for (const argument of ['', '*', 'anything']) {
      expect(reflection.answer({ host: 'h', message_request: 'list_services', list_services: argument })).toEqual({
        valid_host: 'h',
        original_request: { host: 'h', message_request: 'list_services', list_services: argument },
        list_services_response: { service: [{ name: 'mooring.v1.MachineService' }, { name: 'grpc.health.v1.Health' }] },
      });
    }
  });

  it('answers files by name and by symbol with their imports, and NOT_FOUND naming what is missing', () => {
    const ask = (request: ReflectionRequest): ReflectionResponse => reflection.answer(request);
    expect(fileNames(ask({ message_request: 'file_by_filename', file_by_filename: 'mooring/v1/vmhosts.proto' }))).toEqual([
      'mooring/v1/vmhosts.proto',
      'mooring/v1/lxd.proto',
      'mooring/v1/machines.proto',
    ]);
    expect(fileNames(ask({ message_request: 'file_containing_symbol', file_containing_symbol: 'grpc.health.v1.Health.Check' }))).toEqual([
      'grpc/health/v1/health.proto',
    ]);
    expect(ask({ message_request: 'file_containing_symbol', file_containing_symbol: 'mooring.v1.Nope' }).error_response).toEqual({
      error_code: grpc.status.NOT_FOUND,
      error_message: 'symbol mooring.v1.Nope not found',
    });
    expect(ask({ message_request: 'file_by_filename', file_by_filename: 'mooring_v1.proto' }).error_response).toEqual({
      error_code: grpc.status.NOT_FOUND,
      error_message: 'file mooring_v1.proto not found',
    });
    const extension = { containing_type: 'mooring.v1.Machine', extension_number: 100 };
    expect(ask({ message_request: 'file_containing_extension', file_containing_extension: extension }).error_response?.error_message).toBe(
      'extension 100 of mooring.v1.Machine not found',
    );
  });

  it('gives a described message its (no) extension numbers, and NOT_FOUND for an unknown one', () => {
    expect(
      reflection.answer({ message_request: 'all_extension_numbers_of_type', all_extension_numbers_of_type: 'mooring.v1.Machine' })
        .all_extension_numbers_response,
    ).toEqual({ base_type_name: 'mooring.v1.Machine', extension_number: [] });
    expect(
      reflection.answer({ message_request: 'all_extension_numbers_of_type', all_extension_numbers_of_type: 'mooring.v1.Nope' })
        .error_response?.error_code,
    ).toBe(grpc.status.NOT_FOUND);
  });

  it('answers a request naming no question with INVALID_ARGUMENT', () => {
    expect(reflection.answer({ host: '' }).error_response).toEqual({
      error_code: grpc.status.INVALID_ARGUMENT,
      error_message: [
        'message_request: required, one of file_by_filename, file_containing_symbol, file_containing_extension,',
        'all_extension_numbers_of_type, list_services',
      ].join(' '),
    });
  });

  it('refuses to list a service no descriptor describes', () => {
    expect(() => new ServerReflection(servedDescriptors(), ['mooring.v1.MachineService', 'x.Y'], createLogger('silent'))).toThrow(
      new IncompleteDescriptorSetError('no descriptor describes the served x.Y'),
    );
  });
});

describe('reflection over gRPC', () => {
  let f: CoordinatorFixture;
  beforeAll(async () => {
    f = await startCoordinator();
  });
  afterAll(async () => f.close());

  it('answers several requests on one stream, each in turn, the files byte for byte as protoc wrote them', async () => {
    const definition = protoLoader.loadFileDescriptorSetFromBuffer(servedDescriptorSet(), {
      keepCase: true,
      oneofs: true,
      defaults: false,
    });
    const Client = grpc.makeClientConstructor(
      definition['grpc.reflection.v1.ServerReflection'] as grpc.ServiceDefinition,
      'ServerReflection',
    );
    const client = new Client(f.address, grpc.credentials.createSsl(Buffer.from(f.caPem)));
    const stream = (
      client as unknown as { ServerReflectionInfo: () => grpc.ClientDuplexStream<ReflectionRequest, ReflectionResponse> }
    ).ServerReflectionInfo();
    const responses: ReflectionResponse[] = [];
    const ended = new Promise<void>((resolve, reject) => {
      stream.on('data', (response: ReflectionResponse) => responses.push(response));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    stream.write({ list_services: '' });
    stream.write({ file_containing_symbol: 'mooring.v1.Machine.AnnotationsEntry' });
    stream.write({ file_by_filename: 'nope.proto' });
    stream.end();
    await ended;
    client.close();

    expect(responses).toHaveLength(3);
    expect(responses[0]?.list_services_response?.service.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'mooring.v1.AgentService',
        'grpc.health.v1.Health',
        'grpc.reflection.v1.ServerReflection',
        'grpc.reflection.v1alpha.ServerReflection',
      ]),
    );
    const machines = servedDescriptors().fileByName('mooring/v1/machines.proto')?.[0];
    expect(Buffer.from(responses[1]?.file_descriptor_response?.file_descriptor_proto[0] ?? [])).toEqual(Buffer.from(machines?.bytes ?? []));
    expect(responses[2]?.error_response?.error_code).toBe(grpc.status.NOT_FOUND);
  });
});
