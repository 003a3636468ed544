import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AllocateMachineRequest as _mooring_v1_AllocateMachineRequest, AllocateMachineRequest__Output as _mooring_v1_AllocateMachineRequest__Output } from './mooring/v1/AllocateMachineRequest.js';
import type { AllocateMachineResponse as _mooring_v1_AllocateMachineResponse, AllocateMachineResponse__Output as _mooring_v1_AllocateMachineResponse__Output } from './mooring/v1/AllocateMachineResponse.js';
import type { AllocationConstraints as _mooring_v1_AllocationConstraints, AllocationConstraints__Output as _mooring_v1_AllocationConstraints__Output } from './mooring/v1/AllocationConstraints.js';
import type { AnnotateMachineRequest as _mooring_v1_AnnotateMachineRequest, AnnotateMachineRequest__Output as _mooring_v1_AnnotateMachineRequest__Output } from './mooring/v1/AnnotateMachineRequest.js';
import type { ConfirmPowerRequest as _mooring_v1_ConfirmPowerRequest, ConfirmPowerRequest__Output as _mooring_v1_ConfirmPowerRequest__Output } from './mooring/v1/ConfirmPowerRequest.js';
import type { DeleteMachineResponse as _mooring_v1_DeleteMachineResponse, DeleteMachineResponse__Output as _mooring_v1_DeleteMachineResponse__Output } from './mooring/v1/DeleteMachineResponse.js';
import type { DeployMachineRequest as _mooring_v1_DeployMachineRequest, DeployMachineRequest__Output as _mooring_v1_DeployMachineRequest__Output } from './mooring/v1/DeployMachineRequest.js';
import type { DeploymentServiceClient as _mooring_v1_DeploymentServiceClient, DeploymentServiceDefinition as _mooring_v1_DeploymentServiceDefinition } from './mooring/v1/DeploymentService.js';
import type { EnlistMachineRequest as _mooring_v1_EnlistMachineRequest, EnlistMachineRequest__Output as _mooring_v1_EnlistMachineRequest__Output } from './mooring/v1/EnlistMachineRequest.js';
import type { HardwareDisk as _mooring_v1_HardwareDisk, HardwareDisk__Output as _mooring_v1_HardwareDisk__Output } from './mooring/v1/HardwareDisk.js';
import type { HardwareFacts as _mooring_v1_HardwareFacts, HardwareFacts__Output as _mooring_v1_HardwareFacts__Output } from './mooring/v1/HardwareFacts.js';
import type { HardwareNic as _mooring_v1_HardwareNic, HardwareNic__Output as _mooring_v1_HardwareNic__Output } from './mooring/v1/HardwareNic.js';
import type { Holder as _mooring_v1_Holder, Holder__Output as _mooring_v1_Holder__Output } from './mooring/v1/Holder.js';
import type { ListMachinesRequest as _mooring_v1_ListMachinesRequest, ListMachinesRequest__Output as _mooring_v1_ListMachinesRequest__Output } from './mooring/v1/ListMachinesRequest.js';
import type { ListMachinesResponse as _mooring_v1_ListMachinesResponse, ListMachinesResponse__Output as _mooring_v1_ListMachinesResponse__Output } from './mooring/v1/ListMachinesResponse.js';
import type { Machine as _mooring_v1_Machine, Machine__Output as _mooring_v1_Machine__Output } from './mooring/v1/Machine.js';
import type { MachineNetworks as _mooring_v1_MachineNetworks, MachineNetworks__Output as _mooring_v1_MachineNetworks__Output } from './mooring/v1/MachineNetworks.js';
import type { MachineReason as _mooring_v1_MachineReason, MachineReason__Output as _mooring_v1_MachineReason__Output } from './mooring/v1/MachineReason.js';
import type { MachineRef as _mooring_v1_MachineRef, MachineRef__Output as _mooring_v1_MachineRef__Output } from './mooring/v1/MachineRef.js';
import type { MachineServiceClient as _mooring_v1_MachineServiceClient, MachineServiceDefinition as _mooring_v1_MachineServiceDefinition } from './mooring/v1/MachineService.js';
import type { NetworkBindRequest as _mooring_v1_NetworkBindRequest, NetworkBindRequest__Output as _mooring_v1_NetworkBindRequest__Output } from './mooring/v1/NetworkBindRequest.js';
import type { Port as _mooring_v1_Port, Port__Output as _mooring_v1_Port__Output } from './mooring/v1/Port.js';
import type { PortNetwork as _mooring_v1_PortNetwork, PortNetwork__Output as _mooring_v1_PortNetwork__Output } from './mooring/v1/PortNetwork.js';
import type { PowerMachineRequest as _mooring_v1_PowerMachineRequest, PowerMachineRequest__Output as _mooring_v1_PowerMachineRequest__Output } from './mooring/v1/PowerMachineRequest.js';
import type { PowerSettings as _mooring_v1_PowerSettings, PowerSettings__Output as _mooring_v1_PowerSettings__Output } from './mooring/v1/PowerSettings.js';
import type { ReserveMachineRequest as _mooring_v1_ReserveMachineRequest, ReserveMachineRequest__Output as _mooring_v1_ReserveMachineRequest__Output } from './mooring/v1/ReserveMachineRequest.js';
import type { Sequence as _mooring_v1_Sequence, Sequence__Output as _mooring_v1_Sequence__Output } from './mooring/v1/Sequence.js';
import type { SetBootDeviceRequest as _mooring_v1_SetBootDeviceRequest, SetBootDeviceRequest__Output as _mooring_v1_SetBootDeviceRequest__Output } from './mooring/v1/SetBootDeviceRequest.js';
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
      ConfirmPowerRequest: MessageTypeDefinition<_mooring_v1_ConfirmPowerRequest, _mooring_v1_ConfirmPowerRequest__Output>
      DeleteMachineResponse: MessageTypeDefinition<_mooring_v1_DeleteMachineResponse, _mooring_v1_DeleteMachineResponse__Output>
      DeployMachineRequest: MessageTypeDefinition<_mooring_v1_DeployMachineRequest, _mooring_v1_DeployMachineRequest__Output>
      DeploymentService: SubtypeConstructor<typeof grpc.Client, _mooring_v1_DeploymentServiceClient> & { service: _mooring_v1_DeploymentServiceDefinition }
      EnlistMachineRequest: MessageTypeDefinition<_mooring_v1_EnlistMachineRequest, _mooring_v1_EnlistMachineRequest__Output>
      HardwareDisk: MessageTypeDefinition<_mooring_v1_HardwareDisk, _mooring_v1_HardwareDisk__Output>
      HardwareFacts: MessageTypeDefinition<_mooring_v1_HardwareFacts, _mooring_v1_HardwareFacts__Output>
      HardwareNic: MessageTypeDefinition<_mooring_v1_HardwareNic, _mooring_v1_HardwareNic__Output>
      HardwareSource: EnumTypeDefinition
      Holder: MessageTypeDefinition<_mooring_v1_Holder, _mooring_v1_Holder__Output>
      ListMachinesRequest: MessageTypeDefinition<_mooring_v1_ListMachinesRequest, _mooring_v1_ListMachinesRequest__Output>
      ListMachinesResponse: MessageTypeDefinition<_mooring_v1_ListMachinesResponse, _mooring_v1_ListMachinesResponse__Output>
      Machine: MessageTypeDefinition<_mooring_v1_Machine, _mooring_v1_Machine__Output>
      MachineNetworks: MessageTypeDefinition<_mooring_v1_MachineNetworks, _mooring_v1_MachineNetworks__Output>
      MachineReason: MessageTypeDefinition<_mooring_v1_MachineReason, _mooring_v1_MachineReason__Output>
      MachineRef: MessageTypeDefinition<_mooring_v1_MachineRef, _mooring_v1_MachineRef__Output>
      MachineService: SubtypeConstructor<typeof grpc.Client, _mooring_v1_MachineServiceClient> & { service: _mooring_v1_MachineServiceDefinition }
      MachineStatus: EnumTypeDefinition
      NetworkBindRequest: MessageTypeDefinition<_mooring_v1_NetworkBindRequest, _mooring_v1_NetworkBindRequest__Output>
      Port: MessageTypeDefinition<_mooring_v1_Port, _mooring_v1_Port__Output>
      PortNetwork: MessageTypeDefinition<_mooring_v1_PortNetwork, _mooring_v1_PortNetwork__Output>
      PowerAction: EnumTypeDefinition
      PowerDriver: EnumTypeDefinition
      PowerMachineRequest: MessageTypeDefinition<_mooring_v1_PowerMachineRequest, _mooring_v1_PowerMachineRequest__Output>
      PowerSettings: MessageTypeDefinition<_mooring_v1_PowerSettings, _mooring_v1_PowerSettings__Output>
      PowerState: EnumTypeDefinition
      RedfishTlsVerify: EnumTypeDefinition
      ReserveMachineRequest: MessageTypeDefinition<_mooring_v1_ReserveMachineRequest, _mooring_v1_ReserveMachineRequest__Output>
      Sequence: MessageTypeDefinition<_mooring_v1_Sequence, _mooring_v1_Sequence__Output>
      SetBootDeviceRequest: MessageTypeDefinition<_mooring_v1_SetBootDeviceRequest, _mooring_v1_SetBootDeviceRequest__Output>
      SmartNicConstraint: EnumTypeDefinition
      StatusCount: MessageTypeDefinition<_mooring_v1_StatusCount, _mooring_v1_StatusCount__Output>
      TagList: MessageTypeDefinition<_mooring_v1_TagList, _mooring_v1_TagList__Output>
      UpdateMachineRequest: MessageTypeDefinition<_mooring_v1_UpdateMachineRequest, _mooring_v1_UpdateMachineRequest__Output>
    }
  }
}

