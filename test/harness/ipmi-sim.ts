// Starts real OpenIPMI ipmi_sim BMCs (shared/reference/real-components.md, protocol-facts.md 4.2)
// on 127.0.0.1 and a free UDP port each, in a temp dir, with test/harness/chassis-control as the
// stateful chassis program. Several run side by side: each has its own dir, port and password, and
// its own wrapper script that hands chassis-control its state dir (ipmi_sim runs `<prog> 0x20 ...`
// with the environment it was started with; the wrapper keeps the dir with the instance's
// lan.conf, whoever starts ipmi_sim). stop() is idempotent and a process exit hook kills whatever
// is still running.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { chmod, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { watch } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './cli.js';
import type { BootMode, IpmiCipherSuite } from '../../coordinator/src/machines/machine.js';
import { encodeFru, type FruImage } from './fru-image.js';
import { powerTarget } from './power-target.js';
import type { PowerTarget } from '../../coordinator/src/power/power-driver.js';

// The chassis program lives beside the sources (tsc does not copy it into dist/).
const CHASSIS_CONTROL = path.join(ROOT, 'test', 'harness', 'chassis-control');
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export interface IpmiSimOptions {
  /** Initial chassis power (default off). */
  power?: 'on' | 'off';
  user?: string;
  /** Default: a random one per instance, so two instances can never answer for each other. */
  password?: string;
  keep?: boolean;
  /** FRU device 0's inventory, loaded with `mc_add_fru_data` (fru-image.ts); none by default. */
  fru?: FruImage;
  /** The BMC's LAN MAC, served through lan.conf's `lan_config_program`; unset (all zeros) by default. */
  bmcMac?: string;
}

/** Following a BMC's chassis calls (IpmiSim.follow); stop() waits for the call being handled. */
export interface ChassisFollower {
  /** Resolves once every call logged so far has been handed over and handled. */
  sync(): Promise<void>;
  stop(): Promise<void>;
}

/** One call ipmi_sim made to the chassis program, e.g. `set boot bios` (`text`). */
export interface ChassisCall {
  readonly seq: number;
  readonly atMs: number;
  readonly verb: string;
  readonly args: readonly string[];
  readonly text: string;
}

export class IpmiSim {
  private process: ChildProcess | undefined;

  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly user: string,
    readonly password: string,
    private readonly keep: boolean,
  ) {}

  static async start(options: IpmiSimOptions = {}): Promise<IpmiSim> {
    const password = options.password ?? randomBytes(8).toString('hex');
    let lastError: unknown;
    // A port found free can be taken by someone else before ipmi_sim binds it, and ipmi_sim then
    // runs without a LAN socket and says nothing: check ownership and try another port.
    for (let attempt = 0; attempt < 5; attempt++) {
      const dir = await mkdtemp(path.join(tmpdir(), 'mooring-ipmi-sim-'));
      const sim = new IpmiSim(dir, await freeUdpPort(), options.user ?? 'admin', password, options.keep ?? false);
      try {
        await sim.launch(options.power ?? 'off', options);
        return sim;
      } catch (error) {
        lastError = error;
        await sim.stop();
      }
    }
    throw lastError;
  }

  get host(): string {
    return '127.0.0.1';
  }

  /** The machine's power address. */
  get address(): string {
    return `${this.host}:${this.port}`;
  }

  get chassisDir(): string {
    return path.join(this.dir, 'chassis');
  }

  private async launch(power: 'on' | 'off', hardware: Pick<IpmiSimOptions, 'fru' | 'bmcMac'>): Promise<void> {
    await mkdir(this.chassisDir);
    await mkdir(path.join(this.dir, 'state'));
    await writeFile(path.join(this.chassisDir, 'power'), power === 'on' ? '1\n' : '0\n');
    await writeFile(path.join(this.chassisDir, 'boot'), 'default\n');
    const wrapper = path.join(this.dir, 'chassis-control');
    await writeFile(wrapper, `#!/bin/sh\nMOORING_CHASSIS_DIR='${this.chassisDir}' exec '${CHASSIS_CONTROL}' "$@"\n`);
    await chmod(wrapper, 0o755);
    const lanConfig = hardware.bmcMac === undefined ? null : await this.writeLanControl(hardware.bmcMac);
    await writeFile(path.join(this.dir, 'lan.conf'), lanConf(this.port, this.user, this.password, wrapper, lanConfig));
    // mc_enable must come last, or the LAN socket never opens (and nothing is printed).
    const emu = [
      'mc_setbmc 0x20',
      'mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr',
      ...(hardware.fru ? [fruDataCommand(hardware.fru)] : []),
      'mc_enable 0x20',
      '',
    ];
    await writeFile(path.join(this.dir, 'bmc.emu'), emu.join('\n'));
    const args = ['-c', path.join(this.dir, 'lan.conf'), '-f', path.join(this.dir, 'bmc.emu'), '-s', path.join(this.dir, 'state'), '-n'];
    const child = spawn('ipmi_sim', args, { cwd: this.dir, stdio: 'ignore' });
    this.process = child;
    live.add(child);
    child.once('exit', () => live.delete(child));
    await this.waitUntilAnswering(child);
    // The readiness probes' `get power` calls are not the test's: start the log empty.
    await writeFile(path.join(this.chassisDir, 'calls.log'), '');
  }

  /**
   * ipmi_sim asks `<program> <device> get <parm>...` for the LAN parameters it does not keep itself
   * (ipmi_lan(5), lan_config_program) and reads `<parm>:<value>` lines back; MACs as xx:xx:...
   */
  private async writeLanControl(mac: string): Promise<string> {
    const script = path.join(this.dir, 'lan-control');
    await writeFile(
      script,
      `#!/bin/sh
[ "$2" = get ] || exit 0
shift 2
for parm in "$@"; do
  case "$parm" in
    mac_addr) echo "mac_addr:${mac}" ;;
    ip_addr) echo "ip_addr:127.0.0.1" ;;
    ip_addr_src) echo "ip_addr_src:static" ;;
    subnet_mask) echo "subnet_mask:255.0.0.0" ;;
    *_mac_addr) echo "$parm:00:00:00:00:00:00" ;;
    *) echo "$parm:0.0.0.0" ;;
  esac
done
`,
    );
    await chmod(script, 0o755);
    return `${script} eth0`;
  }

  private async waitUntilAnswering(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`ipmi_sim exited (${child.exitCode ?? child.signalCode})`);
      const owner = await udpPortOwner(child.pid!, this.port);
      // Taken since freeUdpPort() found it: this ipmi_sim will never bind it (and says nothing).
      if (owner === 'other') throw new Error(`UDP port ${this.port} was taken by another process`);
      if (owner === 'mine' && (await this.ipmitool('chassis', 'power', 'status')).code === 0) return;
      // Nothing to await: ipmi_sim gives no sign when its LAN socket is ready.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`ipmi_sim on ${this.address} did not answer chassis power status within 15 s`);
  }

  /** Runs ipmitool against this BMC (password through IPMI_PASSWORD), with short timeouts. */
  ipmitool(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const base = ['-I', 'lanplus', '-C', '3', '-H', this.host, '-p', String(this.port), '-U', this.user, '-E', '-N', '1', '-R', '1'];
    return new Promise((resolve) => {
      execFile(
        'ipmitool',
        [...base, ...args],
        { env: { PATH: process.env.PATH, IPMI_PASSWORD: this.password }, timeout: 10_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  /** Every chassis program call so far, in order. */
  async calls(): Promise<ChassisCall[]> {
    const text = await readFile(path.join(this.chassisDir, 'calls.log'), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const [seq, atMs, _dev, verb, ...args] = line.trim().split(/\s+/);
        return { seq: Number(seq), atMs: Number(atMs), verb: verb!, args, text: [verb, ...args].join(' ') };
      });
  }

  /** `set ...` calls only, as text ("set power 1", "set boot bios"). */
  async sets(): Promise<string[]> {
    return (await this.calls()).filter((call) => call.verb === 'set').map((call) => call.text);
  }

  /** Resolves with the first call matching `predicate`, waking on changes to the chassis dir. */
  async waitForCall(predicate: (call: ChassisCall) => boolean, what: string, timeoutMs = 15_000): Promise<ChassisCall> {
    return waitForChange(this.chassisDir, async () => (await this.calls()).find(predicate), `chassis call: ${what}`, timeoutMs);
  }

  async power(): Promise<'on' | 'off'> {
    return (await readFile(path.join(this.chassisDir, 'power'), 'utf8')).trim() === '1' ? 'on' : 'off';
  }

  async bootDevice(): Promise<string> {
    return (await readFile(path.join(this.chassisDir, 'boot'), 'utf8')).trim();
  }

  /**
   * Hands every chassis call made after this point to `onCall`, in order and one at a time, woken
   * by changes to the chassis dir (fs.watch, not polling): what a machine behind this BMC does when
   * its power or boot device is set. A failing `onCall` is reported to `onError` and following goes
   * on. The sequence number survives clearCalls(), so nothing is handed over twice.
   */
  async follow(onCall: (call: ChassisCall) => Promise<void>, onError: (error: unknown) => void): Promise<ChassisFollower> {
    let lastSeq = Math.max(0, ...(await this.calls()).map((call) => call.seq));
    let chain = Promise.resolve();
    const next = async (): Promise<void> => {
      for (const call of await this.calls()) {
        if (call.seq <= lastSeq) continue;
        lastSeq = call.seq;
        await onCall(call);
      }
    };
    const watcher = watch(this.chassisDir, () => {
      chain = chain.then(next).catch(onError);
    });
    return {
      sync() {
        chain = chain.then(next).catch(onError);
        return chain;
      },
      async stop() {
        watcher.close();
        await chain;
      },
    };
  }

  /** Empties the chassis call log (between tests sharing one BMC). */
  async clearCalls(): Promise<void> {
    await writeFile(path.join(this.chassisDir, 'calls.log'), '');
  }

  /** Sets the chassis power directly (as if someone pressed the button); not logged as a call. */
  async setPower(state: 'on' | 'off'): Promise<void> {
    await writeFile(path.join(this.chassisDir, 'power'), state === 'on' ? '1\n' : '0\n');
  }

  /** The ipmi_sim process's pid while it runs. */
  get pid(): number | undefined {
    return this.process?.pid;
  }

  async stop(): Promise<void> {
    const p = this.process;
    this.process = undefined;
    if (p && p.exitCode === null && p.signalCode === null) {
      const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
      p.kill('SIGTERM');
      const timer = setTimeout(() => p.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (!this.keep) await rm(this.dir, { recursive: true, force: true });
  }
}

/** Resolves with check()'s first defined result, re-checking whenever something in `dir` changes. */
export async function waitForChange<T>(dir: string, check: () => Promise<T | undefined>, what: string, timeoutMs: number): Promise<T> {
  let wake: () => void = () => undefined;
  const watcher = watch(dir, () => wake());
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const changed = new Promise<void>((resolve) => (wake = resolve));
      const found = await check();
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([changed, new Promise<void>((resolve) => (timer = setTimeout(resolve, left)))]);
      clearTimeout(timer);
    }
  } finally {
    watcher.close();
  }
}

/** A machine whose ipmi power settings point at `address` (by default the sim's, with its credentials). */
export function ipmiTarget(
  sim: IpmiSim,
  options: { address?: string; password?: string | null; bootMode?: BootMode; hostname?: string; cipherSuite?: IpmiCipherSuite } = {},
): PowerTarget {
  const password = options.password === undefined ? sim.password : options.password;
  const power = {
    driver: 'ipmi' as const,
    address: options.address ?? sim.address,
    user: sim.user,
    passwordFile: null,
    hasPassword: true,
    bootMode: options.bootMode ?? 'uefi',
    ipmiCipherSuite: options.cipherSuite ?? 3,
    redfishTls: null,
  };
  return powerTarget('m-ipmi-0001', options.hostname ?? 'rack1-node1', power, password);
}

/** ipmi_sim_cmd(5): `mc_add_fru_data <mc> <device id> <size> data <bytes...>`. */
function fruDataCommand(fru: FruImage): string {
  const bytes = [...encodeFru(fru)].map((byte) => `0x${byte.toString(16).padStart(2, '0')}`);
  return `mc_add_fru_data 0x20 0 ${bytes.length} data ${bytes.join(' ')}`;
}

function lanConf(port: number, user: string, password: string, chassisControl: string, lanConfigProgram: string | null): string {
  const auths = 'none md2 md5 straight';
  return [
    'name "mooring-bmc"',
    'set_working_mc 0x20',
    '  startlan 1',
    `    addr 127.0.0.1 ${port}`,
    '    priv_limit admin',
    ...['callback', 'user', 'operator', 'admin'].map((level) => `    allowed_auths_${level} ${auths}`),
    `    guid ${randomBytes(16).toString('hex')}`,
    ...(lanConfigProgram === null ? [] : [`    lan_config_program "${lanConfigProgram}"`]),
    '  endlan',
    `  chassis_control "${chassisControl} 0x20"`,
    `  user 2 true "${user}" "${password}" admin 10 ${auths}`,
    '',
  ].join('\n');
}

/** A UDP port on 127.0.0.1 that was free a moment ago. */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** Who holds the UDP socket bound to 127.0.0.1:`port`: process `pid`, another, or nobody (from /proc). */
async function udpPortOwner(pid: number, port: number): Promise<'mine' | 'other' | 'none'> {
  const table = await readFile('/proc/net/udp', 'utf8');
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inode = table
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .find((fields) => fields[1] === local)?.[9];
  if (!inode) return 'none';
  const fdDir = `/proc/${pid}/fd`;
  for (const fd of await readdir(fdDir).catch(() => [])) {
    if ((await readlink(path.join(fdDir, fd)).catch(() => '')) === `socket:[${inode}]`) return 'mine';
  }
  return 'other';
}

/** One ipmitool run seen by the recording wrapper. */
export interface IpmitoolInvocation {
  /** The arguments the wrapper was given. */
  readonly argv: readonly string[];
  /** /proc/<pid>/cmdline of the real ipmitool process while it ran (empty if it ended before it was read). */
  readonly procCmdline: readonly string[];
  readonly passwordInEnv: boolean;
  readonly pid: number;
  /** ipmitool's exit status, or null while it runs (or when it was killed with its wrapper). */
  readonly exitCode: number | null;
}

export interface IpmitoolRecorder {
  /** Pass as the driver's ipmitoolPath. */
  readonly path: string;
  invocations(): Promise<IpmitoolInvocation[]>;
  /** Resolves once `count` invocations have started, waking on new ones. */
  waitForInvocations(count: number, timeoutMs?: number): Promise<void>;
  remove(): Promise<void>;
}

/**
 * A wrapper around /usr/bin/ipmitool that records each invocation (one file each, named by time so
 * they sort in order): its argv, the running ipmitool's /proc/<pid>/cmdline, and whether
 * IPMI_PASSWORD was set (never its value).
 */
export async function recordingIpmitool(): Promise<IpmitoolRecorder> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mooring-ipmitool-rec-'));
  const calls = path.join(dir, 'calls');
  await mkdir(calls);
  const script = path.join(dir, 'ipmitool');
  await writeFile(
    script,
    `#!/bin/sh
out='${calls}'/$(date +%s%N)-$$
/usr/bin/ipmitool "$@" &
pid=$!
i=0
full=
while [ $i -lt 2000 ]; do
  full=$(tr '\\0' '\\n' < /proc/$pid/cmdline 2>/dev/null)
  cmd=$(printf '%s\\n' "$full" | head -n 1)
  [ "$cmd" = /usr/bin/ipmitool ] && break
  # Before exec it shows this shell's cmdline (nothing during exec); stop once ipmitool has ended.
  [ -e /proc/$pid ] || break
  [ "$(sed 's/.*) \\(.\\).*/\\1/' /proc/$pid/stat 2>/dev/null)" = Z ] && break
  i=$((i + 1))
done
{
  echo "pid $pid"
  if [ -n "\${IPMI_PASSWORD+x}" ]; then echo 'env IPMI_PASSWORD'; fi
  for a in "$@"; do printf 'argv %s\\n' "$a"; done
  if [ "$cmd" = /usr/bin/ipmitool ]; then printf '%s\\n' "$full" | sed 's/^/proc /'; fi
} > "$out.tmp" && mv "$out.tmp" "$out"
wait $pid
rc=$?
echo $rc > "$out.rc"
exit $rc
`,
  );
  await chmod(script, 0o755);
  const names = async (): Promise<string[]> => (await readdir(calls)).filter((name) => !name.includes('.')).sort();
  return {
    path: script,
    async waitForInvocations(count, timeoutMs = 30_000) {
      await waitForChange(calls, async () => ((await names()).length >= count ? true : undefined), `${count} ipmitool runs`, timeoutMs);
    },
    async invocations() {
      const files = await names();
      return Promise.all(
        files.map(async (name) => {
          const lines = (await readFile(path.join(calls, name), 'utf8')).split('\n');
          const field = (prefix: string): string[] => lines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
          const rc = await readFile(path.join(calls, `${name}.rc`), 'utf8').catch(() => null);
          return {
            argv: field('argv '),
            procCmdline: field('proc '),
            passwordInEnv: lines.includes('env IPMI_PASSWORD'),
            pid: Number(field('pid ')[0]),
            exitCode: rc === null ? null : Number(rc.trim()),
          };
        }),
      );
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
