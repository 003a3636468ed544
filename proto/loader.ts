// The typed loader both daemons import: loads proto/mooring/v1/*.proto once with the options the
// generated message types in proto/generated/ describe (proto/gen-types.sh passes the same
// options to proto-loader-gen-types), and hands out service definitions and client constructors
// by name, typed from the generated service types.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type {
  AgentAdminServiceHandlers,
  AgentServiceHandlers,
  DeploymentServiceHandlers,
  EventServiceHandlers,
  ImageServiceHandlers,
  MachineServiceHandlers,
  NetworkServiceHandlers,
  PoolServiceHandlers,
  PortServiceHandlers,
  SecurityGroupServiceHandlers,
  TenancyServiceHandlers,
  VmHostServiceHandlers,
} from './generated/index.js';
import type { ProtoGrpcType as AgentProto } from './generated/agent.js';
import type { ProtoGrpcType as DeployProto } from './generated/deploy.js';
import type { ProtoGrpcType as EventsProto } from './generated/events.js';
import type { ProtoGrpcType as LxdProto } from './generated/lxd.js';
import type { ProtoGrpcType as MachinesProto } from './generated/machines.js';
import type { ProtoGrpcType as PoolsProto } from './generated/pools.js';
import type { ProtoGrpcType as PortsProto } from './generated/ports.js';
import type { ProtoGrpcType as SriovProto } from './generated/sriov.js';
import type { ProtoGrpcType as TenancyProto } from './generated/tenancy.js';
import type { ProtoGrpcType as VmHostsProto } from './generated/vmhosts.js';
import type { ProtoGrpcType as NetworksProto } from './generated/networks.js';
import type { ProtoGrpcType as ImagesProto } from './generated/images.js';

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
  'mooring/v1/images.proto',
] as const;

/** The mooring.v1 package as grpc.loadPackageDefinition returns it, typed by the generated code. */
type MooringV1 = AgentProto['mooring']['v1'] &
  DeployProto['mooring']['v1'] &
  EventsProto['mooring']['v1'] &
  LxdProto['mooring']['v1'] &
  MachinesProto['mooring']['v1'] &
  PoolsProto['mooring']['v1'] &
  PortsProto['mooring']['v1'] &
  SriovProto['mooring']['v1'] &
  TenancyProto['mooring']['v1'] &
  VmHostsProto['mooring']['v1'] &
  NetworksProto['mooring']['v1'] &
  ImagesProto['mooring']['v1'];

export const SERVICE_NAMES = [
  'MachineService',
  'PoolService',
  'TenancyService',
  'EventService',
  'PortService',
  'DeploymentService',
  'VmHostService',
  'NetworkService',
  'SecurityGroupService',
  'ImageService',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
/** The agent link (agent.proto), served beside the API services. */
export const AGENT_SERVICE = 'AgentService' as const;
/** Agent administration for moorctl (bearer tokens, API port). */
export const AGENT_ADMIN_SERVICE = 'AgentAdminService' as const;
export type AnyServiceName = ServiceName | typeof AGENT_SERVICE | typeof AGENT_ADMIN_SERVICE;

/** The generated server handlers of each service, by name: what ApiServer serves. */
export interface ServiceHandlers {
  MachineService: MachineServiceHandlers;
  PoolService: PoolServiceHandlers;
  TenancyService: TenancyServiceHandlers;
  EventService: EventServiceHandlers;
  PortService: PortServiceHandlers;
  DeploymentService: DeploymentServiceHandlers;
  VmHostService: VmHostServiceHandlers;
  NetworkService: NetworkServiceHandlers;
  SecurityGroupService: SecurityGroupServiceHandlers;
  ImageService: ImageServiceHandlers;
  AgentService: AgentServiceHandlers;
  AgentAdminService: AgentAdminServiceHandlers;
}

/** A service's method names as the .proto spells them (without the handlers' string index signature). */
export type MethodName<S extends AnyServiceName> = keyof { [M in keyof ServiceHandlers[S] as string extends M ? never : M]: true } & string;

/** The generated definition of a service: per method its path, (de)serialisers and message types. */
export type ServiceDefinitionOf<S extends AnyServiceName> = MooringV1[S]['service'];
/** The generated client constructor of a service (its instances are the generated `...Client`). */
export type ServiceClientConstructorOf<S extends AnyServiceName> = MooringV1[S];
/** The generated client of a service, e.g. MachineServiceClient. */
export type ServiceClientOf<S extends AnyServiceName> = InstanceType<MooringV1[S]>;

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
  service<S extends AnyServiceName>(name: S): ServiceDefinitionOf<S>;
  client<S extends AnyServiceName>(name: S): ServiceClientConstructorOf<S>;
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
  // The one place the loaded package meets its generated types: loadPackageDefinition returns an
  // untyped GrpcObject; the generated ProtoGrpcType describes it, built from the same .proto with
  // the same options (the build fails when proto/generated/ is stale).
  const v1 = (grpc.loadPackageDefinition(packageDefinition) as unknown as { mooring: { v1: MooringV1 } }).mooring.v1;
  const proto: MooringProto = {
    packageDefinition,
    service: (name) => v1[name].service,
    client: (name) => v1[name],
  };
  cached = proto;
  return proto;
}
