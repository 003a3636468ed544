// Users, groups and the principal a request acts as.

export const ROLES = ['admin', 'member', 'observer'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  readonly name: string;
  readonly role: Role;
  readonly groups: readonly string[];
  readonly createdAt: number;
}

export interface Group {
  readonly name: string;
  readonly members: readonly string[];
  readonly createdAt: number;
}

/** Who is asking: resolved from a bearer token at the API edge. */
export interface Principal {
  readonly user: string;
  readonly role: Role;
  readonly groups: readonly string[];
}

/** The principal of the coordinator's own actions (startup recovery, bootstrap). */
export const SYSTEM_PRINCIPAL: Principal = { user: 'system', role: 'admin', groups: [] };
