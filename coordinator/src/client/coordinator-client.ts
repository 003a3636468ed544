// A typed promise client for the coordinator's gRPC API: TLS against the coordinator's CA, the
// bearer token as call credentials, a deadline on every call. moorctl, the tests and the
// benchmark all use it.
import * as grpc from '@grpc/grpc-js';
import { loadMooringProto, type AnyServiceName } from '../../../proto/loader.js';
import type * as agent from '../../../proto/mooring/v1/agent-types.js';
import type * as dep from '../../../proto/mooring/v1/deploy-types.js';
import type * as net from '../../../proto/mooring/v1/network-types.js';
import type * as sriov from '../../../proto/mooring/v1/sriov-types.js';
import type * as v1 from '../../../proto/mooring/v1/types.js';
import type * as vm from '../../../proto/mooring/v1/vmhosts-types.js';

type D<T> = v1.Draft<T>;

/** Request and response type of every unary method, by service. */
export interface Methods {
  MachineService: {
    EnlistMachine: [D<v1.EnlistMachineRequest>, v1.MachineMessage];
    GetMachine: [D<v1.MachineRef>, v1.MachineMessage];
    ListMachines: [D<v1.ListMachinesRequest>, v1.ListMachinesResponse];
    CommissionMachine: [D<v1.MachineRef>, v1.MachineMessage];
    MarkBroken: [D<v1.MachineReason>, v1.MachineMessage];
    MarkFixed: [D<v1.MachineReason>, v1.MachineMessage];
    DeleteMachine: [D<v1.MachineRef>, v1.DeleteMachineResponse];
    AllocateMachine: [D<v1.AllocateMachineRequest>, v1.AllocateMachineResponse];
    ReleaseMachine: [D<v1.MachineReason>, v1.MachineMessage];
    AnnotateMachine: [D<v1.AnnotateMachineRequest>, v1.MachineMessage];
    ReserveMachine: [D<v1.ReserveMachineRequest>, v1.MachineMessage];
    UnreserveMachine: [D<v1.MachineRef>, v1.MachineMessage];
  };
  PoolService: {
    CreatePool: [D<v1.CreatePoolRequest>, v1.PoolMessage];
    ListPools: [v1.ListPoolsRequest, v1.ListPoolsResponse];
    DeletePool: [D<v1.PoolRef>, v1.DeletePoolResponse];
    SetPoolReservation: [D<v1.SetPoolReservationRequest>, v1.PoolMessage];
  };
  TenancyService: {
    CreateUser: [D<v1.CreateUserRequest>, v1.UserMessage];
    ListUsers: [v1.ListUsersRequest, v1.ListUsersResponse];
    CreateGroup: [D<v1.CreateGroupRequest>, v1.GroupMessage];
    ListGroups: [v1.ListGroupsRequest, v1.ListGroupsResponse];
    AddGroupMember: [D<v1.GroupMemberRequest>, v1.GroupMessage];
    RemoveGroupMember: [D<v1.GroupMemberRequest>, v1.GroupMessage];
    CreateToken: [D<v1.CreateTokenRequest>, v1.CreateTokenResponse];
    ListTokens: [D<v1.ListTokensRequest>, v1.ListTokensResponse];
    RevokeToken: [D<v1.RevokeTokenRequest>, v1.TokenMessage];
    WhoAmI: [v1.WhoAmIRequest, v1.UserMessage];
  };
  EventService: {
    ListEvents: [D<v1.ListEventsRequest>, v1.ListEventsResponse];
  };
  PortService: {
    CreatePort: [D<dep.CreatePortRequestMessage>, dep.PortInfoMessage];
    ListPorts: [dep.ListPortsRequestMessage, dep.ListPortsResponseMessage];
    GetPort: [dep.PortRefMessage, dep.PortInfoMessage];
    UpdatePort: [D<dep.UpdatePortRequestMessage>, dep.PortInfoMessage];
    DeletePort: [dep.PortRefMessage, Record<string, never>];
  };
  DeploymentService: {
    DeployMachine: [D<dep.DeployMachineRequestMessage>, v1.MachineMessage];
    BindNetwork: [D<dep.NetworkBindRequestMessage>, v1.MachineMessage];
    UnbindNetwork: [D<dep.NetworkBindRequestMessage>, v1.MachineMessage];
    GetMachineNetworks: [v1.MachineRef, dep.MachineNetworksMessage];
    GetSequence: [v1.MachineRef, dep.SequenceMessage];
    ConfirmPower: [dep.ConfirmPowerRequestMessage, v1.MachineMessage];
  };
  VmHostService: {
    AddVmHost: [Partial<vm.AddVmHostRequestMessage>, vm.VmHostMessage];
    ListVmHosts: [Record<string, never>, vm.ListVmHostsResponseMessage];
    GetVmHost: [vm.VmHostRefMessage, vm.VmHostMessage];
    RefreshVmHost: [vm.VmHostRefMessage, vm.VmHostMessage];
    UpdateVmHost: [Partial<vm.UpdateVmHostRequestMessage>, vm.VmHostMessage];
    RemoveVmHost: [Partial<vm.RemoveVmHostRequestMessage>, vm.RemoveVmHostResponseMessage];
    ComposeVm: [D<vm.ComposeVmRequestMessage>, v1.MachineMessage];
    DeleteVm: [v1.MachineRef, vm.DeleteVmResponseMessage];
    PowerVm: [vm.PowerVmRequestMessage, v1.MachineMessage];
  };
  NetworkService: {
    CreateNetwork: [D<net.CreateNetworkRequestMessage>, net.NetworkMessage];
    ListNetworks: [Record<string, never>, net.ListNetworksResponseMessage];
    GetNetwork: [net.NetworkRefMessage, net.NetworkMessage];
    DeleteNetwork: [net.NetworkRefMessage, Record<string, never>];
  };
  SecurityGroupService: {
    CreateSecurityGroup: [D<net.CreateSecurityGroupRequestMessage>, net.SecurityGroupMessage];
    ListSecurityGroups: [Record<string, never>, net.ListSecurityGroupsResponseMessage];
    GetSecurityGroup: [net.SecurityGroupRefMessage, net.SecurityGroupMessage];
    DeleteSecurityGroup: [net.SecurityGroupRefMessage, Record<string, never>];
    AddRule: [D<net.AddRuleRequestMessage>, net.AddRuleResponseMessage];
    DeleteRule: [net.DeleteRuleRequestMessage, net.SecurityGroupMessage];
  };
  AgentAdminService: {
    CreateEnrollmentToken: [Partial<agent.CreateEnrollmentTokenRequestMessage>, agent.CreateEnrollmentTokenResponseMessage];
    ListAgents: [Record<string, never>, { agents: agent.AgentInfoMessage[] }];
    GetAgent: [{ name: string }, agent.AgentInfoMessage];
    RevokeAgent: [{ name: string }, agent.AgentInfoMessage];
    BindPort: [Partial<agent.AgentBindPortRequestMessage>, agent.AgentCommandResponseMessage];
    UnbindPort: [Partial<agent.AgentUnbindPortRequestMessage>, agent.AgentCommandResponseMessage];
    SetSriov: [Partial<sriov.AgentSriovSetRequestMessage>, sriov.AgentSriovResponseMessage];
    GetSriov: [sriov.AgentSriovGetRequestMessage, sriov.AgentSriovResponseMessage];
  };
}

export interface ClientOptions {
  /** HOST:PORT */
  readonly address: string;
  readonly caPem: string;
  readonly token: string;
  /** Per-call deadline; default 30 s. */
  readonly timeoutMs?: number;
  /** Open a connection of its own instead of sharing one with other clients of the address. */
  readonly ownConnection?: boolean;
}

export class CoordinatorClient {
  private readonly stubs = new Map<AnyServiceName, grpc.Client>();
  private readonly timeoutMs: number;
  private readonly metadata = new grpc.Metadata();

  constructor(private readonly options: ClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    const proto = loadMooringProto();
    // The token travels as per-call metadata built once (cheaper than call credentials, which
    // run a generator for every call); TLS keeps it confidential.
    this.metadata.set('authorization', `Bearer ${options.token}`);
    const credentials = grpc.credentials.createSsl(Buffer.from(options.caPem));
    // Lists of a large fleet pass grpc-js's default 4 MiB (10000 agents are about 5 MB).
    const channelOptions: grpc.ChannelOptions = {
      'grpc.enable_channelz': 0,
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
      ...(options.ownConnection ? { 'grpc.use_local_subchannel_pool': 1 } : {}),
    };
    // One channel for all services, so they share a connection.
    const first = new (proto.client('MachineService'))(options.address, credentials, channelOptions);
    this.stubs.set('MachineService', first);
    for (const name of ['PoolService', 'TenancyService', 'EventService', 'AgentAdminService', 'PortService', 'DeploymentService', 'VmHostService', 'NetworkService', 'SecurityGroupService'] as const) {
      this.stubs.set(name, new (proto.client(name))(options.address, credentials, { ...channelOptions, channelOverride: first.getChannel() }));
    }
  }

  call<S extends keyof Methods, M extends keyof Methods[S] & string>(
    service: S,
    method: M,
    request: Methods[S][M] extends [infer Req, unknown] ? Req : never,
    timeoutMs = this.timeoutMs,
  ): Promise<Methods[S][M] extends [unknown, infer Res] ? Res : never> {
    const stub = this.stubs.get(service) as unknown as Record<string, grpc.requestCallback<unknown> | undefined> & grpc.Client;
    const fn = stub[method] as unknown as (
      request: unknown,
      metadata: grpc.Metadata,
      options: grpc.CallOptions,
      callback: (error: grpc.ServiceError | null, response: unknown) => void,
    ) => void;
    return new Promise((resolve, reject) => {
      fn.call(stub, request, this.metadata.clone(), { deadline: Date.now() + timeoutMs }, (error, response) => {
        if (error) reject(error);
        else resolve(response as Methods[S][M] extends [unknown, infer Res] ? Res : never);
      });
    });
  }

  /** Streams events (replay from sinceSeq, then follow unless noFollow); cancel() ends it. */
  watchEvents(request: D<v1.WatchEventsRequest>): { events: AsyncIterable<v1.EventMessage>; cancel: () => void } {
    const stub = this.stubs.get('EventService') as unknown as {
      WatchEvents: unknown;
    };
    const watch = stub.WatchEvents as (request: unknown, metadata: grpc.Metadata) => grpc.ClientReadableStream<v1.EventMessage>;
    const stream = watch.call(stub, request, this.metadata.clone());
    return { events: stream as AsyncIterable<v1.EventMessage>, cancel: () => stream.cancel() };
  }

  close(): void {
    for (const stub of this.stubs.values()) stub.close();
  }

  get address(): string {
    return this.options.address;
  }
}

export function isServiceError(error: unknown): error is grpc.ServiceError {
  return error instanceof Error && typeof (error as Partial<grpc.ServiceError>).code === 'number';
}

export function statusName(code: number): string {
  return grpc.status[code] ?? String(code);
}
