// `npm run package` builds the two Debian packages; this checks what they hold (dpkg-deb -c and
// -I), that they install with dpkg into an empty temporary root (maintainer scripts run with
// DPKG_ROOT, so nothing on this machine changes), that what they installed runs and verifies, and
// that they purge cleanly, and that lintian finds no error in them. nodejs, systemd and the C/C++
// runtime libraries are declared dependencies the empty root lacks: the install forces past
// exactly those and nothing else.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COORDINATOR_NODE_FLAGS, NODE_FLAGS_ENV, SHARED_HOST_NODE_FLAGS } from '../../coordinator/src/node-flags.js';
import { ROOT } from '../harness/cli.js';
import { startCoordinatorProcess } from '../harness/coordinator-process.js';
import { UNIT_DIR } from './unit-file.js';
import { addHostUnits, verifyUnits } from './systemd-root.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(
  file: string,
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    // LC_ALL=C: dpkg's messages are matched below, untranslated.
    const env = { ...(options.env ?? process.env), LC_ALL: 'C' };
    execFile(file, args, { cwd: options.cwd, env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

interface Entry {
  mode: string;
  owner: string;
  path: string;
}

const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const PACKAGES = ['mooring-agent', 'mooring-coordinator'] as const;
let out: string;
let root: string;
/** Each package unpacked (dpkg-deb -x) under OUT/extracted/PKG. */
let extracted: string;
let arch: string;
const debs: Record<string, string> = {};
const listings: Record<string, Entry[]> = {};
/** lintian over both packages, started as soon as they exist: it takes longest, and runs beside the other checks. */
let lintian: Promise<Run>;

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'mooring-debs-'));
  root = await mkdtemp(path.join(tmpdir(), 'mooring-dpkgroot-'));
  arch = (await run('dpkg', ['--print-architecture'])).stdout.trim();
  // --no-build: the test command built dist/ already, and other tests run from it meanwhile.
  const built = await run('npm', ['run', '--silent', 'package', '--', '--out', out, '--no-build'], { cwd: ROOT, timeoutMs: 600_000 });
  expect(built.code, built.stderr).toBe(0);
  for (const pkg of PACKAGES) {
    debs[pkg] = path.join(out, `${pkg}_${VERSION}-1_${arch}.deb`);
    expect(built.stdout).toContain(debs[pkg]);
  }
  // One run over both packages; --no-cfg: no user or site lintianrc changes the profile.
  lintian = run('lintian', ['--no-cfg', '--fail-on', 'none', debs['mooring-agent']!, debs['mooring-coordinator']!], {
    timeoutMs: 900_000,
  });
  for (const pkg of PACKAGES) {
    const listing = await run('dpkg-deb', ['-c', debs[pkg]!]);
    expect(listing.code).toBe(0);
    listings[pkg] = listing.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [mode, owner, , , , ...rest] = line.split(/\s+/);
        return { mode: mode!, owner: owner!, path: rest.join(' ').replace(/ -> .*$/, '') };
      });
  }
  extracted = path.join(out, 'extracted');
  for (const pkg of PACKAGES) {
    await mkdir(path.join(extracted, pkg), { recursive: true });
    expect((await run('dpkg-deb', ['-x', debs[pkg]!, path.join(extracted, pkg)])).code).toBe(0);
  }
}, 600_000);

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
  await rm(root, { recursive: true, force: true });
});

const paths = (pkg: string): string[] => listings[pkg]!.map((e) => e.path);
const entry = (pkg: string, p: string): Entry | undefined => listings[pkg]!.find((e) => e.path === p);
const field = async (pkg: string, name: string): Promise<string> => (await run('dpkg-deb', ['-f', debs[pkg]!, name])).stdout.trim();
const control = async (pkg: string, member: string): Promise<string> => (await run('dpkg-deb', ['-I', debs[pkg]!, member])).stdout;

describe('the packages as built', () => {
  it('carry the control fields dpkg needs', async () => {
    for (const pkg of PACKAGES) {
      expect(await field(pkg, 'Package')).toBe(pkg);
      expect(await field(pkg, 'Version')).toBe(`${VERSION}-1`);
      expect(await field(pkg, 'Architecture')).toBe(arch);
      expect(await field(pkg, 'Depends')).toMatch(/^nodejs \(>= 20\)(, |$)/);
      // dpkg-shlibdeps' reading of the native modules: glibc, and the C++ runtime they link.
      expect(await field(pkg, 'Depends')).toMatch(/, libc6 \(>= [\d.]+\)(, |$)/);
      expect(await field(pkg, 'Depends')).toMatch(/, libstdc\+\+6 \(>= [\d.]+\)(, |$)/);
      expect(await field(pkg, 'Maintainer')).toMatch(/^.+ <[^>]+@[^>]+>$/);
      expect(await field(pkg, 'Description')).toMatch(/^Mooring .+\n .+/);
      // Installed-Size (KiB) is what the files take, give or take block rounding.
      const files = listings[pkg]!.filter((e) => e.mode.startsWith('-')).length;
      expect(Number(await field(pkg, 'Installed-Size'))).toBeGreaterThan(files);
    }
  });

  it('hold the program, its .proto files and production modules, without tests, benchmarks or dev tools', () => {
    const agent = paths('mooring-agent');
    expect(agent).toEqual(
      expect.arrayContaining([
        './usr/bin/mooring-agent',
        './usr/lib/mooring-agent/package.json',
        './usr/lib/mooring-agent/dist/agent/src/main.js',
        './usr/lib/mooring-agent/dist/proto/loader.js',
        './usr/lib/mooring-agent/proto/mooring/v1/agent.proto',
        './usr/lib/mooring-agent/node_modules/lmdb/package.json',
        './lib/systemd/system/mooring-agent.service',
        './etc/mooring/agent.yaml',
      ]),
    );
    expect(agent.some((p) => p.includes('/dist/coordinator/'))).toBe(false);
    const coordinator = paths('mooring-coordinator');
    expect(coordinator.some((p) => p.includes('/dist/agent/'))).toBe(false);
    expect(coordinator).toEqual(
      expect.arrayContaining([
        './usr/bin/mooring-coordinator',
        './usr/bin/moorctl',
        './usr/lib/mooring-coordinator/dist/coordinator/src/main.js',
        './usr/lib/mooring-coordinator/dist/coordinator/src/cli/main.js',
        './usr/lib/mooring-coordinator/dist/proto/shared/sd-notify.js',
        './usr/lib/sysusers.d/mooring-coordinator.conf',
        './lib/systemd/system/mooring-coordinator.service',
        './etc/mooring/coordinator.yaml',
      ]),
    );
    for (const pkg of PACKAGES) {
      const all = paths(pkg);
      expect(
        all.filter((p) => /\/dist\/(test|bench)\/|\.test\.js$/.test(p) || (!p.includes('/node_modules/') && p.endsWith('.ts'))),
      ).toEqual([]);
      expect(
        all.filter((p) => /\/node_modules\/(vitest|typescript|eslint|@eslint|typescript-eslint|@types\/node-forge|\.bin)\//.test(p)),
      ).toEqual([]);
    }
  });

  it('ship only native binaries for this machine and C library, stripped, and no development files', async () => {
    // The platform is that of dpkg itself: its ELF machine and the libc it links.
    const readelf = async (file: string, flag: string): Promise<string> => (await run('readelf', [flag, '-W', file])).stdout;
    const machineOf = (header: string): string => /^\s*Machine:\s*(.+)$/m.exec(header)?.[1] ?? '';
    const needed = (dynamic: string): string[] => [...dynamic.matchAll(/\(NEEDED\).*\[(.+)\]/g)].map((m) => m[1]!);
    const dpkgPath = (await run('sh', ['-c', 'command -v dpkg'])).stdout.trim();
    const machine = machineOf(await readelf(dpkgPath, '-h'));
    const libc = needed(await readelf(dpkgPath, '-d')).find((n) => n.startsWith('libc.so'));
    expect(machine).not.toBe('');
    expect(libc).toBeDefined();
    for (const pkg of PACKAGES) {
      const natives = paths(pkg).filter((p) => p.endsWith('.node'));
      // lmdb (the store) at least; npm installs musl builds beside the glibc ones.
      expect(natives.some((p) => p.includes('/@lmdb/'))).toBe(true);
      expect(natives.filter((p) => p.includes('musl'))).toEqual([]);
      for (const p of natives) {
        const file = path.join(extracted, pkg, p);
        expect({ p, machine: machineOf(await readelf(file, '-h')) }).toEqual({ p, machine });
        expect({ p, needsLibc: needed(await readelf(file, '-d')).includes(libc!) }).toEqual({ p, needsLibc: true });
        // Stripped: no static symbol table or debug sections left; the dynamic symbols Node needs are.
        const sections = await readelf(file, '-S');
        expect({ p, symtab: /\s\.symtab\s/.test(sections), debug: /\s\.debug_/.test(sections) }).toEqual({
          p,
          symtab: false,
          debug: false,
        });
        expect(sections).toMatch(/\s\.dynsym\s/);
      }
      const modules = paths(pkg).filter((p) => p.includes('/node_modules/'));
      expect(
        modules.filter((p) => /\/\.[^/]+\/?$/.test(p) || /\.(map|d\.ts|sln|vcxproj)$/.test(p) || /\/(index\.html|README\.md)$/i.test(p)),
      ).toEqual([]);
      expect(modules.filter((p) => /\/LICEN[CS]E[^/]*$/i.test(p)).length).toBeGreaterThan(20); // licence texts stay
    }
  });

  it('carry a Debian changelog, a copyright file naming every bundled package, and manual pages', async () => {
    for (const pkg of PACKAGES) {
      const doc = path.join(extracted, pkg, 'usr/share/doc', pkg);
      const changelog = gunzipSync(await readFile(path.join(doc, 'changelog.Debian.gz'))).toString();
      expect(changelog).toMatch(new RegExp(`^mooring \\(${VERSION.replace(/\./g, '\\.')}-1\\) \\S+; urgency=\\w+\n`));
      expect(changelog).toMatch(/\n -- .+ <[^>]+> {2}\w{3}, \d{2} \w{3} \d{4} [\d:]{8} [+-]\d{4}\n/);
      const copyright = await readFile(path.join(doc, 'copyright'), 'utf8');
      expect(copyright).toMatch(/^Format: https:\/\/www\.debian\.org\/doc\/packaging-manuals\/copyright-format\/1\.0\/\n/);
      expect(copyright).toContain('Files: *\nCopyright: Mooring developers\nLicense: Apache-2.0\n');
      const bundled = new Set(
        paths(pkg)
          .map((p) => /^\.\/(usr\/lib\/[^/]+(?:\/node_modules\/(?:@[^/]+\/)?[^/]+)+)\/package\.json$/.exec(p)?.[1])
          .filter((dir) => dir !== undefined),
      );
      expect(bundled.size).toBeGreaterThan(50);
      for (const dir of bundled) expect(copyright).toContain(`Files: ${dir}/*\nCopyright: `);
      const lmdb = `usr/lib/${pkg}/node_modules/lmdb`;
      expect(copyright).toContain(`\nFiles: ${lmdb}/*\nCopyright: `);
      expect(copyright).toContain(`\nLicense: MIT\n The full text is in /${lmdb}/LICENSE.\nComment: lmdb `);
      expect(copyright).toMatch(/\nCopyright: Copyright \(c\) \d{4}/); // notices are taken from the licence texts
    }
    const page = async (pkg: string, command: string): Promise<string> =>
      gunzipSync(await readFile(path.join(extracted, pkg, 'usr/share/man/man1', `${command}.1.gz`))).toString();
    expect(await page('mooring-agent', 'mooring-agent')).toMatch(/^\.TH MOORING-AGENT 1 [\s\S]*\n\.SS run\n[\s\S]*--status-listen/);
    expect(await page('mooring-coordinator', 'mooring-coordinator')).toMatch(/^\.TH MOORING-COORDINATOR 1 [\s\S]*--data-dir/);
    expect(await page('mooring-coordinator', 'moorctl')).toMatch(/^\.TH MOORCTL 1 [\s\S]*\n\.SS machine\n[\s\S]*enlist/);
  });

  it('are owned by root, with no setuid, no group- or world-writable file, and 0755 commands', () => {
    for (const pkg of PACKAGES) {
      const entries = listings[pkg]!;
      expect(entries.filter((e) => e.owner !== 'root/root')).toEqual([]);
      expect(entries.filter((e) => e.mode.startsWith('l'))).toEqual([]);
      expect(entries.filter((e) => /[sStT]/.test(e.mode) || e.mode[5] === 'w' || e.mode[8] === 'w')).toEqual([]);
      for (const e of entries.filter((x) => x.path.startsWith('./usr/bin/') && x.mode.startsWith('-'))) expect(e.mode).toBe('-rwxr-xr-x');
      // Under /usr/lib a file is 0644, or 0755 when it is a script (starts with #!).
      const scripts = entries
        .filter((x) => x.path.startsWith('./usr/lib/') && x.mode.startsWith('-'))
        .map((x) => ({
          ...x,
          script:
            readFileSync(path.join(extracted, pkg, x.path))
              .subarray(0, 2)
              .toString() === '#!',
        }));
      expect(scripts.filter((e) => e.mode !== (e.script ? '-rwxr-xr-x' : '-rw-r--r--'))).toEqual([]);
      expect(entry(pkg, `./usr/lib/${pkg}/dist/${pkg === 'mooring-agent' ? 'agent' : 'coordinator'}/src/main.js`)?.mode).toBe('-rwxr-xr-x');
    }
    // The agent's config may come to hold its enrollment token.
    expect(entry('mooring-agent', './etc/mooring/agent.yaml')?.mode).toBe('-rw-------');
    expect(entry('mooring-coordinator', './etc/mooring/coordinator.yaml')?.mode).toBe('-rw-r--r--');
  });

  it('mark the example configs as conffiles and list an md5sum for every file', async () => {
    expect(await control('mooring-agent', 'conffiles')).toBe('/etc/mooring/agent.yaml\n');
    expect(await control('mooring-coordinator', 'conffiles')).toBe('/etc/mooring/coordinator.yaml\n');
    for (const pkg of PACKAGES) {
      const sums = (await control(pkg, 'md5sums')).split('\n').filter(Boolean);
      const files = listings[pkg]!.filter((e) => e.mode.startsWith('-')).map((e) => e.path.slice(2));
      expect(sums.map((l) => l.slice(34)).sort()).toEqual(files.sort());
      expect(sums.every((l) => /^[0-9a-f]{32} {2}\S/.test(l))).toBe(true);
    }
  });
});

describe('installed into an empty root', () => {
  let install: Run;
  const dpkg = (...args: string[]): Promise<Run> =>
    run('dpkg', [`--root=${root}`, '--force-script-chrootless', '--log=/dev/null', ...args]);

  beforeAll(async () => {
    for (const d of ['var/lib/dpkg/info', 'var/lib/dpkg/updates', 'var/lib/dpkg/triggers', 'etc'])
      await mkdir(path.join(root, d), { recursive: true });
    await writeFile(path.join(root, 'var/lib/dpkg/status'), '');
    install = await dpkg('--force-depends', '-i', debs['mooring-agent']!, debs['mooring-coordinator']!);
  }, 300_000);

  it('installs with no complaint but the dependencies the empty root lacks', () => {
    expect(install.code, install.stderr).toBe(0);
    for (const pkg of PACKAGES) expect(install.stdout).toContain(`Setting up ${pkg} (${VERSION}-1)`);
    const allowed = [
      /^dpkg: mooring-(agent|coordinator): dependency problems, but configuring anyway as you requested:$/,
      /^ mooring-(agent|coordinator) depends on (nodejs \(>= 20\)|systemd|(libc6|libgcc-s1|libstdc\+\+6) \(>= [\d.]+\)); however:$/,
      /^ {2}Package (nodejs|systemd|libc6|libgcc-s1|libstdc\+\+6) is not installed\.$/,
      /^Creating (group|user) 'mooring'/,
    ];
    expect(install.stderr.split('\n').filter((l) => l.trim() && !allowed.some((re) => re.test(l)))).toEqual([]);
  });

  it('creates the mooring system user and the data dirs with their modes', async () => {
    const user = readFileSync(path.join(root, 'etc/passwd'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('mooring:'))!
      .split(':');
    expect(user[5]).toBe('/var/lib/mooring/coordinator');
    expect(user[6]).toBe('/usr/sbin/nologin');
    const [uid, gid] = [Number(user[2]), Number(user[3])];
    expect(uid).toBeGreaterThan(0);
    expect(uid).toBeLessThan(1000); // a system user
    const mode = async (p: string): Promise<[string, number, number]> => {
      const s = await stat(path.join(root, p));
      return [(s.mode & 0o7777).toString(8), s.uid, s.gid];
    };
    expect(await mode('var/lib/mooring')).toEqual(['750', 0, gid]);
    expect(await mode('var/lib/mooring/agent')).toEqual(['700', 0, 0]);
    expect(await mode('var/lib/mooring/coordinator')).toEqual(['700', uid, gid]);
  });

  it('enables the coordinator, leaves the agent for the operator to enable, and verifies clean', async () => {
    const wants = path.join(root, 'etc/systemd/system/multi-user.target.wants');
    expect((await lstat(path.join(wants, 'mooring-coordinator.service'))).isSymbolicLink()).toBe(true);
    expect(existsSync(path.join(wants, 'mooring-agent.service'))).toBe(false);
    expect((await dpkg('--verify')).stdout).toBe('');
    for (const pkg of PACKAGES) {
      expect(await readFile(path.join(root, 'lib/systemd/system', `${pkg}.service`), 'utf8')).toBe(
        await readFile(path.join(UNIT_DIR, `${pkg}.service`), 'utf8'),
      );
    }
    await addHostUnits(root);
    expect(
      await verifyUnits(
        root,
        PACKAGES.map((p) => `${p}.service`),
      ),
    ).toEqual({ code: 0, output: '' });
  });

  it('runs: the wrappers exec Debian node on the installed trees, and the coordinator starts and stops', async () => {
    expect(await readFile(path.join(root, 'usr/bin/moorctl'), 'utf8')).toBe(
      '#!/bin/sh\nexec /usr/bin/node /usr/lib/mooring-coordinator/dist/coordinator/src/cli/main.js "$@"\n',
    );
    // The daemon with its V8 flags (coordinator/src/node-flags.ts), then the operator's.
    const daemonWrapper = await readFile(path.join(root, 'usr/bin/mooring-coordinator'), 'utf8');
    const daemonFlags = [...COORDINATOR_NODE_FLAGS, `$${NODE_FLAGS_ENV}`].join(' ');
    expect(daemonWrapper).toBe(
      `#!/bin/sh\nexec /usr/bin/node ${daemonFlags} /usr/lib/mooring-coordinator/dist/coordinator/src/main.js "$@"\n`,
    );
    const lib = (pkg: string, entryPoint: string): string => path.join(root, 'usr/lib', pkg, entryPoint);
    // The wrapper as installed under root: node takes each flag of MOORING_NODE_FLAGS (a flag it
    // does not know stops it), and none when it is unset.
    const wrapperHere = path.join(out, 'mooring-coordinator-wrapper');
    await writeFile(wrapperHere, daemonWrapper.replace('/usr/lib/', `${root}/usr/lib/`), { mode: 0o755 });
    const help = async (flags: string | undefined): Promise<{ code: number; text: string }> => {
      const env: NodeJS.ProcessEnv = { ...process.env };
      if (flags === undefined) delete env[NODE_FLAGS_ENV];
      else env[NODE_FLAGS_ENV] = flags;
      const r = await run('/bin/sh', [wrapperHere, '--help'], { env });
      return { code: r.code, text: (r.code === 0 ? r.stdout.split('\n')[0]! : r.stderr).trim() };
    };
    const usage = { code: 0, text: 'Usage: mooring-coordinator [options] [command]' };
    expect(await help(undefined)).toEqual(usage);
    expect(await help(SHARED_HOST_NODE_FLAGS.join(' '))).toEqual(usage);
    const refused = await help(`${SHARED_HOST_NODE_FLAGS.join(' ')} --no-such-v8-flag`);
    expect(refused.code).not.toBe(0);
    expect(refused.text).toContain('--no-such-v8-flag');
    expect((await run(process.execPath, [lib('mooring-agent', 'dist/agent/src/main.js'), '--version'])).stdout.trim()).toBe(VERSION);
    expect((await run(process.execPath, [lib('mooring-coordinator', 'dist/coordinator/src/cli/main.js'), '--help'])).stdout).toMatch(
      /^Usage: moorctl/,
    );
    // The installed coordinator (its own node_modules, native lmdb included) starts, listens and stops.
    const coordinator = await startCoordinatorProcess(path.join(out, 'coordinator-data'), {
      main: lib('mooring-coordinator', 'dist/coordinator/src/main.js'),
      logLevel: 'warn',
    });
    expect(coordinator.port).toBeGreaterThan(0);
    expect(await coordinator.kill('SIGTERM')).toBe(0);
  });

  it('reinstalls over itself keeping an edited conffile, the user and the data', async () => {
    const config = path.join(root, 'etc/mooring/agent.yaml');
    await writeFile(config, 'coordinator: coordinator.example.net:7443\n');
    await writeFile(path.join(root, 'var/lib/mooring/coordinator/marker'), 'kept');
    const passwd = await readFile(path.join(root, 'etc/passwd'), 'utf8');
    const again = await dpkg('--force-depends', '-i', debs['mooring-agent']!, debs['mooring-coordinator']!);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/conffile|Creating/);
    expect(await readFile(config, 'utf8')).toBe('coordinator: coordinator.example.net:7443\n');
    expect(await readFile(path.join(root, 'etc/passwd'), 'utf8')).toBe(passwd);
    expect(await readFile(path.join(root, 'var/lib/mooring/coordinator/marker'), 'utf8')).toBe('kept');
  });

  it('purges cleanly, keeping the data under /var/lib/mooring', async () => {
    const purge = await dpkg('--purge', 'mooring-agent', 'mooring-coordinator');
    expect(purge.code, purge.stderr).toBe(0);
    expect(existsSync(path.join(root, 'usr/lib/mooring-agent'))).toBe(false);
    expect(existsSync(path.join(root, 'usr/lib/mooring-coordinator'))).toBe(false);
    expect(existsSync(path.join(root, 'etc/mooring/agent.yaml'))).toBe(false);
    expect(existsSync(path.join(root, 'etc/systemd/system/multi-user.target.wants/mooring-coordinator.service'))).toBe(false);
    expect((await readdir(path.join(root, 'var/lib/mooring'))).sort()).toEqual(['agent', 'coordinator']);
    expect(await readdir(path.join(root, 'var/lib/mooring/coordinator'))).toEqual(['marker']);
  });
});

describe('no secrets', () => {
  it('ships no key, certificate or token file and no PEM block', async () => {
    for (const pkg of PACKAGES) {
      expect(paths(pkg).filter((p) => /\.(key|pem|crt|p12|pfx|token)$|\/admin\.token$/.test(p))).toEqual([]);
      const dest = path.join(extracted, pkg);
      const pemFiles = await run('grep', ['-rlE', '-e', '-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----$', dest]);
      expect(pemFiles.stdout).toBe('');
    }
  });
});

// Last: lintian (started in the first beforeAll) works while the checks above run.
describe('lintian', () => {
  // Warnings lintian still gives, each for a reason (the README lists them):
  const EXPECTED_WARNINGS = new Map([
    // The packages are not uploaded to Debian, so there is no ITP bug for the first entry to close.
    ['initial-upload-closes-no-bugs', /^\[usr\/share\/doc\/mooring-(agent|coordinator)\/changelog\.Debian\.gz:1\]$/],
    // The agent's config may come to hold its enrollment token: root-only on purpose.
    ['non-standard-file-perm', /^0600 != 0644 \[etc\/mooring\/agent\.yaml\]$/],
  ]);
  let report: Run;

  beforeAll(async () => {
    report = await lintian;
  }, 900_000);

  it('reports no error, and no warning but the justified ones', () => {
    expect(report.code, report.stderr).toBe(0);
    const tags = report.stdout
      .split('\n')
      .map((line) => /^([EWIPXCON]): (mooring-(?:agent|coordinator))(?: \w+)?: (\S+)(?: (.*))?$/.exec(line))
      .filter((m) => m !== null)
      .map(([, level, pkg, tag, detail]) => ({ level, pkg, tag, detail: detail ?? '' }));
    expect(tags.filter((t) => t.level === 'E')).toEqual([]);
    expect(tags.filter((t) => t.level === 'W' && !EXPECTED_WARNINGS.get(t.tag!)?.test(t.detail))).toEqual([]);
    // The report is read: lintian did examine both packages (its expected warnings are there).
    for (const pkg of PACKAGES) expect(tags.some((t) => t.pkg === pkg && t.tag === 'initial-upload-closes-no-bugs')).toBe(true);
  });
});
