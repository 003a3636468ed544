// Validation of VmHostService requests (vmhosts.proto): field names as the proto spells them,
// sizes in bytes, ratios 0 to 10.
import { z } from 'zod';
import type { ComposeSpec } from '../vmhosts/vm-composer.js';
import type { AddVmHostSpec, VmHostChanges } from '../vmhosts/vm-host-registry.js';
import { DEFAULT_OVERCOMMIT, MAX_OVERCOMMIT } from '../vmhosts/vm-host.js';

const NAME = /^[a-z][a-z0-9_-]{0,62}$/;
const AGENT_NAME = /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/;
// LXD instance names are hostnames: letters, digits and -, not starting with a digit or -.
const INSTANCE_NAME = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
// LXD project names: no /, no whitespace, not . or .. (LXD refuses those).
const PROJECT = /^(?!\.\.?$)[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const IMAGE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
const MIB = 2 ** 20;

const hostName = z.string().regex(AGENT_NAME, 'must be a VM host (agent) name');
const ratio = z.number().min(0, `must be 0 to ${MAX_OVERCOMMIT}`).max(MAX_OVERCOMMIT, `must be 0 to ${MAX_OVERCOMMIT}`);
const defaultedRatio = ratio.transform((r) => (r === 0 ? DEFAULT_OVERCOMMIT : r));
const poolName = z
  .string()
  .transform((p) => p || 'default')
  .pipe(z.string().regex(NAME, 'must be a pool name'));
const zoneName = z
  .string()
  .transform((p) => p || 'default')
  .pipe(z.string().regex(NAME, 'must be a zone name'));
const image = z.union([z.literal(''), z.string().regex(IMAGE, 'must be an image alias or fingerprint')]);

export const addVmHostSchema = z.object({
  agent: hostName,
  project: z
    .string()
    .min(1, 'required: the LXD project this host manages (there is no default)')
    .regex(PROJECT, 'must be an LXD project name: letters, digits, . _ or -'),
  createProject: z.boolean(),
  cpuOvercommit: defaultedRatio,
  memoryOvercommit: defaultedRatio,
  pool: poolName,
  zone: zoneName,
  arch: z
    .string()
    .transform((a) => a || 'amd64')
    .pipe(z.string().regex(/^[a-z0-9_]{1,32}$/, 'must be an architecture like amd64 or arm64')),
  image,
}) satisfies z.ZodType<AddVmHostSpec, unknown>;

export const vmHostRefSchema = z.object({ name: hostName });
export const removeVmHostSchema = z.object({ name: hostName, deleteInstances: z.boolean() });

const UPDATABLE = {
  cpu_overcommit: ['cpuOvercommit', ratio],
  memory_overcommit: ['memoryOvercommit', ratio],
  pool: ['pool', poolName],
  zone: ['zone', zoneName],
  image: ['image', image],
} as const;

export const updateVmHostSchema = z
  .object({ name: hostName, updateMask: z.array(z.string()).min(1, `name the fields to change: ${Object.keys(UPDATABLE).join(', ')}`) })
  .catchall(z.unknown())
  .transform((request, ctx) => {
    const changes: VmHostChanges = {};
    for (const [i, path] of request.updateMask.entries()) {
      const entry = UPDATABLE[path as keyof typeof UPDATABLE] as (typeof UPDATABLE)[keyof typeof UPDATABLE] | undefined;
      if (!entry) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown field ${path}: one of ${Object.keys(UPDATABLE).join(', ')}`,
          path: ['updateMask', i],
        });
        return z.NEVER;
      }
      const [field, schema] = entry;
      const parsed = schema.safeParse(request[field]);
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? 'invalid', path: [field] });
        return z.NEVER;
      }
      Object.assign(changes, { [field]: parsed.data });
    }
    return { name: request.name, changes };
  });

const nic = z
  .object({
    network: z.string().max(63),
    parent: z.string().max(15),
    sriovParent: z.string().max(15),
    name: z.string().max(15),
    mac: z.string().max(17),
  })
  .superRefine((n, ctx) => {
    const set = [n.network, n.parent, n.sriovParent].filter(Boolean).length;
    if (set !== 1)
      ctx.addIssue({ code: 'custom', message: 'give exactly one of network, parent (a bridge) or sriov_parent (an SR-IOV PF)' });
    if (n.mac && !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(n.mac))
      ctx.addIssue({ code: 'custom', message: 'must be a MAC address like 52:54:00:12:34:56', path: ['mac'] });
  });

export const composeVmSchema = z
  .object({
    host: hostName,
    name: z.union([
      z.literal(''),
      z.string().regex(INSTANCE_NAME, 'must be an instance name: lowercase letters, digits or -, starting with a letter'),
    ]),
    cores: z.number().int().min(0).max(4096),
    pinnedCpus: z.string().max(1024),
    numaNode: z.number().int().min(0).max(1024),
    pinNumaNode: z.boolean(),
    memoryBytes: z
      .number()
      .int()
      .min(64 * MIB, 'must be at least 64 MiB'),
    hugepages: z.boolean(),
    diskBytes: z.number().int().min(0),
    pool: z.string().max(63),
    type: z
      .string()
      .refine((t) => t === '' || t === 'container' || t === 'virtual-machine', 'must be container or virtual-machine')
      .transform((t): ComposeSpec['type'] => (t === 'container' ? 'container' : 'virtual-machine')),
    nics: z.array(nic).max(16),
    image,
  })
  .superRefine((r, ctx) => {
    if (!r.pinnedCpus && r.cores < 1)
      ctx.addIssue({ code: 'custom', message: 'must be at least 1 (or give pinned_cpus)', path: ['cores'] });
    if (r.pinnedCpus && r.pinNumaNode)
      ctx.addIssue({ code: 'custom', message: 'give pinned_cpus or numa_node, not both', path: ['numaNode'] });
  })
  .transform((r): ComposeSpec => ({
    host: r.host,
    name: r.name,
    cores: r.cores,
    pinnedCpus: r.pinnedCpus || null,
    numaNode: r.pinNumaNode ? r.numaNode : null,
    memoryBytes: r.memoryBytes,
    hugepages: r.hugepages,
    diskBytes: r.diskBytes,
    pool: r.pool,
    type: r.type,
    nics: r.nics,
    image: r.image,
  }));

export const powerVmSchema = z.object({
  machine: z.string().min(1, 'required').max(253),
  action: z.enum(['on', 'off', 'cycle', 'query'], { error: 'must be on, off, cycle or query' }),
});
