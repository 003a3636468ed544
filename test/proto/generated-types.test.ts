// The build refuses generated types that no longer match the .proto (proto/gen-types.sh --check,
// run first by `npm run build`). Each case runs the real script on a copy of proto/ in a temp dir.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';

const repo = new URL('../..', import.meta.url).pathname;
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(protoRoot: string, ...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile('bash', [path.join(protoRoot, 'gen-types.sh'), ...args], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** A copy of proto/ (with its generated/ folder) beside a link to the shared node_modules. */
async function copyOfProto(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mooring-gen-types-'));
  dirs.push(dir);
  await cp(path.join(repo, 'proto'), path.join(dir, 'proto'), { recursive: true });
  await symlink(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'));
  return path.join(dir, 'proto');
}

it('passes on the tree as committed', async () => {
  const outcome = await run(path.join(repo, 'proto'), '--check');
  expect(outcome.stderr).toBe('');
  expect(outcome.code).toBe(0);
  expect(outcome.stdout).toContain('proto/generated/ matches');
});

it('fails naming the stale file when a .proto gains a field, and passes after proto:gen', async () => {
  const root = await copyOfProto();
  const machines = path.join(root, 'mooring/v1/machines.proto');
  const text = await readFile(machines, 'utf8');
  expect(text).toContain('message Machine {\n');
  await writeFile(machines, text.replace('message Machine {\n', 'message Machine {\n  string rack = 99;\n'));

  const stale = await run(root, '--check');
  expect(stale.code).toBe(1);
  expect(stale.stderr).toContain('proto/generated/mooring/v1/Machine.ts is stale');
  expect(stale.stderr).toContain('run npm run proto:gen');
  // Only the message that changed (and no other) is named.
  expect(stale.stderr).not.toContain('MachineRef.ts');

  const gen = await run(root);
  expect(gen.code).toBe(0);
  expect(await readFile(path.join(root, 'generated/mooring/v1/Machine.ts'), 'utf8')).toContain("'rack': (string);");
  expect((await run(root, '--check')).code).toBe(0);
});

it('fails naming a message the generated code lacks and a file no .proto produces', async () => {
  const root = await copyOfProto();
  const pools = path.join(root, 'mooring/v1/pools.proto');
  await writeFile(pools, (await readFile(pools, 'utf8')) + '\nmessage PoolQuota {\n  int64 bytes = 1;\n}\n');
  await unlink(path.join(root, 'generated/mooring/v1/PoolRef.ts'));
  await writeFile(path.join(root, 'generated/mooring/v1/Leftover.ts'), 'export interface Leftover {}\n');

  const outcome = await run(root, '--check');
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toContain('proto/generated/mooring/v1/PoolQuota.ts is missing');
  expect(outcome.stderr).toContain('proto/generated/mooring/v1/PoolRef.ts is missing');
  expect(outcome.stderr).toContain('proto/generated/mooring/v1/Leftover.ts is left over');
  expect(outcome.stderr).toContain('proto/generated/index.ts is stale');
});

it('fails naming the descriptor set alone when a change reaches only the descriptors, and passes after proto:gen', async () => {
  const root = await copyOfProto();
  const machines = path.join(root, 'mooring/v1/machines.proto');
  const text = await readFile(machines, 'utf8');
  expect(text).toContain('package mooring.v1;\n');
  // A file option: no TypeScript type changes, the FileDescriptorProto reflection serves does.
  await writeFile(machines, text.replace('package mooring.v1;\n', 'package mooring.v1;\noption java_package = "dev.mooring.v1";\n'));

  const stale = await run(root, '--check');
  expect(stale.code).toBe(1);
  expect(stale.stderr).toContain('proto/generated/descriptor-set.ts is stale');
  expect(stale.stderr.match(/ is stale/g)).toHaveLength(1);

  expect((await run(root)).code).toBe(0);
  expect((await run(root, '--check')).code).toBe(0);
  // The regenerated set holds the option as protoc encodes it (FileOptions.java_package = 1).
  const generated = await readFile(path.join(root, 'generated/descriptor-set.ts'), 'utf8');
  const base64 = [...generated.matchAll(/^ {2}'([A-Za-z0-9+/=]*)',$/gm)].map((m) => m[1]).join('');
  expect(Buffer.from(base64, 'base64').includes(Buffer.from('dev.mooring.v1'))).toBe(true);
});

it('says which protoc to install when there is none', async () => {
  const root = await copyOfProto();
  const outcome = await new Promise<Outcome>((resolve) => {
    execFile(
      'bash',
      [path.join(root, 'gen-types.sh'), '--check'],
      { env: { ...process.env, PROTOC: '/nonexistent/protoc' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
  expect(outcome.code).toBe(2);
  expect(outcome.stderr).toBe('gen-types: cannot run /nonexistent/protoc (npm run deps installs protobuf-compiler; or set PROTOC)\n');
});
