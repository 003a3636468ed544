// Validation of every request, turning decoded mooring.v1 messages into domain inputs. A failure
// becomes InvalidArgumentError naming the field as the proto spells it ("ports[0].mac").
import { z } from 'zod';
import { InvalidArgumentError } from '../domain-error.js';
import { parseBmcAddress as parseIpmiAddress } from '../power/ipmi/bmc-address.js';
import { RedfishAddressError } from '../power/errors.js';
import { parseEnlistAddress as parseRedfishEnlistAddress } from '../power/redfish/redfish-address.js';
import type { AllocationConstraints, SmartNicRequirement } from '../allocation/constraints.js';
import {
  DEFAULT_IPMI_CIPHER_SUITE,
  IPMI_CIPHER_SUITES,
  type Holder,
  type IpmiCipherSuite,
  type Port,
  type RedfishTls,
} from '../machines/machine.js';
import type { MachineFilter, PowerSettingsSpec, ReservedForFilter } from '../machines/machine-registry.js';
import type { MachineEdit } from '../machines/machine-editor.js';
import type { ManualBootDevice, PowerAction } from '../machines/power-ops.js';
import { caFileProblem } from '../power/redfish/ca-file.js';
import { MAC_ADDRESS, portProblem } from '../machines/port-editor.js';
import { DEFAULT_ERASE_MODE, type EraseMode } from '../tenancy/pool-registry.js';
import type { Role } from '../tenancy/user.js';
import { statusFromWire } from './wire.js';
import { MachineStatus } from '../../../proto/generated/index.js';

const NAME = /^[a-z][a-z0-9_-]{0,62}$/;
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const TAG = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const ANNOTATION_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$/;

export const MAX_PAGE_SIZE = 5000;
export const DEFAULT_PAGE_SIZE = 500;

export const name = (what: string): z.ZodString =>
  z.string().regex(NAME, `must be a ${what} name: lowercase letters, digits, - or _, starting with a letter`);
const ref = z.string().min(1, 'required').max(253);
const tags = z.array(z.string().regex(TAG, 'must be letters, digits, . _ : or -')).max(64);
const annotations = z
  .record(z.string().regex(ANNOTATION_KEY, 'annotation keys are letters, digits, . _ / or -'), z.string().max(4096))
  .refine((value) => Object.keys(value).length <= 64, 'at most 64 annotations');

/** A string held to one of the OVS rules both daemons share (proto/shared/ovs-names.ts). */
export function ovsChecked(check: (value: unknown) => string | null): z.ZodType<string, string> {
  return z.string().superRefine((value, ctx) => {
    const problem = check(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

const holderMessage = z
  .object({ kind: z.enum(['user', 'group']).optional(), user: z.string().optional(), group: z.string().optional() })
  .nullable();

function toHolder(value: z.infer<typeof holderMessage>, ctx: z.RefinementCtx, required: boolean): Holder | null {
  if (!value?.kind) {
    if (required) ctx.addIssue({ code: 'custom', message: 'required: set user or group' });
    return null;
  }
  const holderName = value.kind === 'user' ? value.user : value.group;
  if (!holderName || !NAME.test(holderName)) {
    ctx.addIssue({ code: 'custom', message: `must be a ${value.kind} name`, path: [value.kind] });
    return null;
  }
  return { kind: value.kind, name: holderName };
}

export const optionalHolder = holderMessage.transform((value, ctx) => toHolder(value, ctx, false));
const requiredHolder = holderMessage.transform((value, ctx) => toHolder(value, ctx, true) as Holder);

// The fields of a Port message; the rules across them (smartNIC ids, key and certificate shapes)
// are the domain's portProblem, applied once here for every request that carries a whole port.
export const portFields = z.object(
  {
    mac: z
      .string()
      .transform((mac) => mac.toLowerCase())
      .pipe(z.string().regex(MAC_ADDRESS, 'must be a MAC address like 52:54:00:12:34:56')),
    isSmartNic: z.boolean(),
    smartNicAgentId: z.string().max(128),
    smartNicPortId: z.string().max(64),
    sshPublicKey: z.string().max(16384),
    ovsdbCaCert: z.string().max(65536),
  },
  { error: 'required' },
);

export const port = portFields.transform((p, ctx): Port => {
  const value: Port = {
    mac: p.mac,
    isSmartNic: p.isSmartNic,
    smartNicAgentId: p.smartNicAgentId || null,
    smartNicPortId: p.smartNicPortId || null,
    sshPublicKey: p.sshPublicKey || null,
    ovsdbCaCert: p.ovsdbCaCert || null,
  };
  const problem = portProblem(value);
  if (!problem) return value;
  ctx.addIssue({ code: 'custom', message: problem.problem, path: [problem.field] });
  return z.NEVER;
});

const DRIVERS = {
  POWER_DRIVER_IPMI: 'ipmi',
  POWER_DRIVER_REDFISH: 'redfish',
  POWER_DRIVER_LXD: 'lxd',
  POWER_DRIVER_MANUAL: 'manual',
} as const;

/**
 * The BMC address checked now, as the driver will read it at commissioning: host and port shape,
 * nothing ipmitool could take as an option, no credentials (they would be stored and shown to
 * every observer), https only for Redfish. The problem never echoes credentials.
 */
function bmcAddressProblem(driver: string, address: string): string | null {
  try {
    if (driver === 'POWER_DRIVER_IPMI') parseIpmiAddress(address);
    else if (driver === 'POWER_DRIVER_REDFISH') parseRedfishEnlistAddress(address);
    else if (address.includes('@')) return 'holds credentials; give them as power.user and the password, never in the address';
    return null;
  } catch (err) {
    if (err instanceof InvalidArgumentError || err instanceof RedfishAddressError) return err.problem;
    throw err;
  }
}

const TLS_VERIFY = ['REDFISH_TLS_VERIFY_UNSPECIFIED', 'REDFISH_TLS_VERIFY_ON', 'REDFISH_TLS_VERIFY_OFF'] as const;

/** The Redfish TLS check a machine asks for, from its redfish_ca_file and redfish_tls_verify. */
function redfishTls(caFile: string, verify: (typeof TLS_VERIFY)[number]): RedfishTls {
  if (caFile) return { verify: 'ca-file', caFile };
  if (verify === 'REDFISH_TLS_VERIFY_ON') return { verify: 'system-cas' };
  if (verify === 'REDFISH_TLS_VERIFY_OFF') return { verify: 'off' };
  return { verify: 'default' };
}

/**
 * A machine's power settings (the PowerSettings message) checked whole, as the driver will use
 * them: the address (bmcAddressProblem), the password source, and the driver-specific settings,
 * each refused for a driver that does not use it. Every request carrying power settings (enlist,
 * machine update) validates them here and nowhere else.
 */
export const powerSettings = z
  .object(
    {
      driver: z.string().refine((d) => d in DRIVERS, 'required: ipmi, redfish, lxd or manual'),
      address: z.string().max(253),
      user: z.string().max(64),
      password: z.string().max(256),
      passwordFile: z.string().max(4096),
      bootMode: z.enum(['BOOT_MODE_UNSPECIFIED', 'BOOT_MODE_UEFI', 'BOOT_MODE_LEGACY']),
      ipmiCipherSuite: z.number().int().min(0),
      redfishCaFile: z.string().max(4096),
      redfishTlsVerify: z.enum(TLS_VERIFY, { error: 'must be REDFISH_TLS_VERIFY_ON or _OFF' }),
    },
    { error: 'required' },
  )
  .superRefine((p, ctx) => {
    if (p.driver !== 'POWER_DRIVER_MANUAL' && !p.address)
      ctx.addIssue({ code: 'custom', message: 'required for this driver', path: ['address'] });
    const addressProblem = p.address ? bmcAddressProblem(p.driver, p.address) : null;
    if (addressProblem) ctx.addIssue({ code: 'custom', message: addressProblem, path: ['address'] });
    if (p.password && p.passwordFile)
      ctx.addIssue({ code: 'custom', message: 'give password or password_file, not both', path: ['passwordFile'] });
    if (p.passwordFile && !p.passwordFile.startsWith('/'))
      ctx.addIssue({ code: 'custom', message: 'must be an absolute path', path: ['passwordFile'] });
    const ipmi = p.driver === 'POWER_DRIVER_IPMI';
    const redfish = p.driver === 'POWER_DRIVER_REDFISH';
    if (p.ipmiCipherSuite !== 0 && !ipmi)
      ctx.addIssue({ code: 'custom', message: 'applies to the ipmi driver only', path: ['ipmiCipherSuite'] });
    else if (p.ipmiCipherSuite !== 0 && !(IPMI_CIPHER_SUITES as readonly number[]).includes(p.ipmiCipherSuite))
      ctx.addIssue({ code: 'custom', message: cipherSuiteProblem(p.ipmiCipherSuite), path: ['ipmiCipherSuite'] });
    if ((p.redfishCaFile || p.redfishTlsVerify !== 'REDFISH_TLS_VERIFY_UNSPECIFIED') && !redfish) {
      const field = p.redfishCaFile ? 'redfishCaFile' : 'redfishTlsVerify';
      ctx.addIssue({ code: 'custom', message: 'applies to the redfish driver only', path: [field] });
    } else if (p.redfishCaFile && p.redfishTlsVerify === 'REDFISH_TLS_VERIFY_OFF') {
      ctx.addIssue({ code: 'custom', message: 'a CA file and no verification exclude each other', path: ['redfishTlsVerify'] });
    } else if (p.redfishCaFile) {
      const problem = caFileProblem(p.redfishCaFile);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['redfishCaFile'] });
    }
  })
  .transform((p): PowerSettingsSpec => {
    const driver = DRIVERS[p.driver as keyof typeof DRIVERS];
    return {
      driver,
      address: p.address,
      user: p.user,
      password: p.password || null,
      passwordFile: p.passwordFile || null,
      bootMode: p.bootMode === 'BOOT_MODE_LEGACY' ? 'legacy' : 'uefi',
      ipmiCipherSuite: driver === 'ipmi' ? ((p.ipmiCipherSuite || DEFAULT_IPMI_CIPHER_SUITE) as IpmiCipherSuite) : null,
      redfishTls: driver === 'redfish' ? redfishTls(p.redfishCaFile, p.redfishTlsVerify) : null,
    };
  });

function cipherSuiteProblem(suite: number): string {
  const why = suite === 0 ? 'suite 0 logs in without authentication' : `suite ${suite} does not encrypt, or ipmitool does not implement it`;
  return `must be one of ${IPMI_CIPHER_SUITES.join(', ')} (${why})`;
}

export const enlistSchema = z
  .object({
    hostname: z.string().regex(HOSTNAME, 'must be a lowercase DNS name'),
    arch: z.string().regex(/^[a-z0-9_]{1,32}$/, 'required, e.g. amd64 or arm64'),
    cores: z.number().int().min(1, 'must be at least 1').max(65536),
    memoryMib: z.number().int().min(1, 'must be at least 1'),
    tags,
    pool: z
      .string()
      .transform((p) => p || 'default')
      .pipe(name('pool')),
    zone: z
      .string()
      .transform((p) => p || 'default')
      .pipe(name('zone')),
    power: powerSettings,
    ports: z.array(port).max(64),
    commission: z.boolean(),
  })
  .superRefine((spec, ctx) => {
    const seen = new Set<string>();
    spec.ports.forEach((p, i) => {
      if (seen.has(p.mac)) ctx.addIssue({ code: 'custom', message: 'duplicate MAC address', path: ['ports', i, 'mac'] });
      seen.add(p.mac);
    });
  });

export const machineRefSchema = z.object({ machine: ref });

const POWER_ACTIONS: Record<string, PowerAction> = {
  POWER_ACTION_ON: 'on',
  POWER_ACTION_OFF: 'off',
  POWER_ACTION_CYCLE: 'cycle',
  POWER_ACTION_STATUS: 'status',
};
export const powerMachineSchema = z.object({
  machine: ref,
  action: z
    .string()
    .refine((a) => a in POWER_ACTIONS, 'required: on, off, cycle or status')
    .transform((a) => POWER_ACTIONS[a] as PowerAction),
});

const BOOT_DEVICES: Record<string, ManualBootDevice> = { BOOT_DEVICE_PXE: 'pxe', BOOT_DEVICE_DISK: 'disk', BOOT_DEVICE_BIOS: 'bios' };
export const setBootDeviceSchema = z.object({
  machine: ref,
  device: z
    .string()
    .refine((d) => d in BOOT_DEVICES, 'required: pxe, disk or bios')
    .transform((d) => BOOT_DEVICES[d] as ManualBootDevice),
  persistent: z.boolean(),
});

export const updateMachineSchema = z
  .object({
    machine: ref,
    tags: z.object({ tags }).nullable(),
    pool: z.union([z.literal(''), name('pool')]),
    zone: z.union([z.literal(''), name('zone')]),
    hostname: z.union([z.literal(''), z.string().regex(HOSTNAME, 'must be a lowercase DNS name')]),
    power: powerSettings.nullable(),
  })
  .transform((r, ctx): { machine: string } & MachineEdit => {
    const edit: MachineEdit = {
      tags: r.tags ? r.tags.tags : null,
      pool: r.pool || null,
      zone: r.zone || null,
      hostname: r.hostname || null,
      power: r.power,
    };
    if (Object.values(edit).every((v) => v === null)) {
      ctx.addIssue({ code: 'custom', message: 'nothing to change: give tags, pool, zone, hostname or power' });
      return z.NEVER;
    }
    return { machine: r.machine, ...edit };
  });
export const machineReasonSchema = z.object({ machine: ref, reason: z.string().max(1024) });

// ListMachinesRequest.reserved_for: 'user:NAME', 'group:NAME', a bare NAME (either), '-' (unreserved).
const reservedForFilter = z
  .string()
  .max(80)
  .transform((value, ctx): ReservedForFilter | null => {
    if (value === '') return null;
    if (value === '-') return 'unreserved';
    const colon = value.indexOf(':');
    const kind = colon < 0 ? 'either' : value.slice(0, colon);
    const holderName = colon < 0 ? value : value.slice(colon + 1);
    if ((kind !== 'either' && kind !== 'user' && kind !== 'group') || !NAME.test(holderName)) {
      ctx.addIssue({ code: 'custom', message: 'must be user:NAME, group:NAME, a user or group name, or - for unreserved' });
      return z.NEVER;
    }
    return { kind, name: holderName };
  });

export const listMachinesSchema = z
  .object({
    // The loader hands an enum value the .proto does not name through as its number.
    status: z.enum(MachineStatus, { error: 'must be a machine status' }),
    pool: z.string(),
    owner: z.string(),
    pageSize: z.number().int().min(0).max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`),
    pageToken: z.string().max(64),
    zone: z.string().max(63),
    tags,
    reservedFor: reservedForFilter,
    withStatusCounts: z.boolean(),
  })
  .transform((r): MachineFilter & { pageSize: number; pageToken: string; withStatusCounts: boolean } => ({
    status: statusFromWire(r.status),
    pool: r.pool || null,
    owner: r.owner || null,
    zone: r.zone || null,
    tags: [...new Set(r.tags)],
    reservedFor: r.reservedFor,
    pageSize: r.pageSize || DEFAULT_PAGE_SIZE,
    pageToken: r.pageToken,
    withStatusCounts: r.withStatusCounts,
  }));

const SMART_NIC: Record<string, SmartNicRequirement> = {
  SMART_NIC_CONSTRAINT_ANY: 'any',
  SMART_NIC_CONSTRAINT_REQUIRED: 'required',
  SMART_NIC_CONSTRAINT_EXCLUDED: 'excluded',
};

const constraints = z
  .object({
    name: z.string().max(253),
    arch: z.string().max(32),
    minCores: z.number().int().min(0),
    minMemoryMib: z.number().int().min(0),
    tags,
    notTags: tags,
    pool: z.string().max(63),
    zone: z.string().max(63),
    smartNic: z.string(),
  })
  .nullable()
  .transform((c): AllocationConstraints => ({
    name: c?.name ?? '',
    arch: c?.arch ?? '',
    minCores: c?.minCores ?? 0,
    minMemoryMib: c?.minMemoryMib ?? 0,
    tags: c?.tags ?? [],
    notTags: c?.notTags ?? [],
    pool: c?.pool ?? '',
    zone: c?.zone ?? '',
    smartNic: SMART_NIC[c?.smartNic ?? ''] ?? 'any',
  }));

export const allocateSchema = z.object({ constraints, dryRun: z.boolean(), annotations, reason: z.string().max(1024) });

export const annotateSchema = z
  .object({ machine: ref, set: annotations, remove: z.array(z.string().max(128)).max(64) })
  .refine((r) => Object.keys(r.set).length > 0 || r.remove.length > 0, { message: 'set or remove at least one annotation', path: ['set'] });

export const reserveSchema = z.object({ machine: ref, holder: requiredHolder });

const ERASE_MODES_WIRE: Record<string, EraseMode> = {
  ERASE_MODE_UNSPECIFIED: DEFAULT_ERASE_MODE,
  ERASE_MODE_QUICK: 'quick',
  ERASE_MODE_SECURE: 'secure',
};
const eraseMode = z
  .string()
  .refine((m) => m in ERASE_MODES_WIRE, 'must be ERASE_MODE_QUICK or ERASE_MODE_SECURE')
  .transform((m) => ERASE_MODES_WIRE[m] as EraseMode);
export const createPoolSchema = z.object({
  name: name('pool'),
  description: z.string().max(1024),
  autoReserveFor: optionalHolder,
  eraseMode,
});
export const setPoolEraseModeSchema = z.object({ name: name('pool'), eraseMode });
export const poolRefSchema = z.object({ name: name('pool') });
export const setPoolReservationSchema = z.object({ name: name('pool'), autoReserveFor: optionalHolder });

const ROLES: Record<string, Role> = { ROLE_ADMIN: 'admin', ROLE_MEMBER: 'member', ROLE_OBSERVER: 'observer' };
export const createUserSchema = z.object({
  name: name('user'),
  role: z
    .string()
    .refine((r) => r in ROLES, 'required: admin, member or observer')
    .transform((r) => ROLES[r] as Role),
});
export const setUserRoleSchema = createUserSchema;
export const deleteUserSchema = z.object({ name: name('user') });
export const createGroupSchema = z.object({ name: name('group') });
export const groupMemberSchema = z.object({ group: name('group'), user: name('user') });
export const createTokenSchema = z.object({
  user: z.union([z.literal(''), name('user')]),
  description: z.string().max(256),
  expiresInSeconds: z.number().int().min(0),
});
export const listTokensSchema = z.object({ user: z.union([z.literal(''), name('user')]) });
export const revokeTokenSchema = z.object({ id: z.string().regex(/^[0-9a-f]{16}$/, 'must be a token id (16 hex digits)') });

export const listEventsSchema = z.object({
  sinceSeq: z.number().int().min(0),
  machine: z.string().max(253),
  limit: z.number().int().min(0).max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`),
});
export const watchEventsSchema = z.object({ sinceSeq: z.number().int().min(0), machine: z.string().max(253), noFollow: z.boolean() });
export const emptySchema = z.object({});

/** A message field the .proto makes optional (null when absent) that the method requires. */
export function requiredMessage<T, I>(schema: z.ZodType<T, I>): z.ZodType<T, I | null> {
  return schema.nullable().transform((value, ctx) => {
    if (value !== null) return value;
    ctx.addIssue({ code: 'custom', message: 'required' });
    return z.NEVER;
  });
}

function protoFieldName(segment: PropertyKey): string {
  if (typeof segment === 'number') return `[${segment}]`;
  return String(segment).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Validates `request`; throws InvalidArgumentError naming the first bad field. */
export function parseRequest<S extends z.ZodType>(schema: S, request: unknown): z.output<S> {
  const result = schema.safeParse(request);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = (issue?.path ?? []).map(protoFieldName).join('.').replace(/\.\[/g, '[') || 'request';
  throw new InvalidArgumentError(field, issue?.message ?? 'invalid');
}
