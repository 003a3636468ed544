// mooring.v1.DeploymentService: deploy, bind-network, unbind-network and the running sequence.
import { z } from 'zod';
import type { DeploymentServiceHandlers, MachineNetworks__Output, Sequence__Output } from '../../../proto/generated/index.js';
import { BOOT_DEVICES } from '../power/power-driver.js';
import type { Deployments } from '../sequencer/deployments.js';
import { NothingToConfirmError, SequenceNotFoundError } from '../sequencer/errors.js';
import type { ManualPowerDriver } from '../power/manual-driver.js';
import { requireAdmin } from '../tenancy/access.js';
import { unary, type ApiContext } from './call-handler.js';
import { machineRefSchema, name } from './request-schemas.js';
import { InvalidArgumentError } from '../domain-error.js';
import type { NetworkRequest } from '../sequencer/network-targets.js';
import type { PortNetworkView } from '../sequencer/port-network-view.js';
import type { ImageRequest } from '../sequencer/image-steps.js';
import { machineToWire } from './wire.js';

const networkFields = {
  network: z.union([z.literal(''), name('network')]),
  securityGroups: z.array(name('security group')).max(64),
};

/** The network asked for, or null; security groups without a network are refused. */
function networkRequest(r: { network: string; securityGroups: string[] }): NetworkRequest | null {
  if (r.network === '') {
    if (r.securityGroups.length > 0) throw new InvalidArgumentError('security_groups', 'needs a network');
    return null;
  }
  return { network: r.network, securityGroups: r.securityGroups };
}

const deploySchema = z.object({
  machine: z.string().min(1, 'required').max(253),
  bootDevice: z
    .union([z.literal(''), z.enum(BOOT_DEVICES)], { error: `must be one of ${BOOT_DEVICES.join(', ')}` })
    .transform((d) => d || 'pxe'),
  ...networkFields,
  image: z.union([z.literal(''), name('image')]),
  userData: z.string().max(64 * 1024, 'at most 64 KiB'),
  sshKeys: z.array(z.string().min(1).max(16384)).max(64),
});

/** The image deploy asked for, or null; user-data or keys without an image are refused. */
function imageRequest(r: { image: string; userData: string; sshKeys: string[] }): ImageRequest | null {
  if (r.image === '') {
    if (r.userData !== '') throw new InvalidArgumentError('user_data', 'needs an image');
    if (r.sshKeys.length > 0) throw new InvalidArgumentError('ssh_keys', 'needs an image');
    return null;
  }
  return { image: r.image, userData: r.userData, sshKeys: r.sshKeys };
}

const bindSchema = z.object({ machine: z.string().min(1, 'required').max(253), ...networkFields });

const confirmSchema = z.object({
  machine: z.string().min(1, 'required').max(253),
  action: z.enum(['on', 'off', 'boot'], { error: 'must be on, off or boot' }),
});

export interface DeploymentServiceDeps {
  deployments: Deployments;
  manual: ManualPowerDriver | null;
  portNetworks: PortNetworkView;
}

export function deploymentService(
  ctx: ApiContext,
  { deployments, manual, portNetworks }: DeploymentServiceDeps,
): DeploymentServiceHandlers {
  return {
    ConfirmPower: unary(ctx, 'ConfirmPower', confirmSchema, (principal, r) => {
      requireAdmin(principal, 'confirm manual power changes');
      const machine = deployments.machine(principal, r.machine);
      if (machine.power.driver !== 'manual')
        throw new NothingToConfirmError(`machine ${machine.hostname} uses the ${machine.power.driver} power driver, not manual`);
      if (!manual?.confirm(machine.id, r.action)) {
        const waiting = manual?.waitingFor(machine.id);
        throw new NothingToConfirmError(
          `nothing waits for "${r.action}" on ${machine.hostname} (${waiting ? `waiting for "${waiting}"` : 'no request is pending'})`,
        );
      }
      return machineToWire(machine);
    }),
    DeployMachine: unary(ctx, 'DeployMachine', deploySchema, async (principal, r) =>
      machineToWire(await deployments.deploy(principal, r.machine, r.bootDevice, networkRequest(r), imageRequest(r))),
    ),
    BindNetwork: unary(ctx, 'BindNetwork', bindSchema, async (principal, r) =>
      machineToWire(await deployments.network(principal, r.machine, true, networkRequest(r))),
    ),
    UnbindNetwork: unary(ctx, 'UnbindNetwork', bindSchema, async (principal, r) =>
      machineToWire(await deployments.network(principal, r.machine, false, networkRequest(r))),
    ),
    GetMachineNetworks: unary(ctx, 'GetMachineNetworks', machineRefSchema, async (principal, r): Promise<MachineNetworks__Output> => ({
      ports: await portNetworks.of(deployments.machine(principal, r.machine)),
    })),
    GetSequence: unary(ctx, 'GetSequence', machineRefSchema, (principal, r): Sequence__Output => {
      const s = deployments.sequence(principal, r.machine);
      if (!s) throw new SequenceNotFoundError(`machine ${r.machine} has no running sequence`);
      return {
        id: s.id,
        machineId: s.machineId,
        kind: s.kind,
        step: s.step,
        startedAt: new Date(s.startedAt).toISOString(),
        powerFound: s.powerFound ?? '',
        biosHalt: s.biosHalt,
        portsDone: [...s.portsDone],
        failure: s.failure ? `${s.failure.step}: ${s.failure.reason}` : '',
      };
    }),
  };
}
