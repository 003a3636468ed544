// Original file: mooring/v1/machines.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AllocateMachineRequest as _mooring_v1_AllocateMachineRequest, AllocateMachineRequest__Output as _mooring_v1_AllocateMachineRequest__Output } from '../../mooring/v1/AllocateMachineRequest.js';
import type { AllocateMachineResponse as _mooring_v1_AllocateMachineResponse, AllocateMachineResponse__Output as _mooring_v1_AllocateMachineResponse__Output } from '../../mooring/v1/AllocateMachineResponse.js';
import type { AnnotateMachineRequest as _mooring_v1_AnnotateMachineRequest, AnnotateMachineRequest__Output as _mooring_v1_AnnotateMachineRequest__Output } from '../../mooring/v1/AnnotateMachineRequest.js';
import type { DeleteMachineResponse as _mooring_v1_DeleteMachineResponse, DeleteMachineResponse__Output as _mooring_v1_DeleteMachineResponse__Output } from '../../mooring/v1/DeleteMachineResponse.js';
import type { EnlistMachineRequest as _mooring_v1_EnlistMachineRequest, EnlistMachineRequest__Output as _mooring_v1_EnlistMachineRequest__Output } from '../../mooring/v1/EnlistMachineRequest.js';
import type { ListMachinesRequest as _mooring_v1_ListMachinesRequest, ListMachinesRequest__Output as _mooring_v1_ListMachinesRequest__Output } from '../../mooring/v1/ListMachinesRequest.js';
import type { ListMachinesResponse as _mooring_v1_ListMachinesResponse, ListMachinesResponse__Output as _mooring_v1_ListMachinesResponse__Output } from '../../mooring/v1/ListMachinesResponse.js';
import type { Machine as _mooring_v1_Machine, Machine__Output as _mooring_v1_Machine__Output } from '../../mooring/v1/Machine.js';
import type { MachineReason as _mooring_v1_MachineReason, MachineReason__Output as _mooring_v1_MachineReason__Output } from '../../mooring/v1/MachineReason.js';
import type { MachineRef as _mooring_v1_MachineRef, MachineRef__Output as _mooring_v1_MachineRef__Output } from '../../mooring/v1/MachineRef.js';
import type { PowerMachineRequest as _mooring_v1_PowerMachineRequest, PowerMachineRequest__Output as _mooring_v1_PowerMachineRequest__Output } from '../../mooring/v1/PowerMachineRequest.js';
import type { ReserveMachineRequest as _mooring_v1_ReserveMachineRequest, ReserveMachineRequest__Output as _mooring_v1_ReserveMachineRequest__Output } from '../../mooring/v1/ReserveMachineRequest.js';
import type { SetBootDeviceRequest as _mooring_v1_SetBootDeviceRequest, SetBootDeviceRequest__Output as _mooring_v1_SetBootDeviceRequest__Output } from '../../mooring/v1/SetBootDeviceRequest.js';
import type { UpdateMachineRequest as _mooring_v1_UpdateMachineRequest, UpdateMachineRequest__Output as _mooring_v1_UpdateMachineRequest__Output } from '../../mooring/v1/UpdateMachineRequest.js';

export interface MachineServiceClient extends grpc.Client {
  AllocateMachine(argument: _mooring_v1_AllocateMachineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AllocateMachineResponse__Output>): grpc.ClientUnaryCall;
  AllocateMachine(argument: _mooring_v1_AllocateMachineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_AllocateMachineResponse__Output>): grpc.ClientUnaryCall;
  AllocateMachine(argument: _mooring_v1_AllocateMachineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AllocateMachineResponse__Output>): grpc.ClientUnaryCall;
  AllocateMachine(argument: _mooring_v1_AllocateMachineRequest, callback: grpc.requestCallback<_mooring_v1_AllocateMachineResponse__Output>): grpc.ClientUnaryCall;
  allocateMachine(argument: _mooring_v1_AllocateMachineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AllocateMachineResponse__Output>): grpc.ClientUnaryCall;
  allocateMachine(argument: _mooring_v1_AllocateMachineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_AllocateMachineResponse__Output>): grpc.ClientUnaryCall;
  allocateMachine(argument: _mooring_v1_AllocateMachineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AllocateMachineResponse__Output>): grpc.ClientUnaryCall;
  allocateMachine(argument: _mooring_v1_AllocateMachineRequest, callback: grpc.requestCallback<_mooring_v1_AllocateMachineResponse__Output>): grpc.ClientUnaryCall;
  
  AnnotateMachine(argument: _mooring_v1_AnnotateMachineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  AnnotateMachine(argument: _mooring_v1_AnnotateMachineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  AnnotateMachine(argument: _mooring_v1_AnnotateMachineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  AnnotateMachine(argument: _mooring_v1_AnnotateMachineRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  annotateMachine(argument: _mooring_v1_AnnotateMachineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  annotateMachine(argument: _mooring_v1_AnnotateMachineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  annotateMachine(argument: _mooring_v1_AnnotateMachineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  annotateMachine(argument: _mooring_v1_AnnotateMachineRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  
  CommissionMachine(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  CommissionMachine(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  CommissionMachine(argument: _mooring_v1_MachineRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  CommissionMachine(argument: _mooring_v1_MachineRef, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  commissionMachine(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  commissionMachine(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  commissionMachine(argument: _mooring_v1_MachineRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  commissionMachine(argument: _mooring_v1_MachineRef, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  
  DeleteMachine(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteMachineResponse__Output>): grpc.ClientUnaryCall;
  DeleteMachine(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_DeleteMachineResponse__Output>): grpc.ClientUnaryCall;
  DeleteMachine(argument: _mooring_v1_MachineRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteMachineResponse__Output>): grpc.ClientUnaryCall;
  DeleteMachine(argument: _mooring_v1_MachineRef, callback: grpc.requestCallback<_mooring_v1_DeleteMachineResponse__Output>): grpc.ClientUnaryCall;
  deleteMachine(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteMachineResponse__Output>): grpc.ClientUnaryCall;
  deleteMachine(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_DeleteMachineResponse__Output>): grpc.ClientUnaryCall;
  deleteMachine(argument: _mooring_v1_MachineRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteMachineResponse__Output>): grpc.ClientUnaryCall;
  deleteMachine(argument: _mooring_v1_MachineRef, callback: grpc.requestCallback<_mooring_v1_DeleteMachineResponse__Output>): grpc.ClientUnaryCall;
  
  EnlistMachine(argument: _mooring_v1_EnlistMachineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  EnlistMachine(argument: _mooring_v1_EnlistMachineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  EnlistMachine(argument: _mooring_v1_EnlistMachineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  EnlistMachine(argument: _mooring_v1_EnlistMachineRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  enlistMachine(argument: _mooring_v1_EnlistMachineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  enlistMachine(argument: _mooring_v1_EnlistMachineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  enlistMachine(argument: _mooring_v1_EnlistMachineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  enlistMachine(argument: _mooring_v1_EnlistMachineRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  
  GetMachine(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  GetMachine(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  GetMachine(argument: _mooring_v1_MachineRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  GetMachine(argument: _mooring_v1_MachineRef, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  getMachine(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  getMachine(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  getMachine(argument: _mooring_v1_MachineRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  getMachine(argument: _mooring_v1_MachineRef, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  
  ListMachines(argument: _mooring_v1_ListMachinesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListMachinesResponse__Output>): grpc.ClientUnaryCall;
  ListMachines(argument: _mooring_v1_ListMachinesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListMachinesResponse__Output>): grpc.ClientUnaryCall;
  ListMachines(argument: _mooring_v1_ListMachinesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListMachinesResponse__Output>): grpc.ClientUnaryCall;
  ListMachines(argument: _mooring_v1_ListMachinesRequest, callback: grpc.requestCallback<_mooring_v1_ListMachinesResponse__Output>): grpc.ClientUnaryCall;
  listMachines(argument: _mooring_v1_ListMachinesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListMachinesResponse__Output>): grpc.ClientUnaryCall;
  listMachines(argument: _mooring_v1_ListMachinesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListMachinesResponse__Output>): grpc.ClientUnaryCall;
  listMachines(argument: _mooring_v1_ListMachinesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListMachinesResponse__Output>): grpc.ClientUnaryCall;
  listMachines(argument: _mooring_v1_ListMachinesRequest, callback: grpc.requestCallback<_mooring_v1_ListMachinesResponse__Output>): grpc.ClientUnaryCall;
  
  MarkBroken(argument: _mooring_v1_MachineReason, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  MarkBroken(argument: _mooring_v1_MachineReason, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  MarkBroken(argument: _mooring_v1_MachineReason, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  MarkBroken(argument: _mooring_v1_MachineReason, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  markBroken(argument: _mooring_v1_MachineReason, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  markBroken(argument: _mooring_v1_MachineReason, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  markBroken(argument: _mooring_v1_MachineReason, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  markBroken(argument: _mooring_v1_MachineReason, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  
  MarkFixed(argument: _mooring_v1_MachineReason, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  MarkFixed(argument: _mooring_v1_MachineReason, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  MarkFixed(argument: _mooring_v1_MachineReason, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  MarkFixed(argument: _mooring_v1_MachineReason, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  markFixed(argument: _mooring_v1_MachineReason, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  markFixed(argument: _mooring_v1_MachineReason, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  markFixed(argument: _mooring_v1_MachineReason, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  markFixed(argument: _mooring_v1_MachineReason, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  
  PowerMachine(argument: _mooring_v1_PowerMachineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  PowerMachine(argument: _mooring_v1_PowerMachineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  PowerMachine(argument: _mooring_v1_PowerMachineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  PowerMachine(argument: _mooring_v1_PowerMachineRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  powerMachine(argument: _mooring_v1_PowerMachineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  powerMachine(argument: _mooring_v1_PowerMachineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  powerMachine(argument: _mooring_v1_PowerMachineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  powerMachine(argument: _mooring_v1_PowerMachineRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  
  ReleaseMachine(argument: _mooring_v1_MachineReason, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  ReleaseMachine(argument: _mooring_v1_MachineReason, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  ReleaseMachine(argument: _mooring_v1_MachineReason, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  ReleaseMachine(argument: _mooring_v1_MachineReason, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  releaseMachine(argument: _mooring_v1_MachineReason, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  releaseMachine(argument: _mooring_v1_MachineReason, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  releaseMachine(argument: _mooring_v1_MachineReason, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  releaseMachine(argument: _mooring_v1_MachineReason, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  
  ReserveMachine(argument: _mooring_v1_ReserveMachineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  ReserveMachine(argument: _mooring_v1_ReserveMachineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  ReserveMachine(argument: _mooring_v1_ReserveMachineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  ReserveMachine(argument: _mooring_v1_ReserveMachineRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  reserveMachine(argument: _mooring_v1_ReserveMachineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  reserveMachine(argument: _mooring_v1_ReserveMachineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  reserveMachine(argument: _mooring_v1_ReserveMachineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  reserveMachine(argument: _mooring_v1_ReserveMachineRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  
  SetBootDevice(argument: _mooring_v1_SetBootDeviceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  SetBootDevice(argument: _mooring_v1_SetBootDeviceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  SetBootDevice(argument: _mooring_v1_SetBootDeviceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  SetBootDevice(argument: _mooring_v1_SetBootDeviceRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  setBootDevice(argument: _mooring_v1_SetBootDeviceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  setBootDevice(argument: _mooring_v1_SetBootDeviceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  setBootDevice(argument: _mooring_v1_SetBootDeviceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  setBootDevice(argument: _mooring_v1_SetBootDeviceRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  
  UnreserveMachine(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  UnreserveMachine(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  UnreserveMachine(argument: _mooring_v1_MachineRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  UnreserveMachine(argument: _mooring_v1_MachineRef, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  unreserveMachine(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  unreserveMachine(argument: _mooring_v1_MachineRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  unreserveMachine(argument: _mooring_v1_MachineRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  unreserveMachine(argument: _mooring_v1_MachineRef, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  
  UpdateMachine(argument: _mooring_v1_UpdateMachineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  UpdateMachine(argument: _mooring_v1_UpdateMachineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  UpdateMachine(argument: _mooring_v1_UpdateMachineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  UpdateMachine(argument: _mooring_v1_UpdateMachineRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  updateMachine(argument: _mooring_v1_UpdateMachineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  updateMachine(argument: _mooring_v1_UpdateMachineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  updateMachine(argument: _mooring_v1_UpdateMachineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  updateMachine(argument: _mooring_v1_UpdateMachineRequest, callback: grpc.requestCallback<_mooring_v1_Machine__Output>): grpc.ClientUnaryCall;
  
}

export interface MachineServiceHandlers extends grpc.UntypedServiceImplementation {
  AllocateMachine: grpc.handleUnaryCall<_mooring_v1_AllocateMachineRequest__Output, _mooring_v1_AllocateMachineResponse>;
  
  AnnotateMachine: grpc.handleUnaryCall<_mooring_v1_AnnotateMachineRequest__Output, _mooring_v1_Machine>;
  
  CommissionMachine: grpc.handleUnaryCall<_mooring_v1_MachineRef__Output, _mooring_v1_Machine>;
  
  DeleteMachine: grpc.handleUnaryCall<_mooring_v1_MachineRef__Output, _mooring_v1_DeleteMachineResponse>;
  
  EnlistMachine: grpc.handleUnaryCall<_mooring_v1_EnlistMachineRequest__Output, _mooring_v1_Machine>;
  
  GetMachine: grpc.handleUnaryCall<_mooring_v1_MachineRef__Output, _mooring_v1_Machine>;
  
  ListMachines: grpc.handleUnaryCall<_mooring_v1_ListMachinesRequest__Output, _mooring_v1_ListMachinesResponse>;
  
  MarkBroken: grpc.handleUnaryCall<_mooring_v1_MachineReason__Output, _mooring_v1_Machine>;
  
  MarkFixed: grpc.handleUnaryCall<_mooring_v1_MachineReason__Output, _mooring_v1_Machine>;
  
  PowerMachine: grpc.handleUnaryCall<_mooring_v1_PowerMachineRequest__Output, _mooring_v1_Machine>;
  
  ReleaseMachine: grpc.handleUnaryCall<_mooring_v1_MachineReason__Output, _mooring_v1_Machine>;
  
  ReserveMachine: grpc.handleUnaryCall<_mooring_v1_ReserveMachineRequest__Output, _mooring_v1_Machine>;
  
  SetBootDevice: grpc.handleUnaryCall<_mooring_v1_SetBootDeviceRequest__Output, _mooring_v1_Machine>;
  
  UnreserveMachine: grpc.handleUnaryCall<_mooring_v1_MachineRef__Output, _mooring_v1_Machine>;
  
  UpdateMachine: grpc.handleUnaryCall<_mooring_v1_UpdateMachineRequest__Output, _mooring_v1_Machine>;
  
}

export interface MachineServiceDefinition extends grpc.ServiceDefinition {
  AllocateMachine: MethodDefinition<_mooring_v1_AllocateMachineRequest, _mooring_v1_AllocateMachineResponse, _mooring_v1_AllocateMachineRequest__Output, _mooring_v1_AllocateMachineResponse__Output>
  AnnotateMachine: MethodDefinition<_mooring_v1_AnnotateMachineRequest, _mooring_v1_Machine, _mooring_v1_AnnotateMachineRequest__Output, _mooring_v1_Machine__Output>
  CommissionMachine: MethodDefinition<_mooring_v1_MachineRef, _mooring_v1_Machine, _mooring_v1_MachineRef__Output, _mooring_v1_Machine__Output>
  DeleteMachine: MethodDefinition<_mooring_v1_MachineRef, _mooring_v1_DeleteMachineResponse, _mooring_v1_MachineRef__Output, _mooring_v1_DeleteMachineResponse__Output>
  EnlistMachine: MethodDefinition<_mooring_v1_EnlistMachineRequest, _mooring_v1_Machine, _mooring_v1_EnlistMachineRequest__Output, _mooring_v1_Machine__Output>
  GetMachine: MethodDefinition<_mooring_v1_MachineRef, _mooring_v1_Machine, _mooring_v1_MachineRef__Output, _mooring_v1_Machine__Output>
  ListMachines: MethodDefinition<_mooring_v1_ListMachinesRequest, _mooring_v1_ListMachinesResponse, _mooring_v1_ListMachinesRequest__Output, _mooring_v1_ListMachinesResponse__Output>
  MarkBroken: MethodDefinition<_mooring_v1_MachineReason, _mooring_v1_Machine, _mooring_v1_MachineReason__Output, _mooring_v1_Machine__Output>
  MarkFixed: MethodDefinition<_mooring_v1_MachineReason, _mooring_v1_Machine, _mooring_v1_MachineReason__Output, _mooring_v1_Machine__Output>
  PowerMachine: MethodDefinition<_mooring_v1_PowerMachineRequest, _mooring_v1_Machine, _mooring_v1_PowerMachineRequest__Output, _mooring_v1_Machine__Output>
  ReleaseMachine: MethodDefinition<_mooring_v1_MachineReason, _mooring_v1_Machine, _mooring_v1_MachineReason__Output, _mooring_v1_Machine__Output>
  ReserveMachine: MethodDefinition<_mooring_v1_ReserveMachineRequest, _mooring_v1_Machine, _mooring_v1_ReserveMachineRequest__Output, _mooring_v1_Machine__Output>
  SetBootDevice: MethodDefinition<_mooring_v1_SetBootDeviceRequest, _mooring_v1_Machine, _mooring_v1_SetBootDeviceRequest__Output, _mooring_v1_Machine__Output>
  UnreserveMachine: MethodDefinition<_mooring_v1_MachineRef, _mooring_v1_Machine, _mooring_v1_MachineRef__Output, _mooring_v1_Machine__Output>
  UpdateMachine: MethodDefinition<_mooring_v1_UpdateMachineRequest, _mooring_v1_Machine, _mooring_v1_UpdateMachineRequest__Output, _mooring_v1_Machine__Output>
}
