// An OVN logical switch that netboots QEMU machines (test/harness/qemu-machine.ts): a subnet from
// 198.18.0.0/15 (RFC 2544's benchmarking range, never routed), OVN's own IPAM handing each machine
// port an address from it (Logical_Switch other_config:subnet, ports "MAC dynamic"), and a
// DHCP_Options row that ovn-controller answers itself on the smartNIC: address, router, lease time,
// and the boot file (ovn-nb(5), OVN 23.03: `bootfile_name` goes to clients that send option 175, as
// iPXE does; `bootfile_name_alt` to the others).
// The host reaches the switch through a veth pair: one end a port of the smartNIC's OVS bound to
// the switch's `host` Logical_Switch_Port (a static address, .2), the other end in the host's
// namespace with that address, where a test's HTTP server (or later the boot service) listens.
// A localnet port would need a provider bridge and a physical network; an OVS internal port would
// live in the smartNIC's namespace, out of the test process's reach.
import { execFile } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { promisify } from 'node:util';
import type { OvnCentral } from './ovn.js';
import { waitFor } from './ovs.js';
import type { HostLink, NetdevSmartNic } from './ovs-netdev-smartnic.js';

const run = promisify(execFile);

export class BootNetwork {
  private constructor(
    private readonly central: OvnCentral,
    readonly name: string,
    /** e.g. 198.18.42 (the /24's first three octets). */
    readonly prefix: string,
    readonly dhcpOptions: string,
    /** The host's interface on this switch (none when created with hostLink false). */
    readonly host: HostLink | null,
    /** The options every answer carries (dhcp-options-set-options replaces them all). */
    private readonly baseOptions: readonly string[],
  ) {}

  /**
   * Creates the logical switch `name` with DHCP options and, unless `options.hostLink` is false, a
   * host port wired to `smartNic`. `options.prefix` reuses another switch's /24 (two tenants with
   * the same addresses: only the switch keeps them apart); `options.firstMachine` is the lowest last
   * octet OVN hands out (default 10).
   */
  static async create(
    central: OvnCentral,
    smartNic: NetdevSmartNic,
    name: string,
    options: { prefix?: string; firstMachine?: number; hostLink?: boolean } = {},
  ): Promise<BootNetwork> {
    const prefix = options.prefix ?? (await unusedPrefix());
    const cidr = `${prefix}.0/24`;
    const hostMac = randomMac();
    const hostLsp = `${name}-host`;
    const withHost = options.hostLink ?? true;
    await central.nbctl(
      'ls-add',
      name,
      '--',
      'set',
      'Logical_Switch',
      name,
      `other_config:subnet=${cidr}`,
      // .1 is the router OVN names, .2 the host; machines get .10 (or firstMachine) and up.
      `other_config:exclude_ips="${prefix}.1..${prefix}.${(options.firstMachine ?? 10) - 1}"`,
      ...(withHost ? ['--', 'lsp-add', name, hostLsp, '--', 'lsp-set-addresses', hostLsp, `${hostMac} ${prefix}.2`] : []),
    );
    // `create` prints the new row's UUID (dhcp-options-create prints nothing).
    const dhcpOptions = await central.nbctl('create', 'DHCP_Options', `cidr=${cidr}`);
    const baseOptions = [`server_id=${prefix}.1`, `server_mac=${randomMac()}`, `router=${prefix}.1`, 'lease_time=3600'];
    await central.nbctl('dhcp-options-set-options', dhcpOptions, ...baseOptions);
    const host = withHost ? await smartNic.addHostLink(hostLsp, hostMac, `${prefix}.2`, 24) : null;
    return new BootNetwork(central, name, prefix, dhcpOptions, host, baseOptions);
  }

  get cidr(): string {
    return `${this.prefix}.0/24`;
  }

  /** Sets the boot file URLs the DHCP answers carry (OVN's string options are quoted). */
  async setBootfile(ipxe: string, others: string): Promise<void> {
    await this.central.nbctl(
      'dhcp-options-set-options',
      this.dhcpOptions,
      ...this.baseOptions,
      `bootfile_name=${JSON.stringify(ipxe)}`,
      `bootfile_name_alt=${JSON.stringify(others)}`,
    );
  }

  /** A machine port on this switch: OVN picks its address from the subnet and answers its DHCP. */
  async addMachinePort(lsp: string, mac: string): Promise<void> {
    await this.central.nbctl('lsp-add', this.name, lsp, '--', 'lsp-set-addresses', lsp, `${mac} dynamic`);
    await this.central.nbctl('lsp-set-dhcpv4-options', lsp, this.dhcpOptions);
  }

  /** The address OVN's IPAM gave `lsp` (its dynamic_addresses), once northd has set it. */
  async addressOf(lsp: string): Promise<string> {
    let address = '';
    await waitFor(
      async () => {
        const dynamic = await this.central.nbctl('--bare', 'get', 'Logical_Switch_Port', lsp, 'dynamic_addresses');
        address = dynamic.replace(/"/g, '').split(' ')[1] ?? '';
        return address !== '';
      },
      10_000,
      `OVN to give ${lsp} an address`,
    );
    return address;
  }
}

/** A 198.18.N or 198.19.N /24 no interface of this host has an address in (tests run side by side). */
export async function unusedPrefix(): Promise<string> {
  const { stdout } = await run('ip', ['-4', '-o', 'addr', 'show']);
  for (let attempt = 0; attempt < 64; attempt++) {
    const prefix = `198.${18 + randomInt(2)}.${randomInt(256)}`;
    if (!stdout.includes(` ${prefix}.`)) return prefix;
  }
  throw new Error('no free /24 left in 198.18.0.0/15 on this host');
}

/** A locally administered unicast MAC. */
export function randomMac(): string {
  const bytes = randomBytes(6);
  bytes[0] = (bytes[0]! & 0xfe) | 0x02;
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
}
