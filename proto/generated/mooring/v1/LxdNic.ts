// Original file: mooring/v1/lxd.proto


export interface LxdNic {
  'name'?: (string);
  'pciAddress'?: (string);
  'numaNode'?: (number);
  'sriovMaxVfs'?: (number);
  'sriovCurrentVfs'?: (number);
}

export interface LxdNic__Output {
  'name': (string);
  'pciAddress': (string);
  'numaNode': (number);
  'sriovMaxVfs': (number);
  'sriovCurrentVfs': (number);
}
