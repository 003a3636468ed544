// Pure parsing for the redfish driver: the power address and Redfish error bodies.
import { describe, expect, it } from 'vitest';
import { RedfishAddressError } from '../../../coordinator/src/power/errors.js';
import { parseBmcAddress } from '../../../coordinator/src/power/redfish/redfish-address.js';
import { parseRedfishError } from '../../../coordinator/src/power/redfish/redfish-error-body.js';

describe('redfish power address', () => {
  it.each([
    ['https://10.0.0.5', 'https://10.0.0.5', null],
    ['https://10.0.0.5/', 'https://10.0.0.5', null],
    ['10.0.0.5', 'https://10.0.0.5', null],
    ['bmc.example:8443', 'https://bmc.example:8443', null],
    ['http://127.0.0.1:8000', 'http://127.0.0.1:8000', null],
    ['https://bmc/redfish/v1/Systems/1', 'https://bmc', '/redfish/v1/Systems/1'],
    ['https://[fd00::5]/redfish/v1/Systems/System.Embedded.1/', 'https://[fd00::5]', '/redfish/v1/Systems/System.Embedded.1'],
  ])('%s', (address, origin, systemPath) => {
    expect(parseBmcAddress(address)).toEqual({ origin, systemPath });
  });

  it.each([
    ['', /empty/],
    ['ftp://bmc', /scheme ftp: is not http or https/],
    ['https://root:calvin@bmc', /credentials do not belong in the URL/],
    ['https://bmc/redfish/v1', /is not \/redfish\/v1\/Systems\/<id>/],
    ['https://bmc/redfish/v1/Systems/1/Bios', /is not \/redfish\/v1\/Systems\/<id>/],
    ['https://bmc?x=1', /no query/],
  ])('refuses %j', (address, problem) => {
    expect(() => parseBmcAddress(address)).toThrow(RedfishAddressError);
    expect(() => parseBmcAddress(address)).toThrow(problem);
  });

  it('does not echo credentials', () => {
    expect(() => parseBmcAddress('https://root:calvin@bmc')).toThrow('power.address "https://bmc/": credentials do not belong');
    expect(() => parseBmcAddress('https://root:calvin@bmc')).not.toThrow(/calvin/);
  });
});

describe('redfish error body', () => {
  it('takes the @Message.ExtendedInfo messages', () => {
    const body = JSON.stringify({
      error: {
        code: 'Base.1.8.GeneralError',
        message: 'A general error has occurred.',
        '@Message.ExtendedInfo': [
          {
            MessageId: 'Base.1.8.PropertyValueNotInList',
            Message: 'The value "X" for the property BootSourceOverrideTarget is not in the list of acceptable values.',
          },
          { MessageId: 'Base.1.8.PropertyUnknown' },
        ],
      },
    });
    expect(parseRedfishError(body)).toEqual({
      code: 'Base.1.8.GeneralError',
      messages: [
        'The value "X" for the property BootSourceOverrideTarget is not in the list of acceptable values.',
        'Base.1.8.PropertyUnknown',
      ],
    });
  });

  it('falls back to error.message, and to nothing for non-JSON', () => {
    expect(parseRedfishError(JSON.stringify({ error: { code: 'Base.1.8.InternalError', message: 'Internal error' } }))).toEqual({
      code: 'Base.1.8.InternalError',
      messages: ['Internal error'],
    });
    expect(parseRedfishError('<html>502 Bad Gateway</html>')).toEqual({ code: null, messages: [] });
    expect(parseRedfishError('')).toEqual({ code: null, messages: [] });
  });
});
