// Which accelerator QEMU VMs use here, decided at run time and logged: KVM when /dev/kvm is usable,
// TCG otherwise. "Usable" is measured, not assumed: on some hosts (nested virtualisation without
// hardware help for real mode) KVM initialises but runs firmware 25 times slower than TCG (SeaBIOS:
// 54 s against 2 s; iPXE stalled for minutes). So the probe boots the same empty machine under both
// at once, SeaBIOS with nothing to boot, and keeps whichever reaches "No bootable device" first
// (normally KVM, in well under a second). The result is cached for this host boot (keyed by the
// kernel's boot_id) in the temp dir, so later test files skip the probe.
// MOORING_QEMU_ACCEL=kvm|tcg forces one.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';

export type QemuAccel = 'kvm' | 'tcg';

export interface AccelChoice {
  readonly accel: QemuAccel;
  readonly why: string;
}

const PROBE_TIMEOUT_MS = 60_000;
let chosen: Promise<AccelChoice> | undefined;

/** The accelerator for this process's VMs (probed, or read from this boot's cache, on first use). */
export function qemuAccel(log: Logger): Promise<AccelChoice> {
  chosen ??= choose().then((choice) => {
    log.info({ accel: choice.accel, why: choice.why }, `QEMU accelerator: ${choice.accel}`);
    return choice;
  });
  return chosen;
}

async function choose(): Promise<AccelChoice> {
  const forced = process.env.MOORING_QEMU_ACCEL;
  if (forced !== undefined && forced !== '') {
    if (forced !== 'kvm' && forced !== 'tcg') throw new Error(`MOORING_QEMU_ACCEL must be kvm or tcg, not ${JSON.stringify(forced)}`);
    return { accel: forced, why: 'MOORING_QEMU_ACCEL' };
  }
  if (!existsSync('/dev/kvm')) return { accel: 'tcg', why: 'no /dev/kvm' };
  const bootId = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
  const cache = path.join(tmpdir(), `mooring-qemu-accel-${bootId}.json`);
  const cached = await readFile(cache, 'utf8')
    .then((text) => JSON.parse(text) as AccelChoice)
    .catch(() => undefined);
  if (cached) return { accel: cached.accel, why: `${cached.why} (cached for this boot in ${cache})` };
  const choice = await race();
  await writeFile(cache, JSON.stringify(choice));
  return choice;
}

/** Boots an empty machine under KVM and TCG side by side; the first to finish its firmware wins. */
async function race(): Promise<AccelChoice> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mooring-qemu-accel-'));
  const runs = (['kvm', 'tcg'] as const).map((accel) => firmwareRun(dir, accel));
  try {
    const winner = await Promise.any(runs.map((run) => run.done));
    return {
      accel: winner.accel,
      why: `SeaBIOS finished first under ${winner.accel} (${winner.ms} ms; the other was still running or failed)`,
    };
  } catch (error) {
    const reasons = error instanceof AggregateError ? error.errors.map(String).join('; ') : String(error);
    throw new Error(`QEMU could not boot an empty machine under KVM or TCG: ${reasons}`);
  } finally {
    for (const run of runs) run.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}

function firmwareRun(dir: string, accel: QemuAccel): { child: ChildProcess; done: Promise<{ accel: QemuAccel; ms: number }> } {
  const serial = path.join(dir, `${accel}.log`);
  const started = Date.now();
  const child = spawn(
    'qemu-system-x86_64',
    ['-accel', accel, '-m', '64', '-nodefaults', '-nographic', '-monitor', 'none', '-serial', `file:${serial}`, '-boot', 'strict=on'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ accel: QemuAccel; ms: number }>((resolve, reject) => {
    const watcher = watch(dir, () => void check());
    const timer = setTimeout(() => finish(new Error(`${accel}: no "No bootable device" within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
    const finish = (error: Error | null): void => {
      watcher.close();
      clearTimeout(timer);
      if (error) reject(error);
      else resolve({ accel, ms: Date.now() - started });
    };
    const check = async (): Promise<void> => {
      const text = await readFile(serial, 'utf8').catch(() => '');
      if (text.includes('No bootable device')) finish(null);
    };
    child.once('exit', (code, signal) => finish(new Error(`${accel}: QEMU exited with ${code ?? signal}: ${stderr.trim()}`)));
  });
  // Settled once: later finish() calls (the other's kill, the watcher) are no-ops on a settled promise.
  done.catch(() => undefined);
  return { child, done };
}
