import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AllocateMachineRequest as _mooring_v1_AllocateMachineRequest, AllocateMachineRequest__Output as _mooring_v1_AllocateMachineRequest__Output } from './mooring/v1/AllocateMachineRequest.js';
import type { AllocateMachineResponse as _mooring_v1_AllocateMachineResponse, AllocateMachineResponse__Output as _mooring_v1_AllocateMachineResponse__Output } from './mooring/v1/AllocateMachineResponse.js';
import type { AllocationConstraints as _mooring_v1_AllocationConstraints, AllocationConstraints__Output as _mooring_v1_AllocationConstraints__Output } from './mooring/v1/AllocationConstraints.js';
import type { AnnotateMachineRequest as _mooring_v1_AnnotateMachineRequest, AnnotateMachineRequest__Output as _mooring_v1_AnnotateMachineRequest__Output } from './mooring/v1/AnnotateMachineRequest.js';
import type { CreatePoolRequest as _mooring_v1_CreatePoolRequest, CreatePoolRequest__Output as _mooring_v1_CreatePoolRequest__Output } from './mooring/v1/CreatePoolRequest.js';
import type { DeleteMachineResponse as _mooring_v1_DeleteMachineResponse, DeleteMachineResponse__Output as _mooring_v1_DeleteMachineResponse__Output } from './mooring/v1/DeleteMachineResponse.js';
import type { DeletePoolResponse as _mooring_v1_DeletePoolResponse, DeletePoolResponse__Output as _mooring_v1_DeletePoolResponse__Output } from './mooring/v1/DeletePoolResponse.js';
import type { EnlistMachineRequest as _mooring_v1_EnlistMachineRequest, EnlistMachineRequest__Output as _mooring_v1_EnlistMachineRequest__Output } from './mooring/v1/EnlistMachineRequest.js';
import type { HardwareDisk as _mooring_v1_HardwareDisk, HardwareDisk__Output as _mooring_v1_HardwareDisk__Output } from './mooring/v1/HardwareDisk.js';
import type { HardwareFacts as _mooring_v1_HardwareFacts, HardwareFacts__Output as _mooring_v1_HardwareFacts__Output } from './mooring/v1/HardwareFacts.js';
import type { HardwareNic as _mooring_v1_HardwareNic, HardwareNic__Output as _mooring_v1_HardwareNic__Output } from './mooring/v1/HardwareNic.js';
import type { Holder as _mooring_v1_Holder, Holder__Output as _mooring_v1_Holder__Output } from './mooring/v1/Holder.js';
import type { ListMachinesRequest as _mooring_v1_ListMachinesRequest, ListMachinesRequest__Output as _mooring_v1_ListMachinesRequest__Output } from './mooring/v1/ListMachinesRequest.js';
import type { ListMachinesResponse as _mooring_v1_ListMachinesResponse, ListMachinesResponse__Output as _mooring_v1_ListMachinesResponse__Output } from './mooring/v1/ListMachinesResponse.js';
import type { ListPoolsRequest as _mooring_v1_ListPoolsRequest, ListPoolsRequest__Output as _mooring_v1_ListPoolsRequest__Output } from './mooring/v1/ListPoolsRequest.js';
import type { ListPoolsResponse as _mooring_v1_ListPoolsResponse, ListPoolsResponse__Output as _mooring_v1_ListPoolsResponse__Output } from './mooring/v1/ListPoolsResponse.js';
import type { Machine as _mooring_v1_Machine, Machine__Output as _mooring_v1_Machine__Output } from './mooring/v1/Machine.js';
import type { MachineReason as _mooring_v1_MachineReason, MachineReason__Output as _mooring_v1_MachineReason__Output } from './mooring/v1/MachineReason.js';
import type { MachineRef as _mooring_v1_MachineRef, MachineRef__Output as _mooring_v1_MachineRef__Output } from './mooring/v1/MachineRef.js';
import type { MachineServiceClient as _mooring_v1_MachineServiceClient, MachineServiceDefinition as _mooring_v1_MachineServiceDefinition } from './mooring/v1/MachineService.js';
import type { Pool as _mooring_v1_Pool, Pool__Output as _mooring_v1_Pool__Output } from './mooring/v1/Pool.js';
import type { PoolRef as _mooring_v1_PoolRef, PoolRef__Output as _mooring_v1_PoolRef__Output } from './mooring/v1/PoolRef.js';
import type { PoolServiceClient as _mooring_v1_PoolServiceClient, PoolServiceDefinition as _mooring_v1_PoolServiceDefinition } from './mooring/v1/PoolService.js';
import type { Port as _mooring_v1_Port, Port__Output as _mooring_v1_Port__Output } from './mooring/v1/Port.js';
import type { PowerMachineRequest as _mooring_v1_PowerMachineRequest, PowerMachineRequest__Output as _mooring_v1_PowerMachineRequest__Output } from './mooring/v1/PowerMachineRequest.js';
import type { PowerSettings as _mooring_v1_PowerSettings, PowerSettings__Output as _mooring_v1_PowerSettings__Output } from './mooring/v1/PowerSettings.js';
import type { ReserveMachineRequest as _mooring_v1_ReserveMachineRequest, ReserveMachineRequest__Output as _mooring_v1_ReserveMachineRequest__Output } from './mooring/v1/ReserveMachineRequest.js';
import type { SetBootDeviceRequest as _mooring_v1_SetBootDeviceRequest, SetBootDeviceRequest__Output as _mooring_v1_SetBootDeviceRequest__Output } from './mooring/v1/SetBootDeviceRequest.js';
import type { SetPoolEraseModeRequest as _mooring_v1_SetPoolEraseModeRequest, SetPoolEraseModeRequest__Output as _mooring_v1_SetPoolEraseModeRequest__Output } from './mooring/v1/SetPoolEraseModeRequest.js';
import type { SetPoolReservationRequest as _mooring_v1_SetPoolReservationRequest, SetPoolReservationRequest__Output as _mooring_v1_SetPoolReservationRequest__Output } from './mooring/v1/SetPoolReservationRequest.js';
import type { StatusCount as _mooring_v1_StatusCount, StatusCount__Output as _mooring_v1_StatusCount__Output } from './mooring/v1/StatusCount.js';
import type { TagList as _mooring_v1_TagList, TagList__Output as _mooring_v1_TagList__Output } from './mooring/v1/TagList.js';
import type { UpdateMachineRequest as _mooring_v1_UpdateMachineRequest, UpdateMachineRequest__Output as _mooring_v1_UpdateMachineRequest__Output } from './mooring/v1/UpdateMachineRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  mooring: {
    v1: {
      AllocateMachineRequest: MessageTypeDefinition<_mooring_v1_AllocateMachineRequest, _mooring_v1_AllocateMachineRequest__Output>
      AllocateMachineResponse: MessageTypeDefinition<_mooring_v1_AllocateMachineResponse, _mooring_v1_AllocateMachineResponse__Output>
      AllocationConstraints: MessageTypeDefinition<_mooring_v1_AllocationConstraints, _mooring_v1_AllocationConstraints__Output>
      AnnotateMachineRequest: MessageTypeDefinition<_mooring_v1_AnnotateMachineRequest, _mooring_v1_AnnotateMachineRequest__Output>
      BootDevice: EnumTypeDefinition
      BootMode: EnumTypeDefinition
      CreatePoolRequest: MessageTypeDefinition<_mooring_v1_CreatePoolRequest, _mooring_v1_CreatePoolRequest__Output>
      DeleteMachineResponse: MessageTypeDefinition<_mooring_v1_DeleteMachineResponse, _mooring_v1_DeleteMachineResponse__Output>
      DeletePoolResponse: MessageTypeDefinition<_mooring_v1_DeletePoolResponse, _mooring_v1_DeletePoolResponse__Output>
      EnlistMachineRequest: MessageTypeDefinition<_mooring_v1_EnlistMachineRequest, _mooring_v1_EnlistMachineRequest__Output>
      EraseMode: EnumTypeDefinition
      HardwareDisk: MessageTypeDefinition<_mooring_v1_HardwareDisk, _mooring_v1_HardwareDisk__Output>
      HardwareFacts: MessageTypeDefinition<_mooring_v1_HardwareFacts, _mooring_v1_HardwareFacts__Output>
      HardwareNic: MessageTypeDefinition<_mooring_v1_HardwareNic, _mooring_v1_HardwareNic__Output>
      HardwareSource: EnumTypeDefinition
      Holder: MessageTypeDefinition<_mooring_v1_Holder, _mooring_v1_Holder__Output>
      ListMachinesRequest: MessageTypeDefinition<_mooring_v1_ListMachinesRequest, _mooring_v1_ListMachinesRequest__Output>
      ListMachinesResponse: MessageTypeDefinition<_mooring_v1_ListMachinesResponse, _mooring_v1_ListMachinesResponse__Output>
      ListPoolsRequest: MessageTypeDefinition<_mooring_v1_ListPoolsRequest, _mooring_v1_ListPoolsRequest__Output>
      ListPoolsResponse: MessageTypeDefinition<_mooring_v1_ListPoolsResponse, _mooring_v1_ListPoolsResponse__Output>
      Machine: MessageTypeDefinition<_mooring_v1_Machine, _mooring_v1_Machine__Output>
      MachineReason: MessageTypeDefinition<_mooring_v1_MachineReason, _mooring_v1_MachineReason__Output>
      MachineRef: MessageTypeDefinition<_mooring_v1_MachineRef, _mooring_v1_MachineRef__Output>
      MachineService: SubtypeConstructor<typeof grpc.Client, _mooring_v1_MachineServiceClient> & { service: _mooring_v1_MachineServiceDefinition }
      MachineStatus: EnumTypeDefinition
      Pool: MessageTypeDefinition<_mooring_v1_Pool, _mooring_v1_Pool__Output>
      PoolRef: MessageTypeDefinition<_mooring_v1_PoolRef, _mooring_v1_PoolRef__Output>
      PoolService: SubtypeConstructor<typeof grpc.Client, _mooring_v1_PoolServiceClient> & { service: _mooring_v1_PoolServiceDefinition }
      Port: MessageTypeDefinition<_mooring_v1_Port, _mooring_v1_Port__Output>
      PowerAction: EnumTypeDefinition
      PowerDriver: EnumTypeDefinition
      PowerMachineRequest: MessageTypeDefinition<_mooring_v1_PowerMachineRequest, _mooring_v1_PowerMachineRequest__Output>
      PowerSettings: MessageTypeDefinition<_mooring_v1_PowerSettings, _mooring_v1_PowerSettings__Output>
      PowerState: EnumTypeDefinition
      RedfishTlsVerify: EnumTypeDefinition
      ReserveMachineRequest: MessageTypeDefinition<_mooring_v1_ReserveMachineRequest, _mooring_v1_ReserveMachineRequest__Output>
      SetBootDeviceRequest: MessageTypeDefinition<_mooring_v1_SetBootDeviceRequest, _mooring_v1_SetBootDeviceRequest__Output>
      SetPoolEraseModeRequest: MessageTypeDefinition<_mooring_v1_SetPoolEraseModeRequest, _mooring_v1_SetPoolEraseModeRequest__Output>
      SetPoolReservationRequest: MessageTypeDefinition<_mooring_v1_SetPoolReservationRequest, _mooring_v1_SetPoolReservationRequest__Output>
      SmartNicConstraint: EnumTypeDefinition
      StatusCount: MessageTypeDefinition<_mooring_v1_StatusCount, _mooring_v1_StatusCount__Output>
      TagList: MessageTypeDefinition<_mooring_v1_TagList, _mooring_v1_TagList__Output>
      UpdateMachineRequest: MessageTypeDefinition<_mooring_v1_UpdateMachineRequest, _mooring_v1_UpdateMachineRequest__Output>
    }
  }
}

