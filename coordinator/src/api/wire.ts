// Domain records to mooring.v1 messages and back. Secrets are dropped here by construction:
// PowerSettingsMessage.password is always '' on the way out.
import type {
  Event__Output,
  Group__Output,
  HardwareFacts__Output,
  Holder__Output,
  MachineStatus__Output,
  Machine__Output,
  Pool__Output,
  PowerState__Output,
  RedfishTlsVerify__Output,
  Role__Output,
  Token__Output,
  User__Output,
} from '../../../proto/generated/index.js';
import type { CoordinatorEvent } from '../events/event-log.js';
import { effectiveCores, effectiveMemoryMib, type HardwareFacts } from '../machines/hardware-facts.js';
import type { Holder, Machine, MachineStatus, PowerState, RedfishTls } from '../machines/machine.js';
import type { TokenInfo } from '../tenancy/api-tokens.js';
import { eraseModeOf, type Pool } from '../tenancy/pool-registry.js';
import type { Group, Role, User } from '../tenancy/user.js';

function time(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString();
}

export function statusToWire(status: MachineStatus): MachineStatus__Output {
  return `MACHINE_STATUS_${status}`;
}

export function statusFromWire(status: MachineStatus__Output): MachineStatus | null {
  return status === 'MACHINE_STATUS_UNSPECIFIED' ? null : (status.slice('MACHINE_STATUS_'.length) as MachineStatus);
}

export function roleToWire(role: Role): Role__Output {
  return `ROLE_${role.toUpperCase()}` as Role__Output;
}

const POWER_STATES: Record<PowerState, PowerState__Output> = {
  on: 'POWER_STATE_ON',
  off: 'POWER_STATE_OFF',
  unknown: 'POWER_STATE_UNKNOWN',
};

const REDFISH_TLS_VERIFY: Record<RedfishTls['verify'], RedfishTlsVerify__Output> = {
  default: 'REDFISH_TLS_VERIFY_UNSPECIFIED',
  'ca-file': 'REDFISH_TLS_VERIFY_ON',
  'system-cas': 'REDFISH_TLS_VERIFY_ON',
  off: 'REDFISH_TLS_VERIFY_OFF',
};

export function holderToWire(holder: Holder | null): Holder__Output | null {
  if (!holder) return null;
  return holder.kind === 'user' ? { kind: 'user', user: holder.name } : { kind: 'group', group: holder.name };
}

export function hardwareToWire(facts: HardwareFacts): HardwareFacts__Output {
  return {
    source: facts.source === 'redfish' ? 'HARDWARE_SOURCE_REDFISH' : 'HARDWARE_SOURCE_IPMI',
    gatheredAt: time(facts.gatheredAt),
    cores: facts.cores ?? 0,
    threads: facts.threads ?? 0,
    memoryMib: facts.memoryMib ?? 0,
    manufacturer: facts.manufacturer ?? '',
    model: facts.model ?? '',
    serial: facts.serial ?? '',
    nics: facts.nics.map((nic) => ({ mac: nic.mac, name: nic.name ?? '', speedMbps: nic.speedMbps ?? 0 })),
    disks: facts.disks.map((disk) => ({
      name: disk.name,
      sizeBytes: disk.sizeBytes ?? 0,
      model: disk.model ?? '',
      serial: disk.serial ?? '',
    })),
    bmcMac: facts.bmcMac ?? '',
  };
}

export function machineToWire(machine: Machine): Machine__Output {
  const { power } = machine;
  return {
    id: machine.id,
    hostname: machine.hostname,
    arch: machine.arch,
    cores: effectiveCores(machine),
    memoryMib: effectiveMemoryMib(machine),
    tags: [...machine.tags],
    pool: machine.pool,
    zone: machine.zone,
    status: statusToWire(machine.status),
    statusReason: machine.statusReason,
    owner: machine.owner ?? '',
    reservedFor: holderToWire(machine.reservedFor),
    power: {
      driver: `POWER_DRIVER_${power.driver.toUpperCase()}` as NonNullable<Machine__Output['power']>['driver'],
      address: power.address,
      user: power.user,
      password: '',
      passwordFile: power.passwordFile ?? '',
      bootMode: power.bootMode === 'uefi' ? 'BOOT_MODE_UEFI' : 'BOOT_MODE_LEGACY',
      hasPassword: power.hasPassword || power.passwordFile !== null,
      ipmiCipherSuite: power.ipmiCipherSuite ?? 0,
      redfishCaFile: power.redfishTls?.verify === 'ca-file' ? power.redfishTls.caFile : '',
      redfishTlsVerify: REDFISH_TLS_VERIFY[power.redfishTls?.verify ?? 'default'],
    },
    powerState: POWER_STATES[machine.powerState],
    ports: machine.ports.map((port) => ({
      mac: port.mac,
      isSmartNic: port.isSmartNic,
      smartNicAgentId: port.smartNicAgentId ?? '',
      smartNicPortId: port.smartNicPortId ?? '',
      sshPublicKey: port.sshPublicKey ?? '',
      ovsdbCaCert: port.ovsdbCaCert ?? '',
    })),
    annotations: { ...machine.annotations },
    createdAt: time(machine.createdAt),
    updatedAt: time(machine.updatedAt),
    hardware: machine.hardware ? hardwareToWire(machine.hardware) : null,
    enlistedCores: machine.cores,
    enlistedMemoryMib: machine.memoryMib,
  };
}

export function userToWire(user: User): User__Output {
  return { name: user.name, role: roleToWire(user.role), groups: [...user.groups], createdAt: time(user.createdAt) };
}

export function groupToWire(group: Group): Group__Output {
  return { name: group.name, members: [...group.members], createdAt: time(group.createdAt) };
}

export function tokenToWire(token: TokenInfo): Token__Output {
  return {
    id: token.id,
    user: token.user,
    description: token.description,
    createdAt: time(token.createdAt),
    expiresAt: time(token.expiresAt),
    revokedAt: time(token.revokedAt),
  };
}

export function poolToWire(pool: Pool): Pool__Output {
  return {
    name: pool.name,
    description: pool.description,
    autoReserveFor: holderToWire(pool.autoReserveFor),
    eraseMode: eraseModeOf(pool) === 'secure' ? 'ERASE_MODE_SECURE' : 'ERASE_MODE_QUICK',
  };
}

export function eventToWire(event: CoordinatorEvent): Event__Output {
  return {
    seq: event.seq,
    time: time(event.time),
    actor: event.actor,
    kind: event.kind,
    machineId: event.machineId ?? '',
    fromStatus: event.fromStatus ?? '',
    toStatus: event.toStatus ?? '',
    why: event.why,
    details: { ...event.details },
  };
}
