import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AddVmHostRequest as _mooring_v1_AddVmHostRequest, AddVmHostRequest__Output as _mooring_v1_AddVmHostRequest__Output } from './mooring/v1/AddVmHostRequest.js';
import type { AllocateMachineRequest as _mooring_v1_AllocateMachineRequest, AllocateMachineRequest__Output as _mooring_v1_AllocateMachineRequest__Output } from './mooring/v1/AllocateMachineRequest.js';
import type { AllocateMachineResponse as _mooring_v1_AllocateMachineResponse, AllocateMachineResponse__Output as _mooring_v1_AllocateMachineResponse__Output } from './mooring/v1/AllocateMachineResponse.js';
import type { AllocationConstraints as _mooring_v1_AllocationConstraints, AllocationConstraints__Output as _mooring_v1_AllocationConstraints__Output } from './mooring/v1/AllocationConstraints.js';
import type { AnnotateMachineRequest as _mooring_v1_AnnotateMachineRequest, AnnotateMachineRequest__Output as _mooring_v1_AnnotateMachineRequest__Output } from './mooring/v1/AnnotateMachineRequest.js';
import type { ComposeVmRequest as _mooring_v1_ComposeVmRequest, ComposeVmRequest__Output as _mooring_v1_ComposeVmRequest__Output } from './mooring/v1/ComposeVmRequest.js';
import type { DeleteMachineResponse as _mooring_v1_DeleteMachineResponse, DeleteMachineResponse__Output as _mooring_v1_DeleteMachineResponse__Output } from './mooring/v1/DeleteMachineResponse.js';
import type { DeleteVmResponse as _mooring_v1_DeleteVmResponse, DeleteVmResponse__Output as _mooring_v1_DeleteVmResponse__Output } from './mooring/v1/DeleteVmResponse.js';
import type { EnlistMachineRequest as _mooring_v1_EnlistMachineRequest, EnlistMachineRequest__Output as _mooring_v1_EnlistMachineRequest__Output } from './mooring/v1/EnlistMachineRequest.js';
import type { HardwareDisk as _mooring_v1_HardwareDisk, HardwareDisk__Output as _mooring_v1_HardwareDisk__Output } from './mooring/v1/HardwareDisk.js';
import type { HardwareFacts as _mooring_v1_HardwareFacts, HardwareFacts__Output as _mooring_v1_HardwareFacts__Output } from './mooring/v1/HardwareFacts.js';
import type { HardwareNic as _mooring_v1_HardwareNic, HardwareNic__Output as _mooring_v1_HardwareNic__Output } from './mooring/v1/HardwareNic.js';
import type { Holder as _mooring_v1_Holder, Holder__Output as _mooring_v1_Holder__Output } from './mooring/v1/Holder.js';
import type { ListMachinesRequest as _mooring_v1_ListMachinesRequest, ListMachinesRequest__Output as _mooring_v1_ListMachinesRequest__Output } from './mooring/v1/ListMachinesRequest.js';
import type { ListMachinesResponse as _mooring_v1_ListMachinesResponse, ListMachinesResponse__Output as _mooring_v1_ListMachinesResponse__Output } from './mooring/v1/ListMachinesResponse.js';
import type { ListVmHostsRequest as _mooring_v1_ListVmHostsRequest, ListVmHostsRequest__Output as _mooring_v1_ListVmHostsRequest__Output } from './mooring/v1/ListVmHostsRequest.js';
import type { ListVmHostsResponse as _mooring_v1_ListVmHostsResponse, ListVmHostsResponse__Output as _mooring_v1_ListVmHostsResponse__Output } from './mooring/v1/ListVmHostsResponse.js';
import type { LxdAssignProject as _mooring_v1_LxdAssignProject, LxdAssignProject__Output as _mooring_v1_LxdAssignProject__Output } from './mooring/v1/LxdAssignProject.js';
import type { LxdCompose as _mooring_v1_LxdCompose, LxdCompose__Output as _mooring_v1_LxdCompose__Output } from './mooring/v1/LxdCompose.js';
import type { LxdDelete as _mooring_v1_LxdDelete, LxdDelete__Output as _mooring_v1_LxdDelete__Output } from './mooring/v1/LxdDelete.js';
import type { LxdInstance as _mooring_v1_LxdInstance, LxdInstance__Output as _mooring_v1_LxdInstance__Output } from './mooring/v1/LxdInstance.js';
import type { LxdNic as _mooring_v1_LxdNic, LxdNic__Output as _mooring_v1_LxdNic__Output } from './mooring/v1/LxdNic.js';
import type { LxdNicRequest as _mooring_v1_LxdNicRequest, LxdNicRequest__Output as _mooring_v1_LxdNicRequest__Output } from './mooring/v1/LxdNicRequest.js';
import type { LxdNumaNode as _mooring_v1_LxdNumaNode, LxdNumaNode__Output as _mooring_v1_LxdNumaNode__Output } from './mooring/v1/LxdNumaNode.js';
import type { LxdPower as _mooring_v1_LxdPower, LxdPower__Output as _mooring_v1_LxdPower__Output } from './mooring/v1/LxdPower.js';
import type { LxdRefresh as _mooring_v1_LxdRefresh, LxdRefresh__Output as _mooring_v1_LxdRefresh__Output } from './mooring/v1/LxdRefresh.js';
import type { LxdRelease as _mooring_v1_LxdRelease, LxdRelease__Output as _mooring_v1_LxdRelease__Output } from './mooring/v1/LxdRelease.js';
import type { LxdReport as _mooring_v1_LxdReport, LxdReport__Output as _mooring_v1_LxdReport__Output } from './mooring/v1/LxdReport.js';
import type { LxdResources as _mooring_v1_LxdResources, LxdResources__Output as _mooring_v1_LxdResources__Output } from './mooring/v1/LxdResources.js';
import type { LxdResult as _mooring_v1_LxdResult, LxdResult__Output as _mooring_v1_LxdResult__Output } from './mooring/v1/LxdResult.js';
import type { LxdStoragePool as _mooring_v1_LxdStoragePool, LxdStoragePool__Output as _mooring_v1_LxdStoragePool__Output } from './mooring/v1/LxdStoragePool.js';
import type { LxdUsage as _mooring_v1_LxdUsage, LxdUsage__Output as _mooring_v1_LxdUsage__Output } from './mooring/v1/LxdUsage.js';
import type { Machine as _mooring_v1_Machine, Machine__Output as _mooring_v1_Machine__Output } from './mooring/v1/Machine.js';
import type { MachineReason as _mooring_v1_MachineReason, MachineReason__Output as _mooring_v1_MachineReason__Output } from './mooring/v1/MachineReason.js';
import type { MachineRef as _mooring_v1_MachineRef, MachineRef__Output as _mooring_v1_MachineRef__Output } from './mooring/v1/MachineRef.js';
import type { MachineServiceClient as _mooring_v1_MachineServiceClient, MachineServiceDefinition as _mooring_v1_MachineServiceDefinition } from './mooring/v1/MachineService.js';
import type { Port as _mooring_v1_Port, Port__Output as _mooring_v1_Port__Output } from './mooring/v1/Port.js';
import type { PowerMachineRequest as _mooring_v1_PowerMachineRequest, PowerMachineRequest__Output as _mooring_v1_PowerMachineRequest__Output } from './mooring/v1/PowerMachineRequest.js';
import type { PowerSettings as _mooring_v1_PowerSettings, PowerSettings__Output as _mooring_v1_PowerSettings__Output } from './mooring/v1/PowerSettings.js';
import type { PowerVmRequest as _mooring_v1_PowerVmRequest, PowerVmRequest__Output as _mooring_v1_PowerVmRequest__Output } from './mooring/v1/PowerVmRequest.js';
import type { RemoveVmHostRequest as _mooring_v1_RemoveVmHostRequest, RemoveVmHostRequest__Output as _mooring_v1_RemoveVmHostRequest__Output } from './mooring/v1/RemoveVmHostRequest.js';
import type { RemoveVmHostResponse as _mooring_v1_RemoveVmHostResponse, RemoveVmHostResponse__Output as _mooring_v1_RemoveVmHostResponse__Output } from './mooring/v1/RemoveVmHostResponse.js';
import type { ReserveMachineRequest as _mooring_v1_ReserveMachineRequest, ReserveMachineRequest__Output as _mooring_v1_ReserveMachineRequest__Output } from './mooring/v1/ReserveMachineRequest.js';
import type { SetBootDeviceRequest as _mooring_v1_SetBootDeviceRequest, SetBootDeviceRequest__Output as _mooring_v1_SetBootDeviceRequest__Output } from './mooring/v1/SetBootDeviceRequest.js';
import type { StatusCount as _mooring_v1_StatusCount, StatusCount__Output as _mooring_v1_StatusCount__Output } from './mooring/v1/StatusCount.js';
import type { TagList as _mooring_v1_TagList, TagList__Output as _mooring_v1_TagList__Output } from './mooring/v1/TagList.js';
import type { UpdateMachineRequest as _mooring_v1_UpdateMachineRequest, UpdateMachineRequest__Output as _mooring_v1_UpdateMachineRequest__Output } from './mooring/v1/UpdateMachineRequest.js';
import type { UpdateVmHostRequest as _mooring_v1_UpdateVmHostRequest, UpdateVmHostRequest__Output as _mooring_v1_UpdateVmHostRequest__Output } from './mooring/v1/UpdateVmHostRequest.js';
import type { VmHost as _mooring_v1_VmHost, VmHost__Output as _mooring_v1_VmHost__Output } from './mooring/v1/VmHost.js';
import type { VmHostRef as _mooring_v1_VmHostRef, VmHostRef__Output as _mooring_v1_VmHostRef__Output } from './mooring/v1/VmHostRef.js';
import type { VmHostResource as _mooring_v1_VmHostResource, VmHostResource__Output as _mooring_v1_VmHostResource__Output } from './mooring/v1/VmHostResource.js';
import type { VmHostServiceClient as _mooring_v1_VmHostServiceClient, VmHostServiceDefinition as _mooring_v1_VmHostServiceDefinition } from './mooring/v1/VmHostService.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  mooring: {
    v1: {
      AddVmHostRequest: MessageTypeDefinition<_mooring_v1_AddVmHostRequest, _mooring_v1_AddVmHostRequest__Output>
      AllocateMachineRequest: MessageTypeDefinition<_mooring_v1_AllocateMachineRequest, _mooring_v1_AllocateMachineRequest__Output>
      AllocateMachineResponse: MessageTypeDefinition<_mooring_v1_AllocateMachineResponse, _mooring_v1_AllocateMachineResponse__Output>
      AllocationConstraints: MessageTypeDefinition<_mooring_v1_AllocationConstraints, _mooring_v1_AllocationConstraints__Output>
      AnnotateMachineRequest: MessageTypeDefinition<_mooring_v1_AnnotateMachineRequest, _mooring_v1_AnnotateMachineRequest__Output>
      BootDevice: EnumTypeDefinition
      BootMode: EnumTypeDefinition
      ComposeVmRequest: MessageTypeDefinition<_mooring_v1_ComposeVmRequest, _mooring_v1_ComposeVmRequest__Output>
      DeleteMachineResponse: MessageTypeDefinition<_mooring_v1_DeleteMachineResponse, _mooring_v1_DeleteMachineResponse__Output>
      DeleteVmResponse: MessageTypeDefinition<_mooring_v1_DeleteVmResponse, _mooring_v1_DeleteVmResponse__Output>
      EnlistMachineRequest: MessageTypeDefinition<_mooring_v1_EnlistMachineRequest, _mooring_v1_EnlistMachineRequest__Output>
      HardwareDisk: MessageTypeDefinition<_mooring_v1_HardwareDisk, _mooring_v1_HardwareDisk__Output>
      HardwareFacts: MessageTypeDefinition<_mooring_v1_HardwareFacts, _mooring_v1_HardwareFacts__Output>
      HardwareNic: MessageTypeDefinition<_mooring_v1_HardwareNic, _mooring_v1_HardwareNic__Output>
      HardwareSource: EnumTypeDefinition
      Holder: MessageTypeDefinition<_mooring_v1_Holder, _mooring_v1_Holder__Output>
      ListMachinesRequest: MessageTypeDefinition<_mooring_v1_ListMachinesRequest, _mooring_v1_ListMachinesRequest__Output>
      ListMachinesResponse: MessageTypeDefinition<_mooring_v1_ListMachinesResponse, _mooring_v1_ListMachinesResponse__Output>
      ListVmHostsRequest: MessageTypeDefinition<_mooring_v1_ListVmHostsRequest, _mooring_v1_ListVmHostsRequest__Output>
      ListVmHostsResponse: MessageTypeDefinition<_mooring_v1_ListVmHostsResponse, _mooring_v1_ListVmHostsResponse__Output>
      LxdAssignProject: MessageTypeDefinition<_mooring_v1_LxdAssignProject, _mooring_v1_LxdAssignProject__Output>
      LxdCompose: MessageTypeDefinition<_mooring_v1_LxdCompose, _mooring_v1_LxdCompose__Output>
      LxdDelete: MessageTypeDefinition<_mooring_v1_LxdDelete, _mooring_v1_LxdDelete__Output>
      LxdInstance: MessageTypeDefinition<_mooring_v1_LxdInstance, _mooring_v1_LxdInstance__Output>
      LxdNic: MessageTypeDefinition<_mooring_v1_LxdNic, _mooring_v1_LxdNic__Output>
      LxdNicRequest: MessageTypeDefinition<_mooring_v1_LxdNicRequest, _mooring_v1_LxdNicRequest__Output>
      LxdNumaNode: MessageTypeDefinition<_mooring_v1_LxdNumaNode, _mooring_v1_LxdNumaNode__Output>
      LxdOtherUsage: EnumTypeDefinition
      LxdPower: MessageTypeDefinition<_mooring_v1_LxdPower, _mooring_v1_LxdPower__Output>
      LxdRefresh: MessageTypeDefinition<_mooring_v1_LxdRefresh, _mooring_v1_LxdRefresh__Output>
      LxdRelease: MessageTypeDefinition<_mooring_v1_LxdRelease, _mooring_v1_LxdRelease__Output>
      LxdReport: MessageTypeDefinition<_mooring_v1_LxdReport, _mooring_v1_LxdReport__Output>
      LxdResources: MessageTypeDefinition<_mooring_v1_LxdResources, _mooring_v1_LxdResources__Output>
      LxdResult: MessageTypeDefinition<_mooring_v1_LxdResult, _mooring_v1_LxdResult__Output>
      LxdStoragePool: MessageTypeDefinition<_mooring_v1_LxdStoragePool, _mooring_v1_LxdStoragePool__Output>
      LxdUsage: MessageTypeDefinition<_mooring_v1_LxdUsage, _mooring_v1_LxdUsage__Output>
      Machine: MessageTypeDefinition<_mooring_v1_Machine, _mooring_v1_Machine__Output>
      MachineReason: MessageTypeDefinition<_mooring_v1_MachineReason, _mooring_v1_MachineReason__Output>
      MachineRef: MessageTypeDefinition<_mooring_v1_MachineRef, _mooring_v1_MachineRef__Output>
      MachineService: SubtypeConstructor<typeof grpc.Client, _mooring_v1_MachineServiceClient> & { service: _mooring_v1_MachineServiceDefinition }
      MachineStatus: EnumTypeDefinition
      Port: MessageTypeDefinition<_mooring_v1_Port, _mooring_v1_Port__Output>
      PowerAction: EnumTypeDefinition
      PowerDriver: EnumTypeDefinition
      PowerMachineRequest: MessageTypeDefinition<_mooring_v1_PowerMachineRequest, _mooring_v1_PowerMachineRequest__Output>
      PowerSettings: MessageTypeDefinition<_mooring_v1_PowerSettings, _mooring_v1_PowerSettings__Output>
      PowerState: EnumTypeDefinition
      PowerVmRequest: MessageTypeDefinition<_mooring_v1_PowerVmRequest, _mooring_v1_PowerVmRequest__Output>
      RedfishTlsVerify: EnumTypeDefinition
      RemoveVmHostRequest: MessageTypeDefinition<_mooring_v1_RemoveVmHostRequest, _mooring_v1_RemoveVmHostRequest__Output>
      RemoveVmHostResponse: MessageTypeDefinition<_mooring_v1_RemoveVmHostResponse, _mooring_v1_RemoveVmHostResponse__Output>
      ReserveMachineRequest: MessageTypeDefinition<_mooring_v1_ReserveMachineRequest, _mooring_v1_ReserveMachineRequest__Output>
      SetBootDeviceRequest: MessageTypeDefinition<_mooring_v1_SetBootDeviceRequest, _mooring_v1_SetBootDeviceRequest__Output>
      SmartNicConstraint: EnumTypeDefinition
      StatusCount: MessageTypeDefinition<_mooring_v1_StatusCount, _mooring_v1_StatusCount__Output>
      TagList: MessageTypeDefinition<_mooring_v1_TagList, _mooring_v1_TagList__Output>
      UpdateMachineRequest: MessageTypeDefinition<_mooring_v1_UpdateMachineRequest, _mooring_v1_UpdateMachineRequest__Output>
      UpdateVmHostRequest: MessageTypeDefinition<_mooring_v1_UpdateVmHostRequest, _mooring_v1_UpdateVmHostRequest__Output>
      VmHost: MessageTypeDefinition<_mooring_v1_VmHost, _mooring_v1_VmHost__Output>
      VmHostRef: MessageTypeDefinition<_mooring_v1_VmHostRef, _mooring_v1_VmHostRef__Output>
      VmHostResource: MessageTypeDefinition<_mooring_v1_VmHostResource, _mooring_v1_VmHostResource__Output>
      VmHostService: SubtypeConstructor<typeof grpc.Client, _mooring_v1_VmHostServiceClient> & { service: _mooring_v1_VmHostServiceDefinition }
    }
  }
}

