// Original file: mooring/v1/machines.proto

export const SmartNicConstraint = {
  SMART_NIC_CONSTRAINT_ANY: 'SMART_NIC_CONSTRAINT_ANY',
  SMART_NIC_CONSTRAINT_REQUIRED: 'SMART_NIC_CONSTRAINT_REQUIRED',
  SMART_NIC_CONSTRAINT_EXCLUDED: 'SMART_NIC_CONSTRAINT_EXCLUDED',
} as const;

export type SmartNicConstraint =
  | 'SMART_NIC_CONSTRAINT_ANY'
  | 0
  | 'SMART_NIC_CONSTRAINT_REQUIRED'
  | 1
  | 'SMART_NIC_CONSTRAINT_EXCLUDED'
  | 2

export type SmartNicConstraint__Output = typeof SmartNicConstraint[keyof typeof SmartNicConstraint]
