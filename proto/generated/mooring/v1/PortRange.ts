// Original file: mooring/v1/networks.proto


/**
 * An inclusive range of ports, each 1-65535; one port is min = max.
 */
export interface PortRange {
  'min'?: (number);
  'max'?: (number);
}

/**
 * An inclusive range of ports, each 1-65535; one port is min = max.
 */
export interface PortRange__Output {
  'min': (number);
  'max': (number);
}
