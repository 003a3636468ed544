// The typed loader both daemons import: loads proto/mooring/v1/*.proto once with the options the
// message types in mooring/v1/types.ts describe, and hands out service definitions and client
// constructors by name.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export const PROTO_FILES = [
  'mooring/v1/machines.proto',
  'mooring/v1/pools.proto',
  'mooring/v1/tenancy.proto',
  'mooring/v1/events.proto',
  'mooring/v1/lxd.proto',
  'mooring/v1/sriov.proto',
  'mooring/v1/agent.proto',
  'mooring/v1/ports.proto',
  'mooring/v1/deploy.proto',
  'mooring/v1/vmhosts.proto',
  'mooring/v1/networks.proto',
] as const;

export const SERVICE_NAMES = ['MachineService', 'PoolService', 'TenancyService', 'EventService', 'PortService', 'DeploymentService', 'VmHostService', 'NetworkService', 'SecurityGroupService'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
/** The agent link (agent.proto), served beside the API services. */
export const AGENT_SERVICE = 'AgentService' as const;
/** Agent administration for moorctl (bearer tokens, API port). */
export const AGENT_ADMIN_SERVICE = 'AgentAdminService' as const;
export type AnyServiceName = ServiceName | typeof AGENT_SERVICE | typeof AGENT_ADMIN_SERVICE;

export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  arrays: true,
  objects: true,
  oneofs: true,
};

export interface MooringProto {
  readonly packageDefinition: protoLoader.PackageDefinition;
  service(name: AnyServiceName): grpc.ServiceDefinition;
  client(name: AnyServiceName): grpc.ServiceClientConstructor;
}

/** The folder holding mooring/v1/*.proto, found from this module whether run from source or dist/. */
export function protoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'proto');
    if (existsSync(join(candidate, PROTO_FILES[0]))) return candidate;
    if (existsSync(join(dir, PROTO_FILES[0]))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find proto/mooring/v1/machines.proto above ' + fileURLToPath(import.meta.url));
}

let cached: MooringProto | undefined;

export function loadMooringProto(): MooringProto {
  if (cached) return cached;
  const root = protoRoot();
  const packageDefinition = protoLoader.loadSync([...PROTO_FILES], { ...LOADER_OPTIONS, includeDirs: [root] });
  const grpcObject = grpc.loadPackageDefinition(packageDefinition);
  const clients = new Map<AnyServiceName, grpc.ServiceClientConstructor>();
  for (const name of [...SERVICE_NAMES, AGENT_SERVICE, AGENT_ADMIN_SERVICE]) {
    const mooring = grpcObject['mooring'] as grpc.GrpcObject;
    const v1 = mooring['v1'] as grpc.GrpcObject;
    clients.set(name, v1[name] as grpc.ServiceClientConstructor);
  }
  const proto: MooringProto = {
    packageDefinition,
    service(name) {
      return packageDefinition[`mooring.v1.${name}`] as grpc.ServiceDefinition;
    },
    client(name) {
      const ctor = clients.get(name);
      if (!ctor) throw new Error(`unknown service ${name}`);
      return ctor;
    },
  };
  cached = proto;
  return proto;
}
