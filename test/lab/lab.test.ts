// The lab (npm run lab) as an operator runs it: the built dist/test/lab/main.js in its own process
// group, with TMPDIR pointing at a directory of this test, so "nothing left behind" is checkable:
// no process of its group or naming that directory, and the directory empty afterwards.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../harness/cli.js';
import { ConsoleClient } from '../console/console-client.js';
import { moorctl } from '../harness/coordinator-cli.js';
import { waitFor } from '../harness/ovs.js';

const LAB_MAIN = path.join(ROOT, 'dist', 'test', 'lab', 'main.js');
// Upper bounds for three machines' worth of real daemons (and OVN) on a loaded 2-core machine; the story takes about 70 s.
const STORY_BOUND_MS = 300_000;
const STOP_BOUND_MS = 300_000;
const TEST_BOUND_MS = STORY_BOUND_MS + STOP_BOUND_MS + 60_000;

class LabRun {
  output = '';
  readonly exited: Promise<number | null>;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly child: ChildProcess,
    readonly tmp: string,
  ) {
    const take = (chunk: Buffer): void => {
      this.output += chunk.toString();
      for (const wake of this.waiters) wake();
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    void this.exited.then(() => this.waiters.forEach((wake) => wake()));
  }

  /** Resolves with the first match of `re` in the output (now or later); rejects if the lab exits first or after timeoutMs. */
  until(re: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no ${re} within ${timeoutMs} ms; output:\n${this.output}`)), timeoutMs);
      const check = (): void => {
        const m = re.exec(this.output);
        if (m) return done(undefined, m);
        if (this.child.exitCode !== null || this.child.signalCode !== null)
          done(new Error(`the lab exited (${this.child.exitCode ?? this.child.signalCode}) before ${re}; output:\n${this.output}`));
      };
      const done = (err?: Error, m?: RegExpExecArray): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (err) reject(err);
        else resolve(m!);
      };
      this.waiters.add(check);
      check();
    });
  }
}

const runs: LabRun[] = [];

async function startLab(args: string[], env: NodeJS.ProcessEnv = {}): Promise<LabRun> {
  const tmp = await mkdtemp(path.join(tmpdir(), 'mlt-'));
  // Its own process group, as a shell gives a foreground job: a group SIGINT is what Ctrl-C sends.
  // --no-vm: the VM chapter's multi-minute QEMU deploy is test/vm/image-deploy.test.ts's.
  const child = spawn(process.execPath, [LAB_MAIN, '--no-vm', ...args], {
    env: { ...process.env, ...env, TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const run = new LabRun(child, tmp);
  runs.push(run);
  return run;
}

/** Processes of the lab's group, or whose command line names its temp directory. */
async function leftovers(run: LabRun): Promise<string[]> {
  const { stdout } = await promisify(execFile)('ps', ['-eo', 'pid=,pgid=,args=']);
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => {
      const [, pgid] = line.split(/\s+/);
      return line !== '' && (Number(pgid) === run.child.pid || line.includes(run.tmp));
    });
}

async function expectNothingLeft(run: LabRun): Promise<void> {
  // A helper shell (ipmi_sim's chassis program) that ended as its daemon was killed is a zombie
  // until init reaps it: give that up to 10 s, then whatever is still there is a real leftover.
  await waitFor(async () => (await leftovers(run)).length === 0, 10_000, "the lab's processes to be gone").catch(() => undefined);
  expect(await leftovers(run)).toEqual([]);
  expect(await readdir(run.tmp)).toEqual([]);
}

afterEach(async () => {
  for (const run of runs.splice(0)) {
    if (run.child.exitCode === null && run.child.signalCode === null) {
      try {
        process.kill(-run.child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await run.exited;
    await rm(run.tmp, { recursive: true, force: true });
  }
});

/** The story as `npm run lab` tells it: every chapter's commands, their output and the verdicts. */
function expectWholeStory(out: string): void {
  expect(out).toMatch(/^ok \[1\/13\] Start the coordinator/m);
  expect(out).toMatch(/single-use enrollment token for dpu-3/);
  expect(out).toMatch(/^ {2}\$ moorctl reserve node-2 --group lab-team$/m);
  expect(out).toMatch(/reserved machine chosen first: node-2 \(reserved for lab-team/);
  // The BIOS-halt steps, from the event log, in this order.
  expect(out).toMatch(
    new RegExp(
      /1\. boot device bios: .*\n.*2\. power on: .*\n.*3\. agent new session: .*\n.*4\. port bound: .*\n.*/.source +
        /5\. deploy boot device: .*\n.*6\. power cycle: off: .*\n.*7\. power cycle: on: /.source,
    ),
  );
  expect(out).toMatch(/chassis saw: set boot bios, set power 1, set boot pxe, set power 0, set power 1/);
  // The port as ovs-vsctl shows it on the smartNIC's own OVS.
  expect(out).toMatch(/\$ ovs-vsctl --db=unix:\S+\/db\.sock list-ports br-int\n {2}pf0vf0\n/);
  expect(out).toMatch(/external_ids\s+: \{.*iface-status=active.*vm-uuid=m-/);
  // Released: unbound and off.
  expect(out).toMatch(/Chassis Power is off/);
  expect(out).toMatch(/released: pf0vf0 unbound from br-int, node-2 powered off, READY again/);
  expect(out).toMatch(/^ok \[10\/13\] Release node-2/m);
  // The VM host chapter: its own LXD project, a composed container that is a READY machine, deleted at the end.
  expect(out).toMatch(/\$ moorctl vmhost add --agent vmhost-1 --project mooring-lab --create-project\n/);
  expect(out).toMatch(/composed vm-lab-1: machine m-\S+, READY, power driver lxd through vmhost-1/);
  expect(out).toMatch(/^ {2}vm-lab-1,STOPPED,CONTAINER$/m);
  expect(out).toMatch(/deleted vm-lab-1: instance and machine gone; project mooring-lab left in place/);
  expect(out).toMatch(/^ok \[11\/13\] Delete the composed VM/m);
  // Tenant networks on real OVN: each smartNIC's ovn-controller registered its chassis, each tenant's machine is up on it.
  expect(out).toMatch(/\$ ovn-sbctl --db=unix:\S+\/sb\.sock --bare --columns=name list Chassis\n(?: {2}dpu-[123]\n){3}/);
  expect(out).toMatch(
    new RegExp(
      /\$ moorctl --token-file \S+\/alice\.token security-group rule add ssh-in /.source +
        /--direction in --protocol tcp --port 22 --remote-cidr 10\.0\.1\.0\/28\n/.source,
    ),
  );
  expect(out).toMatch(/^ {2}node-1 DEPLOYED on alice-net: pf0vf0 is LSP [0-9a-f-]{36}, 10\.0\.1\.\d+, up on chassis dpu-1$/m);
  expect(out).toMatch(/^ {2}node-3 DEPLOYED on bob-net: pf0vf0 is LSP [0-9a-f-]{36}, 10\.0\.2\.\d+, up on chassis dpu-3$/m);
  // The verdicts: same network on the opened port delivered, another port dropped by the ACL, the other tenant dropped at L2.
  expect(out).toMatch(/ovn-trace verdict: node-2 -> node-1 tcp\/22 \(same network, .*\): delivered to node-1$/m);
  expect(out).toMatch(/ovn-trace verdict: node-2 -> node-1 tcp\/80 \(same network, .*\): dropped at ls_out_acl$/m);
  expect(out).toMatch(/ovn-trace verdict: node-3 \(bob\) -> node-1 tcp\/22 \(another tenant's network\): dropped at ls_in_l2_unknown$/m);
  expect(out).toMatch(
    /\$ ovs-appctl --target=\S+\/ovs-vswitchd\.ctl ofproto\/trace br-int in_port=pf0vf0,tcp,.*tp_dst=22\n {2}Datapath actions: drop\n/,
  );
  expect(out).toMatch(/ofproto\/trace verdict on dpu-3: node-3 -> node-1 tcp\/22: datapath actions drop$/m);
  expect(out).toMatch(/^ok \[13\/13\] Isolation as ovn-trace and ofproto\/trace show it/m);
  expect(out).not.toMatch(/^FAIL/m);
}

describe('npm run lab', () => {
  it(
    // One run tells the story and stays up (the --once exits are the tests below): a second whole
    // story would cost a minute of the suite for the same steps.
    'tells the whole story, stays up with working directions until Ctrl-C, then stops everything it started',
    async () => {
      const run = await startLab([]);
      await run.until(/Press Ctrl-C to stop the lab/, STORY_BOUND_MS);
      const out = run.output;
      expectWholeStory(out);
      // The printed directions work: moorctl with exactly those settings, the token read from the file.
      const address = /export MOORING_COORDINATOR=(\S+)/.exec(out)?.[1] ?? '';
      const ca = /export MOORING_CA=(\S+)/.exec(out)?.[1] ?? '';
      const tokenFile = /export MOORING_TOKEN="\$\(cat (\S+)\)"/.exec(out)?.[1] ?? '';
      const token = (await readFile(tokenFile, 'utf8')).trim();
      const list = await moorctl(['machine', 'list'], { MOORING_COORDINATOR: address, MOORING_CA: ca, MOORING_TOKEN: token });
      expect(list.code).toBe(0);
      // The network chapter left node-2 deployed by alice on her tenant network, still reserved for her group.
      expect(list.stdout).toMatch(/node-2\s+DEPLOYED\s+\S*alice\s+group:lab-team/);
      // The console's URL and a sign-in token for each user the lab made; the printed tokens sign in.
      const consoleUrl = /The web console: open (https:\/\/127\.0\.0\.1:\d+\/) /.exec(out)?.[1] ?? '';
      const signIns = [...out.matchAll(/^ {2}(\w+) \((admin|member|observer)[^)]*\): (\S+)$/gm)].map((m) => ({
        user: m[1],
        token: m[3] ?? '',
      }));
      expect(signIns.map((s) => s.user).sort()).toEqual(expect.arrayContaining(['admin', 'alice']));
      const browser = new ConsoleClient(consoleUrl, await readFile(ca, 'utf8'));
      try {
        for (const s of signIns) {
          const signedIn = await browser.signIn(s.token);
          expect(signedIn.status, s.user).toBe(200);
          expect(signedIn.body['user']).toMatchObject({ name: s.user });
        }
      } finally {
        await browser.close();
      }
      // Secrets stay out of the output: the admin's and the member's tokens (moorctl's; the console's are apart).
      const memberToken = (await readFile(/--token-file (\S+) machine allocate/.exec(out)?.[1] ?? '', 'utf8')).trim();
      expect(out).not.toContain(token);
      expect(out).not.toContain(memberToken);
      // A powered-on machine's smartNIC agent answers at the printed status URL.
      const statusUrl = /dpu-1 {2}(http:\/\/127\.0\.0\.1:\d+\/status) {2}up/.exec(out)?.[1] ?? '';
      const status = await fetch(statusUrl, { headers: { accept: 'application/json' } });
      expect(status.status).toBe(200);
      // Every smartNIC is up: the network chapter deployed node-2 (powered off since its release) again.
      expect(out).toMatch(/dpu-2 {2}http:\S+ {2}up$/m);
      expect(out).toMatch(/^ {2}ovn-trace --db=unix:\S+\/sb\.sock /m);
      expect(out).toMatch(/^ {2}vmhost-1 {2}http:\S+\/status$/m);
      process.kill(-run.child.pid!, 'SIGINT');
      await run.until(/lab stopped/, STOP_BOUND_MS);
      expect(await run.exited).toBe(0);
      await expectNothingLeft(run);
    },
    TEST_BOUND_MS,
  );

  it(
    'SIGTERM while machines are starting stops whatever had started, exiting 143',
    async () => {
      const run = await startLab(['--once']);
      await run.until(/starting node-1, node-2, node-3: /, STORY_BOUND_MS);
      run.child.kill('SIGTERM');
      await run.until(/lab stopped/, STOP_BOUND_MS);
      expect(await run.exited).toBe(143);
      expect(run.output).toMatch(/^FAIL \[2\/13\] Enrol three smartNIC agents .*: interrupted by SIGTERM/m);
      await expectNothingLeft(run);
    },
    TEST_BOUND_MS,
  );

  it(
    '--once exits 1 naming the step that failed, and stops what had started',
    async () => {
      // An ovs-vsctl that refuses everything, first on PATH: the smartNICs' OVS cannot be set up.
      const bin = await mkdtemp(path.join(tmpdir(), 'mlt-bin-'));
      try {
        await writeFile(path.join(bin, 'ovs-vsctl'), '#!/bin/sh\necho "ovs-vsctl: refused by the test" >&2\nexit 1\n', { mode: 0o755 });
        const run = await startLab(['--once'], { PATH: `${bin}:${process.env['PATH'] ?? ''}` });
        await run.until(/lab stopped/, STORY_BOUND_MS);
        expect(await run.exited).toBe(1);
        expect(run.output).toMatch(/^ok \[1\/13\] Start the coordinator/m);
        expect(run.output).toMatch(/^lab: step 2\/13 \(Enrol three smartNIC agents\) failed: .*ovs-vsctl/m);
        await expectNothingLeft(run);
      } finally {
        await rm(bin, { recursive: true, force: true });
      }
    },
    TEST_BOUND_MS,
  );
});
