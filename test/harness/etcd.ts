// A real etcd cluster for tests: N members (default 3) of /usr/bin/etcd (Debian's etcd-server) on
// 127.0.0.1 with free ports and temp data dirs, plain http, or for clients https with client-certificate
// auth (`tls`; /health is then asked on a plain-http metrics port). Members can be killed (SIGKILL) and
// started again on their data dir; stop() kills everything and removes the dirs, and a process
// exit hook kills whatever is still running.
//
// Data dirs are in memory (/dev/shm) unless `dataOnDisk`: etcd fsyncs its WAL on every commit of
// every member (about 1.6 ms each on this machine's disk, 0.01 ms on tmpfs), which made the etcd
// tests wait on the disk. What they check is unchanged: a member killed with SIGKILL finds its WAL
// as it left it (the page cache outlives the process); only a host crash would lose it, and no test
// makes one. The benchmark (bench/alloc) keeps the disk, beside LMDB on the disk.
//
// The members share this host's cores, so each runs with GOMAXPROCS set to its share of them (at
// least 1; etcd's Go runtime otherwise runs as many schedulers as the host has cores, and with
// three members on two cores their idle schedulers spin looking for work the others' hold). On the
// 2-vCPU VM, `npm run bench:alloc -- --store etcd --coordinators 3` used 0.55-0.81 ms of etcd CPU
// per allocation cycle over 9 runs against 0.75-0.89 over 6 without it (README "Store
// backends"). An operator co-locating members does the same (README, the three-member layout).
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

const ETCD = '/usr/bin/etcd';
const MEMORY_DIR = '/dev/shm';

/** GOMAXPROCS of each of `size` members on this host: its share of the cores, at least 1. */
export function memberGoMaxProcs(size: number, cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / size));
}

/** Where members' data dirs go: tmpfs when there is a writable one, else the temp dir. */
function dataRoot(onDisk: boolean): string {
  if (onDisk) return tmpdir();
  try {
    accessSync(MEMORY_DIR, constants.W_OK);
    return MEMORY_DIR;
  } catch {
    return tmpdir();
  }
}
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

/** Client TLS of the members: etcd serves https with this key and certificate and asks clients for a certificate from `caFile`. */
export interface EtcdClusterTls {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

interface Member {
  readonly name: string;
  readonly clientPort: number;
  readonly peerPort: number;
  readonly metricsPort: number;
  readonly dataDir: string;
  process: ChildProcess | null;
  log: string;
}

export class EtcdCluster {
  private constructor(
    readonly dir: string,
    private readonly members: Member[],
    private readonly tls: EtcdClusterTls | null,
    /** etcd's --quota-backend-bytes (null: etcd's default, 2 GiB). */
    private readonly quotaBackendBytes: number | null = null,
  ) {}

  /**
   * Starts `size` members and waits until the cluster has a leader. A free port can be taken by
   * another process between probing and etcd binding it; then the whole start is tried again on
   * new ports (up to three times).
   */
  static async start(
    size = 3,
    options: { tls?: EtcdClusterTls; dataOnDisk?: boolean; quotaBackendBytes?: number } = {},
  ): Promise<EtcdCluster> {
    for (let attempt = 1; ; attempt++) {
      const dir = await mkdtemp(path.join(dataRoot(options.dataOnDisk ?? false), 'mooring-etcd-'));
      const ports = new Set<number>();
      while (ports.size < 3 * size) ports.add(await freePort());
      const [...free] = ports;
      const members: Member[] = Array.from({ length: size }, (_, i) => ({
        name: `m${i}`,
        clientPort: free[3 * i]!,
        peerPort: free[3 * i + 1]!,
        metricsPort: free[3 * i + 2]!,
        dataDir: path.join(dir, `m${i}`),
        process: null,
        log: '',
      }));
      const cluster = new EtcdCluster(dir, members, options.tls ?? null, options.quotaBackendBytes ?? null);
      try {
        for (let i = 0; i < size; i++) cluster.spawnMember(i);
        await cluster.waitHealthy(members.map((_, i) => i));
        return cluster;
      } catch (error) {
        await cluster.stop();
        if (attempt >= 3 || !/address already in use/.test(String(error))) throw error;
      }
    }
  }

  /** Client URLs of every member, running or not. */
  get endpoints(): string[] {
    return this.members.map((m) => `${this.scheme}://127.0.0.1:${m.clientPort}`);
  }

  /** Prometheus metrics URL of every member (plain http), running or not. */
  get metricsUrls(): string[] {
    return this.members.map((m) => `http://127.0.0.1:${m.metricsPort}/metrics`);
  }

  private get scheme(): string {
    return this.tls ? 'https' : 'http';
  }

  get size(): number {
    return this.members.length;
  }

  /** Process ids of the running members (the benchmark reads their CPU time). */
  get pids(): number[] {
    return this.members.flatMap((m) => (m.process?.pid === undefined ? [] : [m.process.pid]));
  }

  /** kill -9 member `index`. */
  async kill(index: number): Promise<void> {
    const member = this.members[index]!;
    const child = member.process;
    if (!child) return;
    member.process = null;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    }
    live.delete(child);
  }

  /** Starts member `index` again on its data dir and waits until it answers healthy (with a leader). */
  async restart(index: number): Promise<void> {
    if (this.members[index]!.process) return;
    this.spawnMember(index);
    await this.waitHealthy([index]);
  }

  /** The index of the member that is leader now, asked of a running member (etcd's HTTP gateway, /v3/maintenance/status). */
  async leader(): Promise<number> {
    const ids: string[] = [];
    let leader: string | null = null;
    for (const member of this.members) {
      if (!member.process) {
        ids.push('');
        continue;
      }
      const status = (await fetch(`http://127.0.0.1:${member.clientPort}/v3/maintenance/status`, { method: 'POST', body: '{}' }).then((r) =>
        r.json(),
      )) as { header: { member_id: string }; leader: string };
      ids.push(status.header.member_id);
      leader ??= status.leader;
    }
    const index = ids.indexOf(leader ?? '-');
    if (index < 0) throw new Error(`no running member is the leader (${leader})`);
    return index;
  }

  async stop(): Promise<void> {
    for (let i = 0; i < this.members.length; i++) await this.kill(i);
    await rm(this.dir, { recursive: true, force: true });
  }

  private spawnMember(index: number): void {
    const member = this.members[index]!;
    const peers = this.members.map((m) => `${m.name}=http://127.0.0.1:${m.peerPort}`).join(',');
    const client = `${this.scheme}://127.0.0.1:${member.clientPort}`;
    const tls = this.tls
      ? [`--cert-file=${this.tls.certFile}`, `--key-file=${this.tls.keyFile}`, `--trusted-ca-file=${this.tls.caFile}`, '--client-cert-auth']
      : [];
    const peer = `http://127.0.0.1:${member.peerPort}`;
    const child = spawn(
      ETCD,
      [
        `--name=${member.name}`,
        `--data-dir=${member.dataDir}`,
        `--listen-client-urls=${client}`,
        `--advertise-client-urls=${client}`,
        `--listen-peer-urls=${peer}`,
        `--initial-advertise-peer-urls=${peer}`,
        `--initial-cluster=${peers}`,
        '--initial-cluster-state=new',
        `--initial-cluster-token=${path.basename(this.dir)}`,
        '--logger=zap',
        '--log-outputs=stderr',
        '--log-level=warn',
        `--listen-metrics-urls=http://127.0.0.1:${member.metricsPort}`,
        ...(this.quotaBackendBytes === null ? [] : [`--quota-backend-bytes=${this.quotaBackendBytes}`]),
        ...tls,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GOMAXPROCS: String(memberGoMaxProcs(this.size)) } },
    );
    member.log = '';
    child.stderr.on('data', (chunk: Buffer) => {
      member.log = (member.log + chunk.toString()).slice(-20_000);
    });
    member.process = child;
    live.add(child);
  }

  /** Polls /health of the given members (etcd answers {"health":"true"} once it has a leader). */
  private async waitHealthy(indexes: number[], timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const index of indexes) {
      const member = this.members[index]!;
      for (;;) {
        const child = member.process;
        if (child && child.exitCode !== null) throw new Error(`etcd ${member.name} exited (${child.exitCode}): ${member.log.slice(-2000)}`);
        const healthy = await fetch(`http://127.0.0.1:${member.metricsPort}/health`, { signal: AbortSignal.timeout(2000) })
          .then(async (r) => ((await r.json()) as { health?: string }).health === 'true')
          .catch(() => false);
        if (healthy) break;
        if (Date.now() > deadline) throw new Error(`etcd ${member.name} not healthy after ${timeoutMs} ms: ${member.log.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}
