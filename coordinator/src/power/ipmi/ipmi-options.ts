// The ipmi driver's options, validated once (zod) into a frozen, fully-required settings object.
import { z } from 'zod';
import { systemClock, type Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import { inThreadRunner, type IpmitoolRunner } from './ipmitool-runner.js';
import type { SessionRunner } from './ipmitool-sessions.js';

const optionsSchema = z.object({
  // Cipher suite 3 (RAKP-HMAC-SHA1, HMAC-SHA1-96, AES-CBC-128) is the default, not ipmitool 1.8.19's
  // 17 (SHA-256): OpenIPMI's ipmi_sim and older BMCs refuse 17 ("Unable to establish IPMI v2 /
  // RMCP+ session"), and with an explicit -C ipmitool does not fall back. Set 17 where BMCs allow it.
  cipherSuite: z.number().int().min(0).max(17).default(3),
  // Send Ironic's `raw 0x00 0x08 0x03 0x08` before each boot device change (IPMI 60-second rule).
  disableBootTimeout: z.boolean().default(true),
  // One ipmitool run, session setup included; it is killed after this.
  commandTimeoutMs: z.number().int().positive().default(20_000),
  // Extra attempts after a transient failure (no answer, BMC busy); never after an auth failure.
  retries: z.number().int().min(0).default(3),
  retryInitialMs: z.number().int().positive().default(1_000),
  retryMaxMs: z.number().int().positive().default(10_000),
  // ipmitool's own -N (seconds between retransmissions) and -R (retransmissions). Its defaults
  // (-R 4) keep an unreachable BMC for 20 s per run; a short run and the driver's retries with
  // backoff fail faster and honour the caller's signal between attempts.
  bmcTimeoutSec: z.number().int().positive().default(2),
  bmcRetries: z.number().int().positive().default(1),
  ipmitoolPath: z.string().min(1).default('ipmitool'),
});

export type IpmiDriverOptionsInput = z.input<typeof optionsSchema>;

export interface IpmiDriverOptions extends Partial<IpmiDriverOptionsInput> {
  readonly logger: Logger;
  /** Random source for backoff jitter, in [0, 1). */
  readonly random?: () => number;
  /** Where ipmitool processes start (default: in the calling thread). */
  readonly runner?: IpmitoolRunner;
  /** Times ipmitool runs for the logs (default: the system clock). */
  readonly clock?: Clock;
  /**
   * Where chassis commands (power, boot device) run: on a long-lived session per BMC
   * (ipmitool-sessions.ts). Without it each command starts its own ipmitool (and session).
   */
  readonly sessions?: SessionRunner;
}

export type IpmiSettings = Readonly<z.output<typeof optionsSchema>> & {
  readonly random: () => number;
  readonly runner: IpmitoolRunner;
  readonly clock: Clock;
  readonly sessions: SessionRunner | null;
};

export function compileIpmiOptions(options: IpmiDriverOptions): IpmiSettings {
  const { logger: _logger, random, runner, clock, sessions, ...rest } = options;
  const parsed = optionsSchema.parse(rest);
  return Object.freeze({
    ...parsed,
    random: random ?? Math.random,
    runner: runner ?? inThreadRunner,
    clock: clock ?? systemClock,
    sessions: sessions ?? null,
  });
}
