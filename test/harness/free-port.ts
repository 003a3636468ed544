// A TCP port free now, for a daemon a test starts on a fixed port (an etcd member, LXD's HTTPS
// listener, the boot service kept across a coordinator restart, an agent's status endpoint).
// Chosen below the kernel's ephemeral range (net.ipv4.ip_local_port_range): a port from that range,
// freed again, can be taken as the local port of any outgoing connection (the test's own gRPC and
// OVSDB clients, etcd's peers) before the daemon listens on it, and the daemon then fails with
// EADDRINUSE (a fresh-clone `npm run lab` did). Below the range only another listener takes it.
import { readFileSync } from 'node:fs';
import net from 'node:net';

/** The first port of the kernel's ephemeral range. */
function ephemeralLow(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

/** A TCP port on `address` (default 127.0.0.1) that nothing listened on a moment ago, below the ephemeral range. */
export async function freePort(address = '127.0.0.1'): Promise<number> {
  const low = ephemeralLow();
  const from = Math.max(1024, Math.min(20_000, low - 1000));
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = from + Math.floor(Math.random() * (low - from));
    if (await listenable(port, address)) return port;
  }
  throw new Error(`no free TCP port on ${address} from ${from} to ${low - 1} after 100 tries`);
}

function listenable(port: number, address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, address, () => server.close(() => resolve(true)));
  });
}
