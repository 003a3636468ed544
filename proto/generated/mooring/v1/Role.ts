// Original file: mooring/v1/tenancy.proto

export const Role = {
  ROLE_UNSPECIFIED: 'ROLE_UNSPECIFIED',
  ROLE_ADMIN: 'ROLE_ADMIN',
  ROLE_MEMBER: 'ROLE_MEMBER',
  ROLE_OBSERVER: 'ROLE_OBSERVER',
} as const;

export type Role =
  | 'ROLE_UNSPECIFIED'
  | 0
  | 'ROLE_ADMIN'
  | 1
  | 'ROLE_MEMBER'
  | 2
  | 'ROLE_OBSERVER'
  | 3

export type Role__Output = typeof Role[keyof typeof Role]
