// Several ipmi_sim BMCs side by side (the lab and the sequencer benchmark run tens of them), driven
// through one bounded ipmi driver: each BMC sees only its own machine's commands.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../../coordinator/src/logger.js';
import { boundedDriver } from '../../../coordinator/src/power/bounded-drivers.js';
import { ipmiDriver } from '../../../coordinator/src/power/ipmi/ipmi-driver.js';
import { IpmiSim, ipmiTarget } from '../../harness/ipmi-sim.js';

const COUNT = 8;
let sims: IpmiSim[] = [];

beforeAll(async () => {
  const started = await Promise.allSettled(Array.from({ length: COUNT }, (_, i) => IpmiSim.start({ power: i % 2 === 0 ? 'off' : 'on' })));
  sims = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
});

afterAll(async () => {
  await Promise.all(sims.map((sim) => sim.stop()));
});

it('starts BMCs on distinct ports and drives each one only for its own machine', async () => {
  expect(new Set(sims.map((sim) => sim.port)).size).toBe(COUNT);
  const driver = boundedDriver(ipmiDriver({ bmcTimeoutSec: 1, logger: createLogger('silent') }), 3);
  const signal = new AbortController().signal;
  await Promise.all(
    sims.map((sim, i) => {
      const target = ipmiTarget(sim, { hostname: `rack1-node${i}` });
      return driver
        .setBootDevice(target, { device: 'bios', persistent: false, mode: 'uefi' }, signal)
        .then(() => driver.powerOn(target, signal));
    }),
  );
  for (const [i, sim] of sims.entries()) {
    // Odd machines were already on: boot device set, and no power change.
    expect(await sim.sets()).toEqual(i % 2 === 0 ? ['set boot bios', 'set power 1'] : ['set boot bios']);
    expect(await sim.power()).toBe('on');
  }
});

it("refuses another BMC's password: each instance has its own", async () => {
  const driver = ipmiDriver({ bmcTimeoutSec: 1, retries: 0, logger: createLogger('silent') });
  const [first, second] = sims;
  const crossed = ipmiTarget(first!, { password: second!.password });
  await expect(driver.queryState(crossed, new AbortController().signal)).rejects.toMatchObject({ name: 'IpmiAuthError' });
});
