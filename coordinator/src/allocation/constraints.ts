// Allocation constraints and how a READY machine is matched against them. The checks are listed
// in one order, each with the phrase the exhaustion report uses for it.
import type { ReadySummary } from '../store/ready-index.js';

export type SmartNicRequirement = 'any' | 'required' | 'excluded';

export interface AllocationConstraints {
  /** A machine id or hostname; '' for any. */
  readonly name: string;
  readonly arch: string;
  readonly minCores: number;
  readonly minMemoryMib: number;
  readonly tags: readonly string[];
  readonly notTags: readonly string[];
  readonly pool: string;
  readonly zone: string;
  readonly smartNic: SmartNicRequirement;
}

export const NO_CONSTRAINTS: AllocationConstraints = {
  name: '',
  arch: '',
  minCores: 0,
  minMemoryMib: 0,
  tags: [],
  notTags: [],
  pool: '',
  zone: '',
  smartNic: 'any',
};

export interface ConstraintCheck {
  /** How the exhaustion report names the machines passing this check: "with >= 64 cores". */
  readonly phrase: string;
  readonly test: (machine: ReadySummary) => boolean;
}

function formatMemory(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024} GiB` : `${mib} MiB`;
}

/** The checks `constraints` imposes, in report order; an empty constraint imposes none. */
export function constraintChecks(constraints: AllocationConstraints): ConstraintCheck[] {
  const c = constraints;
  const checks: ConstraintCheck[] = [];
  if (c.name) checks.push({ phrase: `named ${c.name}`, test: (m) => m.id === c.name || m.hostname === c.name });
  if (c.arch) checks.push({ phrase: `with arch ${c.arch}`, test: (m) => m.arch === c.arch });
  if (c.minCores > 0) checks.push({ phrase: `with >= ${c.minCores} cores`, test: (m) => m.cores >= c.minCores });
  if (c.minMemoryMib > 0) {
    checks.push({ phrase: `with >= ${formatMemory(c.minMemoryMib)} memory`, test: (m) => m.memoryMib >= c.minMemoryMib });
  }
  for (const tag of c.tags) checks.push({ phrase: `with tag ${tag}`, test: (m) => m.tags.includes(tag) });
  for (const tag of c.notTags) checks.push({ phrase: `without tag ${tag}`, test: (m) => !m.tags.includes(tag) });
  if (c.pool) checks.push({ phrase: `in pool ${c.pool}`, test: (m) => m.pool === c.pool });
  if (c.zone) checks.push({ phrase: `in zone ${c.zone}`, test: (m) => m.zone === c.zone });
  if (c.smartNic === 'required') checks.push({ phrase: 'with a smartNIC', test: (m) => m.smartNic });
  if (c.smartNic === 'excluded') checks.push({ phrase: 'without a smartNIC', test: (m) => !m.smartNic });
  return checks;
}

export function matcher(constraints: AllocationConstraints): (machine: ReadySummary) => boolean {
  const checks = constraintChecks(constraints);
  return (machine) => checks.every((check) => check.test(machine));
}
