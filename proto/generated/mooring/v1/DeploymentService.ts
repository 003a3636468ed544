// Original file: mooring/v1/deploy.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ConfirmPowerRequest as _mooring_v1_ConfirmPowerRequest, ConfirmPowerRequest__Output as _mooring_v1_ConfirmPowerRequest__Output } from '../../mooring/v1/ConfirmPowerRequest.js';
import type { DeployMachineRequest as _mooring_v1_DeployMachineRequest, DeployMachineRequest__Output as _mooring_v1_DeployMachineRequest__Output } from '../../mooring/v1/DeployMachineRequest.js';
import type { Machine as _mooring_v1_Machine, Machine__Output as _mooring_v1_Machine__Output } from '../../mooring/v1/Machine.js';
import type { MachineNetworks as _mooring_v1_MachineNetworks, MachineNetworks__Output as _mooring_v1_MachineNetworks__Output } from '../../mooring/v1/MachineNetworks.js';
import type { MachineRef as _mooring_v1_MachineRef, MachineRef__Output as _mooring_v1_MachineRef__Output } from '../../mooring/v1/MachineRef.js';
import type { NetworkBindRequest as _mooring_v1_NetworkBindRequest, NetworkBindRequest__Output as _mooring_v1_NetworkBindRequest__Output } from '../../mooring/v1/NetworkBindRequest.js';
import type { Sequence as _mooring_v1_Sequence, Sequence__Output as _mooring_v1_Sequence__Output } from '../../mooring/v1/Sequence.js';

export interface DeploymentServiceClient extends grpc.Client {
  /**
   * With a network: the smartNIC ports are attached to it (moved off any other network).
   */
  BindNetwork(argument: _mooring_v1_NetworkBindRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  BindNetwork(argument: _mooring_v1_NetworkBindRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  BindNetwork(argument: _mooring_v1_NetworkBindRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  BindNetwork(argument: _mooring_v1_NetworkBindRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  /**
   * With a network: the smartNIC ports are attached to it (moved off any other network).
   */
  bindNetwork(argument: _mooring_v1_NetworkBindRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  bindNetwork(argument: _mooring_v1_NetworkBindRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  bindNetwork(argument: _mooring_v1_NetworkBindRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  bindNetwork(argument: _mooring_v1_NetworkBindRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  
  /**
   * Manual power: an operator confirms the power or boot change the coordinator asked for (admins).
   */
  ConfirmPower(argument: _mooring_v1_ConfirmPowerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  ConfirmPower(argument: _mooring_v1_ConfirmPowerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  ConfirmPower(argument: _mooring_v1_ConfirmPowerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  ConfirmPower(argument: _mooring_v1_ConfirmPowerRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  /**
   * Manual power: an operator confirms the power or boot change the coordinator asked for (admins).
   */
  confirmPower(argument: _mooring_v1_ConfirmPowerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  confirmPower(argument: _mooring_v1_ConfirmPowerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  confirmPower(argument: _mooring_v1_ConfirmPowerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  confirmPower(argument: _mooring_v1_ConfirmPowerRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  
  DeployMachine(argument: _mooring_v1_DeployMachineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  DeployMachine(argument: _mooring_v1_DeployMachineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  DeployMachine(argument: _mooring_v1_DeployMachineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  DeployMachine(argument: _mooring_v1_DeployMachineRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  deployMachine(argument: _mooring_v1_DeployMachineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  deployMachine(argument: _mooring_v1_DeployMachineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  deployMachine(argument: _mooring_v1_DeployMachineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  deployMachine(argument: _mooring_v1_DeployMachineRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  
  /**
   * Each smartNIC port of a machine: its network attachment and what OVN says of it.
   */
  GetMachineNetworks(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_MachineNetworks__Output>): grpc.ClientUnaryCall;
  GetMachineNetworks(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_MachineNetworks__Output>): grpc.ClientUnaryCall;
  GetMachineNetworks(argument: _mooring_v1_MachineRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_MachineNetworks__Output>): grpc.ClientUnaryCall;
  GetMachineNetworks(argument: _mooring_v1_MachineRef, callback: grpc.requestCallback<_mooring_v1_MachineNetworks__Output>): grpc.ClientUnaryCall;
  /**
   * Each smartNIC port of a machine: its network attachment and what OVN says of it.
   */
  getMachineNetworks(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_MachineNetworks__Output>): grpc.ClientUnaryCall;
  getMachineNetworks(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_MachineNetworks__Output>): grpc.ClientUnaryCall;
  getMachineNetworks(argument: _mooring_v1_MachineRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_MachineNetworks__Output>): grpc.ClientUnaryCall;
  getMachineNetworks(argument: _mooring_v1_MachineRef, callback: grpc.requestCallback<_mooring_v1_MachineNetworks__Output>): grpc.ClientUnaryCall;
  
  /**
   * The running sequence of a machine (NOT_FOUND when none runs).
   */
  GetSequence(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Sequence__Output>): grpc.ClientUnaryCall;
  GetSequence(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Sequence__Output>): grpc.ClientUnaryCall;
  GetSequence(argument: _mooring_v1_MachineRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Sequence__Output>): grpc.ClientUnaryCall;
  GetSequence(argument: _mooring_v1_MachineRef, callback: grpc.requestCallback<_mooring_v1_Sequence__Output>): grpc.ClientUnaryCall;
  /**
   * The running sequence of a machine (NOT_FOUND when none runs).
   */
  getSequence(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Sequence__Output>): grpc.ClientUnaryCall;
  getSequence(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Sequence__Output>): grpc.ClientUnaryCall;
  getSequence(argument: _mooring_v1_MachineRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Sequence__Output>): grpc.ClientUnaryCall;
  getSequence(argument: _mooring_v1_MachineRef, callback: grpc.requestCallback<_mooring_v1_Sequence__Output>): grpc.ClientUnaryCall;
  
  UnbindNetwork(argument: _mooring_v1_NetworkBindRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  UnbindNetwork(argument: _mooring_v1_NetworkBindRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  UnbindNetwork(argument: _mooring_v1_NetworkBindRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  UnbindNetwork(argument: _mooring_v1_NetworkBindRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  unbindNetwork(argument: _mooring_v1_NetworkBindRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  unbindNetwork(argument: _mooring_v1_NetworkBindRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  unbindNetwork(argument: _mooring_v1_NetworkBindRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  unbindNetwork(argument: _mooring_v1_NetworkBindRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  
}

export interface DeploymentServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * With a network: the smartNIC ports are attached to it (moved off any other network).
   */
  BindNetwork: grpc.handleUnaryCall<_mooring_v1_NetworkBindRequest__Output, _mooring_v1_Machine>;
  
  /**
   * Manual power: an operator confirms the power or boot change the coordinator asked for (admins).
   */
  ConfirmPower: grpc.handleUnaryCall<_mooring_v1_ConfirmPowerRequest__Output, _mooring_v1_Machine>;
  
  DeployMachine: grpc.handleUnaryCall<_mooring_v1_DeployMachineRequest__Output, _mooring_v1_Machine>;
  
  /**
   * Each smartNIC port of a machine: its network attachment and what OVN says of it.
   */
  GetMachineNetworks: grpc.handleUnaryCall<_mooring_v1_MachineRef__Output, _mooring_v1_MachineNetworks>;
  
  /**
   * The running sequence of a machine (NOT_FOUND when none runs).
   */
  GetSequence: grpc.handleUnaryCall<_mooring_v1_MachineRef__Output, _mooring_v1_Sequence>;
  
  UnbindNetwork: grpc.handleUnaryCall<_mooring_v1_NetworkBindRequest__Output, _mooring_v1_Machine>;
  
}

export interface DeploymentServiceDefinition extends grpc.ServiceDefinition {
  BindNetwork: MethodDefinition<_mooring_v1_NetworkBindRequest, _mooring_v1_Machine, _mooring_v1_NetworkBindRequest__Output, _mooring_v1_Machine__Output>
  ConfirmPower: MethodDefinition<_mooring_v1_ConfirmPowerRequest, _mooring_v1_Machine, _mooring_v1_ConfirmPowerRequest__Output, _mooring_v1_Machine__Output>
  DeployMachine: MethodDefinition<_mooring_v1_DeployMachineRequest, _mooring_v1_Machine, _mooring_v1_DeployMachineRequest__Output, _mooring_v1_Machine__Output>
  GetMachineNetworks: MethodDefinition<_mooring_v1_MachineRef, _mooring_v1_MachineNetworks, _mooring_v1_MachineRef__Output, _mooring_v1_MachineNetworks__Output>
  GetSequence: MethodDefinition<_mooring_v1_MachineRef, _mooring_v1_Sequence, _mooring_v1_MachineRef__Output, _mooring_v1_Sequence__Output>
  UnbindNetwork: MethodDefinition<_mooring_v1_NetworkBindRequest, _mooring_v1_Machine, _mooring_v1_NetworkBindRequest__Output, _mooring_v1_Machine__Output>
}
