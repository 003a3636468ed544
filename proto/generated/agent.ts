import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AgentAdminServiceClient as _mooring_v1_AgentAdminServiceClient, AgentAdminServiceDefinition as _mooring_v1_AgentAdminServiceDefinition } from './mooring/v1/AgentAdminService.js';
import type { AgentBindPortRequest as _mooring_v1_AgentBindPortRequest, AgentBindPortRequest__Output as _mooring_v1_AgentBindPortRequest__Output } from './mooring/v1/AgentBindPortRequest.js';
import type { AgentCommand as _mooring_v1_AgentCommand, AgentCommand__Output as _mooring_v1_AgentCommand__Output } from './mooring/v1/AgentCommand.js';
import type { AgentCommandResponse as _mooring_v1_AgentCommandResponse, AgentCommandResponse__Output as _mooring_v1_AgentCommandResponse__Output } from './mooring/v1/AgentCommandResponse.js';
import type { AgentInfo as _mooring_v1_AgentInfo, AgentInfo__Output as _mooring_v1_AgentInfo__Output } from './mooring/v1/AgentInfo.js';
import type { AgentMessage as _mooring_v1_AgentMessage, AgentMessage__Output as _mooring_v1_AgentMessage__Output } from './mooring/v1/AgentMessage.js';
import type { AgentReport as _mooring_v1_AgentReport, AgentReport__Output as _mooring_v1_AgentReport__Output } from './mooring/v1/AgentReport.js';
import type { AgentServiceClient as _mooring_v1_AgentServiceClient, AgentServiceDefinition as _mooring_v1_AgentServiceDefinition } from './mooring/v1/AgentService.js';
import type { AgentSriovGetRequest as _mooring_v1_AgentSriovGetRequest, AgentSriovGetRequest__Output as _mooring_v1_AgentSriovGetRequest__Output } from './mooring/v1/AgentSriovGetRequest.js';
import type { AgentSriovResponse as _mooring_v1_AgentSriovResponse, AgentSriovResponse__Output as _mooring_v1_AgentSriovResponse__Output } from './mooring/v1/AgentSriovResponse.js';
import type { AgentSriovSetRequest as _mooring_v1_AgentSriovSetRequest, AgentSriovSetRequest__Output as _mooring_v1_AgentSriovSetRequest__Output } from './mooring/v1/AgentSriovSetRequest.js';
import type { AgentUnbindPortRequest as _mooring_v1_AgentUnbindPortRequest, AgentUnbindPortRequest__Output as _mooring_v1_AgentUnbindPortRequest__Output } from './mooring/v1/AgentUnbindPortRequest.js';
import type { BindPort as _mooring_v1_BindPort, BindPort__Output as _mooring_v1_BindPort__Output } from './mooring/v1/BindPort.js';
import type { CommandResult as _mooring_v1_CommandResult, CommandResult__Output as _mooring_v1_CommandResult__Output } from './mooring/v1/CommandResult.js';
import type { CoordinatorInfo as _mooring_v1_CoordinatorInfo, CoordinatorInfo__Output as _mooring_v1_CoordinatorInfo__Output } from './mooring/v1/CoordinatorInfo.js';
import type { CoordinatorMessage as _mooring_v1_CoordinatorMessage, CoordinatorMessage__Output as _mooring_v1_CoordinatorMessage__Output } from './mooring/v1/CoordinatorMessage.js';
import type { CreateEnrollmentTokenRequest as _mooring_v1_CreateEnrollmentTokenRequest, CreateEnrollmentTokenRequest__Output as _mooring_v1_CreateEnrollmentTokenRequest__Output } from './mooring/v1/CreateEnrollmentTokenRequest.js';
import type { CreateEnrollmentTokenResponse as _mooring_v1_CreateEnrollmentTokenResponse, CreateEnrollmentTokenResponse__Output as _mooring_v1_CreateEnrollmentTokenResponse__Output } from './mooring/v1/CreateEnrollmentTokenResponse.js';
import type { EnrollRequest as _mooring_v1_EnrollRequest, EnrollRequest__Output as _mooring_v1_EnrollRequest__Output } from './mooring/v1/EnrollRequest.js';
import type { EnrollResponse as _mooring_v1_EnrollResponse, EnrollResponse__Output as _mooring_v1_EnrollResponse__Output } from './mooring/v1/EnrollResponse.js';
import type { GetAgentRequest as _mooring_v1_GetAgentRequest, GetAgentRequest__Output as _mooring_v1_GetAgentRequest__Output } from './mooring/v1/GetAgentRequest.js';
import type { Heartbeat as _mooring_v1_Heartbeat, Heartbeat__Output as _mooring_v1_Heartbeat__Output } from './mooring/v1/Heartbeat.js';
import type { HeartbeatAck as _mooring_v1_HeartbeatAck, HeartbeatAck__Output as _mooring_v1_HeartbeatAck__Output } from './mooring/v1/HeartbeatAck.js';
import type { Hello as _mooring_v1_Hello, Hello__Output as _mooring_v1_Hello__Output } from './mooring/v1/Hello.js';
import type { Inventory as _mooring_v1_Inventory, Inventory__Output as _mooring_v1_Inventory__Output } from './mooring/v1/Inventory.js';
import type { ListAgentsRequest as _mooring_v1_ListAgentsRequest, ListAgentsRequest__Output as _mooring_v1_ListAgentsRequest__Output } from './mooring/v1/ListAgentsRequest.js';
import type { ListAgentsResponse as _mooring_v1_ListAgentsResponse, ListAgentsResponse__Output as _mooring_v1_ListAgentsResponse__Output } from './mooring/v1/ListAgentsResponse.js';
import type { ListCoordinatorsRequest as _mooring_v1_ListCoordinatorsRequest, ListCoordinatorsRequest__Output as _mooring_v1_ListCoordinatorsRequest__Output } from './mooring/v1/ListCoordinatorsRequest.js';
import type { ListCoordinatorsResponse as _mooring_v1_ListCoordinatorsResponse, ListCoordinatorsResponse__Output as _mooring_v1_ListCoordinatorsResponse__Output } from './mooring/v1/ListCoordinatorsResponse.js';
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
import type { NetInterface as _mooring_v1_NetInterface, NetInterface__Output as _mooring_v1_NetInterface__Output } from './mooring/v1/NetInterface.js';
import type { PortReport as _mooring_v1_PortReport, PortReport__Output as _mooring_v1_PortReport__Output } from './mooring/v1/PortReport.js';
import type { PortSpec as _mooring_v1_PortSpec, PortSpec__Output as _mooring_v1_PortSpec__Output } from './mooring/v1/PortSpec.js';
import type { ReconcilePorts as _mooring_v1_ReconcilePorts, ReconcilePorts__Output as _mooring_v1_ReconcilePorts__Output } from './mooring/v1/ReconcilePorts.js';
import type { RenewRequest as _mooring_v1_RenewRequest, RenewRequest__Output as _mooring_v1_RenewRequest__Output } from './mooring/v1/RenewRequest.js';
import type { RenewResponse as _mooring_v1_RenewResponse, RenewResponse__Output as _mooring_v1_RenewResponse__Output } from './mooring/v1/RenewResponse.js';
import type { RevokeAgentRequest as _mooring_v1_RevokeAgentRequest, RevokeAgentRequest__Output as _mooring_v1_RevokeAgentRequest__Output } from './mooring/v1/RevokeAgentRequest.js';
import type { SmartNicModeReport as _mooring_v1_SmartNicModeReport, SmartNicModeReport__Output as _mooring_v1_SmartNicModeReport__Output } from './mooring/v1/SmartNicModeReport.js';
import type { SriovConfigure as _mooring_v1_SriovConfigure, SriovConfigure__Output as _mooring_v1_SriovConfigure__Output } from './mooring/v1/SriovConfigure.js';
import type { SriovDesired as _mooring_v1_SriovDesired, SriovDesired__Output as _mooring_v1_SriovDesired__Output } from './mooring/v1/SriovDesired.js';
import type { SriovPfConfig as _mooring_v1_SriovPfConfig, SriovPfConfig__Output as _mooring_v1_SriovPfConfig__Output } from './mooring/v1/SriovPfConfig.js';
import type { SriovPfReport as _mooring_v1_SriovPfReport, SriovPfReport__Output as _mooring_v1_SriovPfReport__Output } from './mooring/v1/SriovPfReport.js';
import type { SriovRefresh as _mooring_v1_SriovRefresh, SriovRefresh__Output as _mooring_v1_SriovRefresh__Output } from './mooring/v1/SriovRefresh.js';
import type { SriovReport as _mooring_v1_SriovReport, SriovReport__Output as _mooring_v1_SriovReport__Output } from './mooring/v1/SriovReport.js';
import type { SriovRepresentorReport as _mooring_v1_SriovRepresentorReport, SriovRepresentorReport__Output as _mooring_v1_SriovRepresentorReport__Output } from './mooring/v1/SriovRepresentorReport.js';
import type { SriovResult as _mooring_v1_SriovResult, SriovResult__Output as _mooring_v1_SriovResult__Output } from './mooring/v1/SriovResult.js';
import type { SriovVfConfig as _mooring_v1_SriovVfConfig, SriovVfConfig__Output as _mooring_v1_SriovVfConfig__Output } from './mooring/v1/SriovVfConfig.js';
import type { SriovVfReport as _mooring_v1_SriovVfReport, SriovVfReport__Output as _mooring_v1_SriovVfReport__Output } from './mooring/v1/SriovVfReport.js';
import type { UnbindPort as _mooring_v1_UnbindPort, UnbindPort__Output as _mooring_v1_UnbindPort__Output } from './mooring/v1/UnbindPort.js';
import type { Welcome as _mooring_v1_Welcome, Welcome__Output as _mooring_v1_Welcome__Output } from './mooring/v1/Welcome.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  mooring: {
    v1: {
      AgentAdminService: SubtypeConstructor<typeof grpc.Client, _mooring_v1_AgentAdminServiceClient> & { service: _mooring_v1_AgentAdminServiceDefinition }
      AgentBindPortRequest: MessageTypeDefinition<_mooring_v1_AgentBindPortRequest, _mooring_v1_AgentBindPortRequest__Output>
      AgentCommand: MessageTypeDefinition<_mooring_v1_AgentCommand, _mooring_v1_AgentCommand__Output>
      AgentCommandResponse: MessageTypeDefinition<_mooring_v1_AgentCommandResponse, _mooring_v1_AgentCommandResponse__Output>
      AgentInfo: MessageTypeDefinition<_mooring_v1_AgentInfo, _mooring_v1_AgentInfo__Output>
      AgentMessage: MessageTypeDefinition<_mooring_v1_AgentMessage, _mooring_v1_AgentMessage__Output>
      AgentReport: MessageTypeDefinition<_mooring_v1_AgentReport, _mooring_v1_AgentReport__Output>
      AgentService: SubtypeConstructor<typeof grpc.Client, _mooring_v1_AgentServiceClient> & { service: _mooring_v1_AgentServiceDefinition }
      AgentSriovGetRequest: MessageTypeDefinition<_mooring_v1_AgentSriovGetRequest, _mooring_v1_AgentSriovGetRequest__Output>
      AgentSriovResponse: MessageTypeDefinition<_mooring_v1_AgentSriovResponse, _mooring_v1_AgentSriovResponse__Output>
      AgentSriovSetRequest: MessageTypeDefinition<_mooring_v1_AgentSriovSetRequest, _mooring_v1_AgentSriovSetRequest__Output>
      AgentUnbindPortRequest: MessageTypeDefinition<_mooring_v1_AgentUnbindPortRequest, _mooring_v1_AgentUnbindPortRequest__Output>
      BindPort: MessageTypeDefinition<_mooring_v1_BindPort, _mooring_v1_BindPort__Output>
      CommandResult: MessageTypeDefinition<_mooring_v1_CommandResult, _mooring_v1_CommandResult__Output>
      CoordinatorInfo: MessageTypeDefinition<_mooring_v1_CoordinatorInfo, _mooring_v1_CoordinatorInfo__Output>
      CoordinatorMessage: MessageTypeDefinition<_mooring_v1_CoordinatorMessage, _mooring_v1_CoordinatorMessage__Output>
      CreateEnrollmentTokenRequest: MessageTypeDefinition<_mooring_v1_CreateEnrollmentTokenRequest, _mooring_v1_CreateEnrollmentTokenRequest__Output>
      CreateEnrollmentTokenResponse: MessageTypeDefinition<_mooring_v1_CreateEnrollmentTokenResponse, _mooring_v1_CreateEnrollmentTokenResponse__Output>
      EnrollRequest: MessageTypeDefinition<_mooring_v1_EnrollRequest, _mooring_v1_EnrollRequest__Output>
      EnrollResponse: MessageTypeDefinition<_mooring_v1_EnrollResponse, _mooring_v1_EnrollResponse__Output>
      GetAgentRequest: MessageTypeDefinition<_mooring_v1_GetAgentRequest, _mooring_v1_GetAgentRequest__Output>
      Heartbeat: MessageTypeDefinition<_mooring_v1_Heartbeat, _mooring_v1_Heartbeat__Output>
      HeartbeatAck: MessageTypeDefinition<_mooring_v1_HeartbeatAck, _mooring_v1_HeartbeatAck__Output>
      Hello: MessageTypeDefinition<_mooring_v1_Hello, _mooring_v1_Hello__Output>
      Inventory: MessageTypeDefinition<_mooring_v1_Inventory, _mooring_v1_Inventory__Output>
      ListAgentsRequest: MessageTypeDefinition<_mooring_v1_ListAgentsRequest, _mooring_v1_ListAgentsRequest__Output>
      ListAgentsResponse: MessageTypeDefinition<_mooring_v1_ListAgentsResponse, _mooring_v1_ListAgentsResponse__Output>
      ListCoordinatorsRequest: MessageTypeDefinition<_mooring_v1_ListCoordinatorsRequest, _mooring_v1_ListCoordinatorsRequest__Output>
      ListCoordinatorsResponse: MessageTypeDefinition<_mooring_v1_ListCoordinatorsResponse, _mooring_v1_ListCoordinatorsResponse__Output>
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
      NetInterface: MessageTypeDefinition<_mooring_v1_NetInterface, _mooring_v1_NetInterface__Output>
      PortReport: MessageTypeDefinition<_mooring_v1_PortReport, _mooring_v1_PortReport__Output>
      PortSpec: MessageTypeDefinition<_mooring_v1_PortSpec, _mooring_v1_PortSpec__Output>
      ReconcilePorts: MessageTypeDefinition<_mooring_v1_ReconcilePorts, _mooring_v1_ReconcilePorts__Output>
      RenewRequest: MessageTypeDefinition<_mooring_v1_RenewRequest, _mooring_v1_RenewRequest__Output>
      RenewResponse: MessageTypeDefinition<_mooring_v1_RenewResponse, _mooring_v1_RenewResponse__Output>
      RevokeAgentRequest: MessageTypeDefinition<_mooring_v1_RevokeAgentRequest, _mooring_v1_RevokeAgentRequest__Output>
      SmartNicModeReport: MessageTypeDefinition<_mooring_v1_SmartNicModeReport, _mooring_v1_SmartNicModeReport__Output>
      SriovConfigure: MessageTypeDefinition<_mooring_v1_SriovConfigure, _mooring_v1_SriovConfigure__Output>
      SriovDesired: MessageTypeDefinition<_mooring_v1_SriovDesired, _mooring_v1_SriovDesired__Output>
      SriovPfConfig: MessageTypeDefinition<_mooring_v1_SriovPfConfig, _mooring_v1_SriovPfConfig__Output>
      SriovPfReport: MessageTypeDefinition<_mooring_v1_SriovPfReport, _mooring_v1_SriovPfReport__Output>
      SriovRefresh: MessageTypeDefinition<_mooring_v1_SriovRefresh, _mooring_v1_SriovRefresh__Output>
      SriovReport: MessageTypeDefinition<_mooring_v1_SriovReport, _mooring_v1_SriovReport__Output>
      SriovRepresentorReport: MessageTypeDefinition<_mooring_v1_SriovRepresentorReport, _mooring_v1_SriovRepresentorReport__Output>
      SriovResult: MessageTypeDefinition<_mooring_v1_SriovResult, _mooring_v1_SriovResult__Output>
      SriovVfConfig: MessageTypeDefinition<_mooring_v1_SriovVfConfig, _mooring_v1_SriovVfConfig__Output>
      SriovVfReport: MessageTypeDefinition<_mooring_v1_SriovVfReport, _mooring_v1_SriovVfReport__Output>
      UnbindPort: MessageTypeDefinition<_mooring_v1_UnbindPort, _mooring_v1_UnbindPort__Output>
      Welcome: MessageTypeDefinition<_mooring_v1_Welcome, _mooring_v1_Welcome__Output>
    }
  }
}

