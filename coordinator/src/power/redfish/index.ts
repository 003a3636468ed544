// The redfish power driver's public surface.
export { redfishDriver, type RedfishDriverOptions, type RedfishPowerDriver } from './redfish-driver.js';
export { parseBmcAddress, type BmcAddress } from './redfish-address.js';
export type { HttpTransport, HttpRequest, HttpResponse } from './http-transport.js';
