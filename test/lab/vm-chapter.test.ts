// The lab's VM chapter without its multi-minute boot (test/vm/image-deploy.test.ts proves the flow
// on the same world): the built lab names --no-vm in its --help and loads with the chapter wired in,
// and the chapter's steps are the deploy's and the pings', in order.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../harness/cli.js';

const LAB_MAIN = path.join(ROOT, 'dist', 'test', 'lab', 'main.js');
const run = promisify(execFile);

describe('the lab VM chapter', () => {
  it('--help names --no-vm, from the built lab with the chapter imported', async () => {
    const { stdout } = await run(process.execPath, [LAB_MAIN, '--help']);
    expect(stdout).toMatch(/^usage: npm run lab \[-- --once\] \[--no-vm\]$/m);
    expect(stdout).toMatch(/^ {2}--no-vm {2}leave out the VM chapter \(three QEMU VMs deployed with a real image/m);
  });

  it('refuses an unknown flag naming it, with the usage', async () => {
    const failed = await run(process.execPath, [LAB_MAIN, '--no-vms']).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toMatch(/--no-vms/);
    expect((failed as { stderr: string }).stderr).toMatch(/--no-vm {2}leave out the VM chapter/);
  });

  it('the built chapter holds the deploy in order: boot, deploy, serial-console check, pings, release', async () => {
    const built = (await import(path.join(ROOT, 'dist', 'test', 'lab', 'vm-chapter.js'))) as typeof import('./vm-chapter.js');
    expect(built.VM_CHAPTER.map((s) => s.title)).toEqual([
      expect.stringMatching(/^Boot three machines as QEMU VMs, each behind a netdev smartNIC of its own, the smartNICs joined by Geneve/),
      `Deploy the test image to ${built.VM_HOSTNAME} and vm-web2 (carol's network) and vm-db1 (dave's) side by side`,
      'Check the deployed systems on their serial consoles',
      `Ping from inside: ${built.VM_HOSTNAME} and vm-web2 reach each other, carol's and dave's machines do not`,
      `Release ${built.VM_HOSTNAME}: the ramdisk erases its disk before READY`,
    ]);
  });

  it("leaves the boot service's one-time token out of the console lines it prints", async () => {
    const { redacted } = (await import(path.join(ROOT, 'dist', 'test', 'lab', 'vm-chapter.js'))) as typeof import('./vm-chapter.js');
    const line = 'mooring-test-image: phoned home to http://198.18.21.1:35907/boot/v1/phone-home/RSqBXgCN63tL7z-PLpvX_G7xf';
    expect(redacted(line)).toBe('mooring-test-image: phoned home to http://198.18.21.1:35907/boot/v1/phone-home/<token>');
    expect(redacted('mooring-test-image: hostname=vm-web1')).toBe('mooring-test-image: hostname=vm-web1');
  });
});
