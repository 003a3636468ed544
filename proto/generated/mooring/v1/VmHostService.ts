// Original file: mooring/v1/vmhosts.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AddVmHostRequest as _mooring_v1_AddVmHostRequest, AddVmHostRequest__Output as _mooring_v1_AddVmHostRequest__Output } from '../../mooring/v1/AddVmHostRequest.js';
import type { ComposeVmRequest as _mooring_v1_ComposeVmRequest, ComposeVmRequest__Output as _mooring_v1_ComposeVmRequest__Output } from '../../mooring/v1/ComposeVmRequest.js';
import type { DeleteVmResponse as _mooring_v1_DeleteVmResponse, DeleteVmResponse__Output as _mooring_v1_DeleteVmResponse__Output } from '../../mooring/v1/DeleteVmResponse.js';
import type { ListVmHostsRequest as _mooring_v1_ListVmHostsRequest, ListVmHostsRequest__Output as _mooring_v1_ListVmHostsRequest__Output } from '../../mooring/v1/ListVmHostsRequest.js';
import type { ListVmHostsResponse as _mooring_v1_ListVmHostsResponse, ListVmHostsResponse__Output as _mooring_v1_ListVmHostsResponse__Output } from '../../mooring/v1/ListVmHostsResponse.js';
import type { Machine as _mooring_v1_Machine, Machine__Output as _mooring_v1_Machine__Output } from '../../mooring/v1/Machine.js';
import type { MachineRef as _mooring_v1_MachineRef, MachineRef__Output as _mooring_v1_MachineRef__Output } from '../../mooring/v1/MachineRef.js';
import type { PowerVmRequest as _mooring_v1_PowerVmRequest, PowerVmRequest__Output as _mooring_v1_PowerVmRequest__Output } from '../../mooring/v1/PowerVmRequest.js';
import type { RemoveVmHostRequest as _mooring_v1_RemoveVmHostRequest, RemoveVmHostRequest__Output as _mooring_v1_RemoveVmHostRequest__Output } from '../../mooring/v1/RemoveVmHostRequest.js';
import type { RemoveVmHostResponse as _mooring_v1_RemoveVmHostResponse, RemoveVmHostResponse__Output as _mooring_v1_RemoveVmHostResponse__Output } from '../../mooring/v1/RemoveVmHostResponse.js';
import type { UpdateVmHostRequest as _mooring_v1_UpdateVmHostRequest, UpdateVmHostRequest__Output as _mooring_v1_UpdateVmHostRequest__Output } from '../../mooring/v1/UpdateVmHostRequest.js';
import type { VmHost as _mooring_v1_VmHost, VmHost__Output as _mooring_v1_VmHost__Output } from '../../mooring/v1/VmHost.js';
import type { VmHostRef as _mooring_v1_VmHostRef, VmHostRef__Output as _mooring_v1_VmHostRef__Output } from '../../mooring/v1/VmHostRef.js';

export interface VmHostServiceClient extends grpc.Client {
  /**
   * Assigns the project to the agent (lxd_assign_project); fails with the agent's message.
   */
  AddVmHost(argument: _mooring_v1_AddVmHostRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  AddVmHost(argument: _mooring_v1_AddVmHostRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  AddVmHost(argument: _mooring_v1_AddVmHostRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  AddVmHost(argument: _mooring_v1_AddVmHostRequest, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  /**
   * Assigns the project to the agent (lxd_assign_project); fails with the agent's message.
   */
  addVmHost(argument: _mooring_v1_AddVmHostRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  addVmHost(argument: _mooring_v1_AddVmHostRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  addVmHost(argument: _mooring_v1_AddVmHostRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  addVmHost(argument: _mooring_v1_AddVmHostRequest, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  
  /**
   * Creates an instance in the host's project and the READY machine for it.
   */
  ComposeVm(argument: _mooring_v1_ComposeVmRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  ComposeVm(argument: _mooring_v1_ComposeVmRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  ComposeVm(argument: _mooring_v1_ComposeVmRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  ComposeVm(argument: _mooring_v1_ComposeVmRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  /**
   * Creates an instance in the host's project and the READY machine for it.
   */
  composeVm(argument: _mooring_v1_ComposeVmRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  composeVm(argument: _mooring_v1_ComposeVmRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  composeVm(argument: _mooring_v1_ComposeVmRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  composeVm(argument: _mooring_v1_ComposeVmRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  
  /**
   * Deletes the machine's instance and the machine.
   */
  DeleteVm(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteVmResponse__Output>): grpc.ClientUnaryCall;
  DeleteVm(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_DeleteVmResponse__Output>): grpc.ClientUnaryCall;
  DeleteVm(argument: _mooring_v1_MachineRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteVmResponse__Output>): grpc.ClientUnaryCall;
  DeleteVm(argument: _mooring_v1_MachineRef, callback: grpc.requestCallback<_mooring_v1_DeleteVmResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Deletes the machine's instance and the machine.
   */
  deleteVm(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteVmResponse__Output>): grpc.ClientUnaryCall;
  deleteVm(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_DeleteVmResponse__Output>): grpc.ClientUnaryCall;
  deleteVm(argument: _mooring_v1_MachineRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteVmResponse__Output>): grpc.ClientUnaryCall;
  deleteVm(argument: _mooring_v1_MachineRef, callback: grpc.requestCallback<_mooring_v1_DeleteVmResponse__Output>): grpc.ClientUnaryCall;
  
  GetVmHost(argument: _mooring_v1_VmHostRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  GetVmHost(argument: _mooring_v1_VmHostRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  GetVmHost(argument: _mooring_v1_VmHostRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  GetVmHost(argument: _mooring_v1_VmHostRef, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  getVmHost(argument: _mooring_v1_VmHostRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  getVmHost(argument: _mooring_v1_VmHostRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  getVmHost(argument: _mooring_v1_VmHostRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  getVmHost(argument: _mooring_v1_VmHostRef, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  
  ListVmHosts(argument: _mooring_v1_ListVmHostsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListVmHostsResponse__Output>): grpc.ClientUnaryCall;
  ListVmHosts(argument: _mooring_v1_ListVmHostsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListVmHostsResponse__Output>): grpc.ClientUnaryCall;
  ListVmHosts(argument: _mooring_v1_ListVmHostsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListVmHostsResponse__Output>): grpc.ClientUnaryCall;
  ListVmHosts(argument: _mooring_v1_ListVmHostsRequest, callback: grpc.requestCallback<_mooring_v1_ListVmHostsResponse__Output>): grpc.ClientUnaryCall;
  listVmHosts(argument: _mooring_v1_ListVmHostsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListVmHostsResponse__Output>): grpc.ClientUnaryCall;
  listVmHosts(argument: _mooring_v1_ListVmHostsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListVmHostsResponse__Output>): grpc.ClientUnaryCall;
  listVmHosts(argument: _mooring_v1_ListVmHostsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListVmHostsResponse__Output>): grpc.ClientUnaryCall;
  listVmHosts(argument: _mooring_v1_ListVmHostsRequest, callback: grpc.requestCallback<_mooring_v1_ListVmHostsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Powers the machine's instance on or off (or reads its state) through the lxd power driver.
   * Admins, or the member who owns the machine.
   */
  PowerVm(argument: _mooring_v1_PowerVmRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  PowerVm(argument: _mooring_v1_PowerVmRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  PowerVm(argument: _mooring_v1_PowerVmRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  PowerVm(argument: _mooring_v1_PowerVmRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  /**
   * Powers the machine's instance on or off (or reads its state) through the lxd power driver.
   * Admins, or the member who owns the machine.
   */
  powerVm(argument: _mooring_v1_PowerVmRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  powerVm(argument: _mooring_v1_PowerVmRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  powerVm(argument: _mooring_v1_PowerVmRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  powerVm(argument: _mooring_v1_PowerVmRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  
  /**
   * Asks the agent for a fresh report (lxd_refresh) and reconciles machines with it.
   */
  RefreshVmHost(argument: _mooring_v1_VmHostRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  RefreshVmHost(argument: _mooring_v1_VmHostRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  RefreshVmHost(argument: _mooring_v1_VmHostRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  RefreshVmHost(argument: _mooring_v1_VmHostRef, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  /**
   * Asks the agent for a fresh report (lxd_refresh) and reconciles machines with it.
   */
  refreshVmHost(argument: _mooring_v1_VmHostRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  refreshVmHost(argument: _mooring_v1_VmHostRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  refreshVmHost(argument: _mooring_v1_VmHostRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  refreshVmHost(argument: _mooring_v1_VmHostRef, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  
  /**
   * Releases the project (lxd_release); its machines go away. Instances stay unless delete_instances.
   */
  RemoveVmHost(argument: _mooring_v1_RemoveVmHostRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_RemoveVmHostResponse__Output>): grpc.ClientUnaryCall;
  RemoveVmHost(argument: _mooring_v1_RemoveVmHostRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_RemoveVmHostResponse__Output>): grpc.ClientUnaryCall;
  RemoveVmHost(argument: _mooring_v1_RemoveVmHostRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_RemoveVmHostResponse__Output>): grpc.ClientUnaryCall;
  RemoveVmHost(argument: _mooring_v1_RemoveVmHostRequest, callback: grpc.requestCallback<_mooring_v1_RemoveVmHostResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Releases the project (lxd_release); its machines go away. Instances stay unless delete_instances.
   */
  removeVmHost(argument: _mooring_v1_RemoveVmHostRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_RemoveVmHostResponse__Output>): grpc.ClientUnaryCall;
  removeVmHost(argument: _mooring_v1_RemoveVmHostRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_RemoveVmHostResponse__Output>): grpc.ClientUnaryCall;
  removeVmHost(argument: _mooring_v1_RemoveVmHostRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_RemoveVmHostResponse__Output>): grpc.ClientUnaryCall;
  removeVmHost(argument: _mooring_v1_RemoveVmHostRequest, callback: grpc.requestCallback<_mooring_v1_RemoveVmHostResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateVmHost(argument: _mooring_v1_UpdateVmHostRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  UpdateVmHost(argument: _mooring_v1_UpdateVmHostRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  UpdateVmHost(argument: _mooring_v1_UpdateVmHostRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  UpdateVmHost(argument: _mooring_v1_UpdateVmHostRequest, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  updateVmHost(argument: _mooring_v1_UpdateVmHostRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  updateVmHost(argument: _mooring_v1_UpdateVmHostRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  updateVmHost(argument: _mooring_v1_UpdateVmHostRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  updateVmHost(argument: _mooring_v1_UpdateVmHostRequest, callback: grpc.requestCallback<_mooring_v1_VmHost__Output>): grpc.ClientUnaryCall;
  
}

export interface VmHostServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Assigns the project to the agent (lxd_assign_project); fails with the agent's message.
   */
  AddVmHost: grpc.handleUnaryCall<_mooring_v1_AddVmHostRequest__Output, _mooring_v1_VmHost>;
  
  /**
   * Creates an instance in the host's project and the READY machine for it.
   */
  ComposeVm: grpc.handleUnaryCall<_mooring_v1_ComposeVmRequest__Output, _mooring_v1_Machine>;
  
  /**
   * Deletes the machine's instance and the machine.
   */
  DeleteVm: grpc.handleUnaryCall<_mooring_v1_MachineRef__Output, _mooring_v1_DeleteVmResponse>;
  
  GetVmHost: grpc.handleUnaryCall<_mooring_v1_VmHostRef__Output, _mooring_v1_VmHost>;
  
  ListVmHosts: grpc.handleUnaryCall<_mooring_v1_ListVmHostsRequest__Output, _mooring_v1_ListVmHostsResponse>;
  
  /**
   * Powers the machine's instance on or off (or reads its state) through the lxd power driver.
   * Admins, or the member who owns the machine.
   */
  PowerVm: grpc.handleUnaryCall<_mooring_v1_PowerVmRequest__Output, _mooring_v1_Machine>;
  
  /**
   * Asks the agent for a fresh report (lxd_refresh) and reconciles machines with it.
   */
  RefreshVmHost: grpc.handleUnaryCall<_mooring_v1_VmHostRef__Output, _mooring_v1_VmHost>;
  
  /**
   * Releases the project (lxd_release); its machines go away. Instances stay unless delete_instances.
   */
  RemoveVmHost: grpc.handleUnaryCall<_mooring_v1_RemoveVmHostRequest__Output, _mooring_v1_RemoveVmHostResponse>;
  
  UpdateVmHost: grpc.handleUnaryCall<_mooring_v1_UpdateVmHostRequest__Output, _mooring_v1_VmHost>;
  
}

export interface VmHostServiceDefinition extends grpc.ServiceDefinition {
  AddVmHost: MethodDefinition<_mooring_v1_AddVmHostRequest, _mooring_v1_VmHost, _mooring_v1_AddVmHostRequest__Output, _mooring_v1_VmHost__Output>
  ComposeVm: MethodDefinition<_mooring_v1_ComposeVmRequest, _mooring_v1_Machine, _mooring_v1_ComposeVmRequest__Output, _mooring_v1_Machine__Output>
  DeleteVm: MethodDefinition<_mooring_v1_MachineRef, _mooring_v1_DeleteVmResponse, _mooring_v1_MachineRef__Output, _mooring_v1_DeleteVmResponse__Output>
  GetVmHost: MethodDefinition<_mooring_v1_VmHostRef, _mooring_v1_VmHost, _mooring_v1_VmHostRef__Output, _mooring_v1_VmHost__Output>
  ListVmHosts: MethodDefinition<_mooring_v1_ListVmHostsRequest, _mooring_v1_ListVmHostsResponse, _mooring_v1_ListVmHostsRequest__Output, _mooring_v1_ListVmHostsResponse__Output>
  PowerVm: MethodDefinition<_mooring_v1_PowerVmRequest, _mooring_v1_Machine, _mooring_v1_PowerVmRequest__Output, _mooring_v1_Machine__Output>
  RefreshVmHost: MethodDefinition<_mooring_v1_VmHostRef, _mooring_v1_VmHost, _mooring_v1_VmHostRef__Output, _mooring_v1_VmHost__Output>
  RemoveVmHost: MethodDefinition<_mooring_v1_RemoveVmHostRequest, _mooring_v1_RemoveVmHostResponse, _mooring_v1_RemoveVmHostRequest__Output, _mooring_v1_RemoveVmHostResponse__Output>
  UpdateVmHost: MethodDefinition<_mooring_v1_UpdateVmHostRequest, _mooring_v1_VmHost, _mooring_v1_UpdateVmHostRequest__Output, _mooring_v1_VmHost__Output>
}
