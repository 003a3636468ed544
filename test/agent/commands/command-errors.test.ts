// Every typed agent error carries a code, and the one table in command-errors.ts turns it into the
// result the coordinator receives. The wire codes and which of them are permanent are pinned here
// class by class: they are what the coordinator, the CLI and operators' scripts see.
import { describe, expect, it } from 'vitest';
import { AgentError, agentErrorCodeOf } from '../../../agent/src/common/agent-error.js';
import { commandFailureOf, lxdErrorOf } from '../../../agent/src/commands/command-errors.js';
import * as commandErrors from '../../../agent/src/commands/errors.js';
import * as inventoryErrors from '../../../agent/src/inventory/errors.js';
import * as enrollment from '../../../agent/src/link/enrollment.js';
import * as lxdErrors from '../../../agent/src/lxd/errors.js';
import * as ovsErrors from '../../../agent/src/ovs/errors.js';
import * as sriovController from '../../../agent/src/sriov/sriov-controller.js';
import * as sriovErrors from '../../../agent/src/sriov/errors.js';
import * as nicErrors from '../../../agent/src/sriov/nic-errors.js';
import * as toolRunner from '../../../agent/src/sriov/tool-runner.js';
import * as dataDir from '../../../agent/src/state/agent-data-dir.js';
import * as statusErrors from '../../../agent/src/status/errors.js';
import * as ovsdbErrors from '../../../proto/ovsdb/errors.js';
import type { SriovReport__Output } from '../../../proto/generated/index.js';

const { LxdUnsupportedError, UnknownCommandError } = commandErrors;
const {
  ApplyTimeoutError,
  BridgeMissingError,
  InvalidPortSpecError,
  PortFailedError,
  PortNotOwnedError,
  PortOnOtherBridgeError,
  PortStillPresentError,
  TransactionRefusedError,
} = ovsErrors;
const {
  ConnectionClosedError,
  ClientClosedError,
  MessageTooLargeError,
  NotConnectedError,
  OvsdbError,
  OvsdbProtocolError,
  OvsdbRpcError,
  RequestTimeoutError,
  SchemaError,
  TransactionError,
  UnsendableRequestError,
} = ovsdbErrors;
const {
  AmbiguousRepresentorError,
  FewerVfsEnabledError,
  InvalidVfCountError,
  NoSriovDriverError,
  NotSriovPfError,
  RepresentorNotFoundError,
  SriovWriteError,
  VfCountAboveTotalError,
  VfCountBusyError,
  VfCountOutOfRangeError,
  VfWaitTimeoutError,
} = sriovErrors;
const {
  EswitchModeRefusedError,
  EswitchUnsupportedError,
  InvalidSriovConfigError,
  ToolOutputError,
  VfNotFoundError,
  VfReadbackMismatchError,
  VfSettingRefusedError,
} = nicErrors;
const { ToolFailedError, ToolMissingError, ToolTimeoutError } = toolRunner;
const {
  LxdAlreadyAssignedError,
  LxdApiError,
  LxdCredentialsError,
  LxdInvalidError,
  LxdNotAssignedError,
  LxdNotFoundError,
  LxdOperationError,
  LxdProtocolError,
  LxdUnavailableError,
} = lxdErrors;

const report: SriovReport__Output = {
  smartNic: null,
  pfs: [],
  representors: [],
  desiredRevision: 1,
  lastReconcileAt: '',
  lastReconcileError: '',
  problems: [],
};

// [error, result code, permanent]: the results the agent has sent since these codes were introduced.
const CASES: [Error, string, boolean][] = [
  [new UnknownCommandError('fly'), 'UNKNOWN_COMMAND', true],
  [new LxdUnsupportedError(), 'LXD_UNSUPPORTED', true],
  [new InvalidPortSpecError('mac', 'bad'), 'INVALID_PORT', true],
  [new PortNotOwnedError('p1'), 'PORT_NOT_OWNED', true],
  [new PortOnOtherBridgeError('p1', 'br-int'), 'PORT_ON_OTHER_BRIDGE', true],
  [new BridgeMissingError('br-int'), 'BRIDGE_MISSING', false],
  [new ApplyTimeoutError(100, 2, 1, ['port p1']), 'APPLY_TIMEOUT', false],
  [new PortFailedError('p1', 'no such device'), 'PORT_FAILED', false],
  [new PortStillPresentError('p1'), 'INTERNAL', false],
  [new TransactionRefusedError('the binding of port p1'), 'OVSDB_REFUSED', true],
  [new NotConnectedError('transact', 'backoff'), 'OVSDB_UNAVAILABLE', false],
  [new ConnectionClosedError('transact'), 'OVSDB_UNAVAILABLE', false],
  [new RequestTimeoutError('transact', 100), 'OVSDB_UNAVAILABLE', false],
  [new UnsendableRequestError('transact', '[1]'), 'OVSDB_REFUSED', true],
  [new TransactionError('constraint violation', undefined, 0, 'insert'), 'OVSDB_REFUSED', true],
  [new TransactionError('timed out', undefined, 0, 'wait'), 'OVSDB_TRANSACTION', false],
  [new OvsdbProtocolError('not JSON'), 'INTERNAL', false],
  [new MessageTooLargeError(1024), 'INTERNAL', false],
  [new OvsdbRpcError('transact', 'unknown method'), 'INTERNAL', false],
  [new ClientClosedError(), 'INTERNAL', false],
  [new SchemaError('no such table'), 'INTERNAL', false],
  [new InvalidSriovConfigError('pfs[0].numVfs', 'is negative'), 'INVALID_SRIOV_CONFIG', true],
  [new InvalidVfCountError('eth0', -1), 'INVALID_SRIOV_CONFIG', true],
  [new NotSriovPfError('eth0', 'no sriov_totalvfs'), 'NOT_SRIOV_PF', false],
  [new VfCountAboveTotalError('eth0', 9, 8), 'VF_COUNT_ABOVE_TOTAL', true],
  [new VfCountOutOfRangeError('eth0', 9), 'VF_COUNT_ABOVE_TOTAL', true],
  [new VfCountBusyError('eth0', 4), 'VF_COUNT_BUSY', false],
  [new NoSriovDriverError('eth0', null), 'NO_SRIOV_DRIVER', false],
  [new FewerVfsEnabledError('eth0', 4, 2), 'FEWER_VFS_ENABLED', false],
  [new VfWaitTimeoutError('eth0', 2, [1], [], 100), 'VF_WAIT_TIMEOUT', false],
  [new SriovWriteError('eth0', 'sriov_numvfs', '1', 'EIO'), 'SRIOV_WRITE_FAILED', false],
  [new VfNotFoundError('eth0', 3, 2), 'VF_NOT_FOUND', false],
  [new VfSettingRefusedError('eth0', 0, 'mac', 'refused', 'EPERM'), 'VF_SETTING_REFUSED', false],
  [new VfReadbackMismatchError('eth0', 0, ['vlan']), 'VF_READBACK_MISMATCH', false],
  [new EswitchModeRefusedError('eth0', '0000:03:00.0', 'switchdev', 'busy', 'EBUSY'), 'ESWITCH_MODE_REFUSED', false],
  [new EswitchUnsupportedError('eth0', '0000:03:00.0', 'no devlink'), 'ESWITCH_UNSUPPORTED', false],
  [new RepresentorNotFoundError('pf0vf9', 'none'), 'REPRESENTOR_NOT_FOUND', true],
  [new AmbiguousRepresentorError('pf0vf1', ['a', 'b']), 'REPRESENTOR_AMBIGUOUS', true],
  [new ToolMissingError('devlink', 'ENOENT'), 'TOOL_MISSING', false],
  [new ToolTimeoutError('ip', ['link'], 100), 'TOOL_TIMEOUT', false],
  [new ToolFailedError('ip', ['link'], 2, 'x', 'EINVAL', 'x'), 'TOOL_FAILED', false],
  [new ToolOutputError('ip', 'not JSON'), 'TOOL_FAILED', false],
  [new LxdInvalidError('name', 'bad'), 'LXD_INVALID', true],
  [new LxdNotAssignedError('create'), 'LXD_NOT_ASSIGNED', true],
  [new LxdAlreadyAssignedError('a', 'b'), 'LXD_ASSIGNED', true],
  [new LxdNotFoundError('instance vm1'), 'LXD_NOT_FOUND', true],
  [new LxdApiError('GET', '/1.0', 403, 'not authorized'), 'LXD_ERROR', true],
  [new LxdOperationError('op', 'Starting instance', 'vhost_vsock kernel module not loaded'), 'LXD_ERROR', true],
  [new LxdProtocolError('GET', '/1.0', 'not JSON'), 'LXD_PROTOCOL', false],
  [new LxdUnavailableError('/var/lib/lxd/unix.socket', 'ENOENT'), 'LXD_UNAVAILABLE', false],
  [new LxdCredentialsError('no key'), 'LXD_UNAVAILABLE', false],
  [new Error('anything else'), 'INTERNAL', false],
];

describe('command results from error codes', () => {
  it.each(CASES.map(([err, errorCode, permanent]) => [err.name, err, errorCode, permanent] as const))(
    '%s answers its stable result',
    (_name, err, errorCode, permanent) => {
      expect(commandFailureOf(err)).toEqual({ errorCode, permanent });
    },
  );

  it('answers a failed SR-IOV reconcile with its first failure, or INTERNAL when that was untyped', () => {
    expect(
      commandFailureOf(
        new sriovController.SriovReconcileError([new VfCountBusyError('eth0', 4), new NotSriovPfError('eth1', 'x')], report),
      ),
    ).toEqual({ errorCode: 'VF_COUNT_BUSY', permanent: false });
    expect(commandFailureOf(new sriovController.SriovReconcileError([new RepresentorNotFoundError('pf0vf9', 'none')], report))).toEqual({
      errorCode: 'REPRESENTOR_NOT_FOUND',
      permanent: true,
    });
    expect(commandFailureOf(new sriovController.SriovReconcileError([new Error('EIO')], report))).toEqual({
      errorCode: 'INTERNAL',
      permanent: false,
    });
    expect(commandFailureOf(new sriovController.SriovReconcileError([], report))).toEqual({ errorCode: 'INTERNAL', permanent: false });
  });

  it('does not take a result from an error that only has the name of a typed one', () => {
    const impostor = Object.assign(new Error('unknown command x'), { name: 'UnknownCommandError', code: 'unknown-command' });
    expect(commandFailureOf(impostor)).toEqual({ errorCode: 'INTERNAL', permanent: false });
  });

  it("passes LXD's own message on only when LXD refused", () => {
    expect(lxdErrorOf(new LxdApiError('GET', '/1.0', 403, 'not authorized'))).toBe('not authorized');
    expect(lxdErrorOf(new LxdOperationError('op', 'Starting', 'vhost_vsock kernel module not loaded'))).toBe(
      'vhost_vsock kernel module not loaded',
    );
    expect(lxdErrorOf(new LxdNotFoundError('instance vm1'))).toBe('');
  });
});

describe('agent error classes', () => {
  const modules: Record<string, Record<string, unknown>> = {
    'commands/errors': commandErrors,
    'inventory/errors': inventoryErrors,
    'link/enrollment': enrollment,
    'lxd/errors': lxdErrors,
    'ovs/errors': ovsErrors,
    'sriov/errors': sriovErrors,
    'sriov/nic-errors': nicErrors,
    'sriov/sriov-controller': sriovController,
    'sriov/tool-runner': toolRunner,
    'state/agent-data-dir': dataDir,
    'status/errors': statusErrors,
    'proto/ovsdb/errors': ovsdbErrors,
  };
  const errorClasses = Object.entries(modules).flatMap(([module, exports]) =>
    Object.entries(exports)
      .filter(
        ([, value]) => value !== OvsdbError && typeof value === 'function' && (value as { prototype: unknown }).prototype instanceof Error,
      )
      .map(([name, value]) => [`${module}: ${name}`, value as abstract new (...args: never[]) => Error] as const),
  );

  it('are all found (the module list above is not empty by mistake)', () => {
    expect(errorClasses.length).toBeGreaterThan(50);
  });

  it.each(errorClasses)('%s extends a coded base', (_name, cls) => {
    expect(cls.prototype instanceof AgentError || cls.prototype instanceof OvsdbError).toBe(true);
  });

  it('name themselves after their class and carry structured fields and cause', () => {
    const cause = new Error('EADDRINUSE');
    const err = new statusErrors.StatusListenError('127.0.0.1:9000', 'EADDRINUSE', { cause });
    expect(err).toMatchObject({ name: 'StatusListenError', code: 'status-listen', address: '127.0.0.1:9000', errno: 'EADDRINUSE', cause });
    expect(new dataDir.AgentDataDirError('agent.mdb', 'truncated')).toMatchObject({
      name: 'AgentDataDirError',
      code: 'agent-data-dir-damaged',
      file: 'agent.mdb',
    });
    expect(new MessageTooLargeError(10)).toMatchObject({ name: 'MessageTooLargeError', code: 'ovsdb-protocol', limitBytes: 10 });
    expect(agentErrorCodeOf(new inventoryErrors.OvsNotSyncedError())).toBe('ovs-not-synced');
    expect(agentErrorCodeOf(new Error('plain'))).toBeNull();
  });
});
