// Original file: mooring/v1/deploy.proto


export interface DeployMachineRequest {
  'machine'?: (string);
  /**
   * Boot device for the deployment: pxe (default), disk or cdrom.
   */
  'bootDevice'?: (string);
  /**
   * A tenant network (NetworkService) to attach the smartNIC ports to; empty: none.
   */
  'network'?: (string);
  /**
   * Security groups for the attached ports (only with network).
   */
  'securityGroups'?: (string)[];
  /**
   * An image (ImageService) to write: the ramdisk netboots on the provisioning network, writes it,
   * then the ports move to `network` (required) and the machine boots it from disk. Empty: the
   * deploy only boots boot_device, as before.
   */
  'image'?: (string);
  /**
   * cloud-init user-data for the image (a #cloud-config document; at most 64 KiB). Only with image.
   */
  'userData'?: (string);
  /**
   * SSH public keys for the image's default user (one line each). Only with image.
   */
  'sshKeys'?: (string)[];
}

export interface DeployMachineRequest__Output {
  'machine': (string);
  /**
   * Boot device for the deployment: pxe (default), disk or cdrom.
   */
  'bootDevice': (string);
  /**
   * A tenant network (NetworkService) to attach the smartNIC ports to; empty: none.
   */
  'network': (string);
  /**
   * Security groups for the attached ports (only with network).
   */
  'securityGroups': (string)[];
  /**
   * An image (ImageService) to write: the ramdisk netboots on the provisioning network, writes it,
   * then the ports move to `network` (required) and the machine boots it from disk. Empty: the
   * deploy only boots boot_device, as before.
   */
  'image': (string);
  /**
   * cloud-init user-data for the image (a #cloud-config document; at most 64 KiB). Only with image.
   */
  'userData': (string);
  /**
   * SSH public keys for the image's default user (one line each). Only with image.
   */
  'sshKeys': (string)[];
}
