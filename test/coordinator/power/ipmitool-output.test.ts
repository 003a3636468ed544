// Pure tests of the ipmi driver's boundary: BMC addresses, ipmitool command lines, and the reading
// of ipmitool's stderr into failure kinds (texts as ipmitool 1.8.19 prints them, seen against
// ipmi_sim and taken from lib/ipmi_chassis.c and plugins/lanplus/lanplus.c).
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../coordinator/src/domain-error.js';
import { formatBmcAddress, parseBmcAddress } from '../../../coordinator/src/power/ipmi/bmc-address.js';
import { bootDeviceArgs, parsePowerStatus, sessionArgs } from '../../../coordinator/src/power/ipmi/ipmitool-args.js';
import { classifyIpmitoolFailure } from '../../../coordinator/src/power/ipmi/ipmitool-failure.js';

const VERBOSE_PREAMBLE = [
  'Loading IANA PEN Registry...',
  'Running Get VSO Capabilities my_addr 0x20, transit 0, target 0x20',
  'Invalid completion code received: Invalid command',
  'Discovered IPMB address 0x0',
].join('\n');

describe('BMC address', () => {
  it('parses host[:port] with 623 by default, and bracketed IPv6', () => {
    expect(parseBmcAddress('10.0.0.5')).toEqual({ host: '10.0.0.5', port: 623 });
    expect(parseBmcAddress('bmc-7.lab:6230')).toEqual({ host: 'bmc-7.lab', port: 6230 });
    expect(parseBmcAddress('fd00::5')).toEqual({ host: 'fd00::5', port: 623 });
    expect(parseBmcAddress('[fd00::5]:6230')).toEqual({ host: 'fd00::5', port: 6230 });
    expect(formatBmcAddress({ host: 'fd00::5', port: 623 })).toBe('[fd00::5]:623');
  });

  it('refuses an empty address or a bad port, naming the field', () => {
    for (const bad of ['', 'host:0', 'host:70000', 'host:x']) {
      const error = (() => {
        try {
          parseBmcAddress(bad);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).field).toBe('power.address');
    }
  });
});

describe('ipmitool command lines', () => {
  it('puts no password in the session arguments: -E reads it from the environment', () => {
    const args = sessionArgs({ bmc: { host: '10.0.0.5', port: 623 }, user: 'admin', cipherSuite: 3, bmcTimeoutSec: 2, bmcRetries: 1 });
    expect(args).toEqual(['-I', 'lanplus', '-H', '10.0.0.5', '-p', '623', '-U', 'admin', '-E', '-C', '3', '-N', '2', '-R', '1', '-v']);
    expect(args).not.toContain('-P');
  });

  it('sets the EFI flag for UEFI machines and persistent only when asked', () => {
    expect(bootDeviceArgs({ device: 'bios', persistent: false, mode: 'legacy' })).toEqual(['chassis', 'bootdev', 'bios']);
    expect(bootDeviceArgs({ device: 'bios', persistent: false, mode: 'uefi' })).toEqual(['chassis', 'bootdev', 'bios', 'options=efiboot']);
    expect(bootDeviceArgs({ device: 'pxe', persistent: true, mode: 'uefi' })).toEqual([
      'chassis',
      'bootdev',
      'pxe',
      'options=persistent,efiboot',
    ]);
    expect(bootDeviceArgs({ device: 'disk', persistent: true, mode: 'legacy' })).toEqual([
      'chassis',
      'bootdev',
      'disk',
      'options=persistent',
    ]);
  });

  it('reads the power state from chassis power status', () => {
    expect(parsePowerStatus('Chassis Power is on\n')).toBe('on');
    expect(parsePowerStatus('Chassis Power is off\n')).toBe('off');
    expect(parsePowerStatus('Chassis Power Control: Up/On\n')).toBeNull();
  });
});

describe('ipmitool failures', () => {
  it('a wrong password is an auth failure', () => {
    const stderr = `Loading IANA PEN Registry...\n> RAKP 2 HMAC is invalid\nError: Unable to establish IPMI v2 / RMCP+ session\n`;
    expect(classifyIpmitoolFailure(stderr)).toMatchObject({ type: 'auth', problem: expect.stringContaining('password') });
  });

  it('an unknown user is an auth failure; no free session slot is transient', () => {
    const unknown = 'RAKP 2 message indicates an error : unauthorized name\nError: Unable to establish IPMI v2 / RMCP+ session\n';
    expect(classifyIpmitoolFailure(unknown)).toEqual({ type: 'auth', problem: 'unauthorized name' });
    const busy =
      'Error in open session response message : insufficient resources to create a session\nError: Unable to establish IPMI v2 / ' +
      'RMCP+ session\n';
    expect(classifyIpmitoolFailure(busy)).toMatchObject({ type: 'transient', commandMayHaveRun: false });
  });

  it('a cipher suite the BMC does not do refuses the session', () => {
    const stderr =
      'Error in open session response message : invalid authentication algorithm\n\nError: Unable to establish IPMI v2 / RMCP+ session\n';
    expect(classifyIpmitoolFailure(stderr)).toEqual({ type: 'session-refused', problem: 'invalid authentication algorithm' });
  });

  it('no answer during session setup is transient and the command was not sent', () => {
    const stderr =
      'Loading IANA PEN Registry...\nGet Auth Capabilities error\nError issuing Get Channel Authentication Capabilities request\n' +
      'Error: Unable to establish IPMI v2 / RMCP+ session\n';
    expect(classifyIpmitoolFailure(stderr)).toMatchObject({ type: 'transient', commandMayHaveRun: false });
  });

  it('an error completion code carries its text and code, past the -v probe noise', () => {
    const raw =
      `${VERBOSE_PREAMBLE}\nRAW REQ (channel=0x0 netfn=0x0 lun=0x0 cmd=0x9 data_len=3)\nUnable to send RAW command ` +
      `(channel=0x0 netfn=0x0 lun=0x0 cmd=0x9 rsp=0xcc): Invalid data field in request\n`;
    expect(classifyIpmitoolFailure(raw)).toEqual({ type: 'completion', completionCode: 0xcc, completion: 'Invalid data field in request' });
    const named = `${VERBOSE_PREAMBLE}\nSet Chassis Power Control to Cycle failed: Command not supported in present state\n`;
    expect(classifyIpmitoolFailure(named)).toEqual({
      type: 'completion',
      completionCode: 0xd5,
      completion: 'Command not supported in present state',
    });
  });

  it('a busy BMC is transient (not run); a BMC timeout is transient but may have run', () => {
    expect(classifyIpmitoolFailure('Set Chassis Power Control to Up/On failed: Node busy\n')).toMatchObject({
      type: 'transient',
      commandMayHaveRun: false,
    });
    expect(classifyIpmitoolFailure('Set Chassis Power Control to Cycle failed: Timeout\n')).toMatchObject({
      type: 'transient',
      commandMayHaveRun: true,
    });
  });

  it('too little privilege is an auth failure', () => {
    const stderr = 'Set Chassis Power Control to Up/On failed: Insufficient privilege level\n';
    expect(classifyIpmitoolFailure(stderr)).toMatchObject({ type: 'auth' });
  });

  it('no response to a command inside a session is transient and may have run', () => {
    expect(classifyIpmitoolFailure(`${VERBOSE_PREAMBLE}\nUnable to set Chassis Power Control to Cycle\n`)).toMatchObject({
      type: 'transient',
      commandMayHaveRun: true,
    });
  });
});
