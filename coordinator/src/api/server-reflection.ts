// gRPC server reflection (grpc/reflection/v1/reflection.proto, and v1alpha, which older clients
// ask first) answered from the descriptors protoc compiled at build time, so grpcurl, Postman or a
// python3-grpcio script can list, describe and call every method with the .proto's own names.
//
// Not @grpc/reflection's ReflectionService: it serves what proto-loader rebuilds from the loaded
// package (one file per package, map entries named after the field with map_entry set by hand,
// camelCase names), which protoc-based validators reject, and it does not know grpc.health.v1.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { servedDescriptorSet, type DescriptorIndex } from '../../../proto/descriptors/descriptor-index.js';
import type { DescribedFile } from '../../../proto/descriptors/file-descriptors.js';
import { IncompleteDescriptorSetError } from '../../../proto/descriptors/errors.js';
import type { Logger } from '../logger.js';

export const REFLECTION_SERVICES = ['grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection'] as const;

const REQUEST_KINDS = [
  'file_by_filename',
  'file_containing_symbol',
  'file_containing_extension',
  'all_extension_numbers_of_type',
  'list_services',
] as const;
type RequestKind = (typeof REQUEST_KINDS)[number];

/** ServerReflectionRequest as proto-loader decodes it (keepCase, oneofs: the member set is named). */
export interface ReflectionRequest {
  host?: string;
  message_request?: RequestKind;
  file_by_filename?: string;
  file_containing_symbol?: string;
  file_containing_extension?: { containing_type?: string; extension_number?: number };
  all_extension_numbers_of_type?: string;
  list_services?: string;
}

/** ServerReflectionResponse: exactly one of the four answers is set. */
export interface ReflectionResponse {
  valid_host: string;
  original_request: ReflectionRequest;
  file_descriptor_response?: { file_descriptor_proto: Uint8Array[] };
  all_extension_numbers_response?: { base_type_name: string; extension_number: number[] };
  list_services_response?: { service: { name: string }[] };
  error_response?: { error_code: number; error_message: string };
}

export class ServerReflection {
  private readonly listed: { name: string }[];

  /**
   * `services` are the full names list_services reports: the services this server serves. Each
   * must be described by the index (else the build is broken: IncompleteDescriptorSetError).
   */
  constructor(
    private readonly index: DescriptorIndex,
    services: readonly string[],
    private readonly logger: Logger,
  ) {
    const undescribed = services.filter((name) => !index.services.has(name));
    if (undescribed.length > 0) throw new IncompleteDescriptorSetError(`no descriptor describes the served ${undescribed.join(', ')}`);
    this.listed = services.map((name) => ({ name }));
  }

  /** One answer per request, as the reflection service defines them. */
  answer(request: ReflectionRequest): ReflectionResponse {
    const base = { valid_host: request.host ?? '', original_request: request };
    const files = (found: DescribedFile[] | null, what: string): ReflectionResponse =>
      found
        ? { ...base, file_descriptor_response: { file_descriptor_proto: found.map((file) => file.bytes) } }
        : notFound(base, `${what} not found`);
    switch (request.message_request) {
      // grpc's servers list every service whatever the argument; clients send '' or '*'.
      case 'list_services':
        return { ...base, list_services_response: { service: this.listed } };
      case 'file_by_filename': {
        const name = request.file_by_filename ?? '';
        return files(this.index.fileByName(name), `file ${name}`);
      }
      case 'file_containing_symbol': {
        const symbol = request.file_containing_symbol ?? '';
        return files(this.index.fileContainingSymbol(symbol), `symbol ${symbol}`);
      }
      case 'file_containing_extension': {
        const type = request.file_containing_extension?.containing_type ?? '';
        const number = request.file_containing_extension?.extension_number ?? 0;
        return files(this.index.fileContainingExtension(type, number), `extension ${number} of ${type}`);
      }
      case 'all_extension_numbers_of_type': {
        const type = request.all_extension_numbers_of_type ?? '';
        const numbers = this.index.extensionNumbers(type);
        return numbers
          ? { ...base, all_extension_numbers_response: { base_type_name: type, extension_number: numbers } }
          : notFound(base, `type ${type} not found`);
      }
      default:
        return {
          ...base,
          error_response: {
            error_code: grpc.status.INVALID_ARGUMENT,
            error_message: `message_request: required, one of ${REQUEST_KINDS.join(', ')}`,
          },
        };
    }
  }

  /** Serves grpc.reflection.v1 and v1alpha (the same messages under two package names). */
  addToServer(server: grpc.Server): void {
    const definitions = reflectionDefinitions();
    for (const name of REFLECTION_SERVICES) {
      const definition = definitions[name] as grpc.ServiceDefinition;
      server.addService(definition, {
        ServerReflectionInfo: (call: grpc.ServerDuplexStream<ReflectionRequest, ReflectionResponse>) => this.serve(call),
      });
    }
  }

  private serve(call: grpc.ServerDuplexStream<ReflectionRequest, ReflectionResponse>): void {
    call.on('data', (request: ReflectionRequest) => {
      const response = this.answer(request);
      this.logger.debug(
        { request: request.message_request ?? null, error: response.error_response?.error_message ?? null },
        'reflection request answered',
      );
      call.write(response);
    });
    call.on('end', () => call.end());
    // A client that goes away mid-stream: nothing to clean up.
    call.on('error', (error: Error) => this.logger.debug({ err: error }, 'reflection stream ended by the client'));
  }
}

function notFound(base: Pick<ReflectionResponse, 'valid_host' | 'original_request'>, message: string): ReflectionResponse {
  return { ...base, error_response: { error_code: grpc.status.NOT_FOUND, error_message: message } };
}

let definitions: protoLoader.PackageDefinition | undefined;

/** The reflection services' (de)serialisers, from the same descriptor set they describe. */
function reflectionDefinitions(): protoLoader.PackageDefinition {
  definitions ??= protoLoader.loadFileDescriptorSetFromBuffer(servedDescriptorSet(), {
    keepCase: true,
    oneofs: true,
    longs: Number,
    defaults: false,
  });
  return definitions;
}
