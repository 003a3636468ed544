// The BIOS-halt sequencer's crash points in step order, for the tests that kill a coordinator at
// each (test/e2e/bios-halt-crash.test.ts on one coordinator, ha-sequence-takeover.test.ts on two).
// Around every step that acts on the BMC or OVS: before it (resumed from its stored start) and after
// it (acted, the next step not yet stored). Read-power, wait-agents and finish act on nothing: a
// crash before them is a restart with nothing done yet, or the same resume as the crash after
// power-on or after restore-on.
export const BIOS_HALT_CRASH_POINTS = [
  'before:set-boot-bios',
  'after:set-boot-bios',
  'before:power-on',
  'after:power-on',
  'before:ports',
  'after:ports',
  'before:set-boot-deploy',
  'before:restore-off',
  'after:restore-off',
  'before:restore-on',
  'after:restore-on',
];
