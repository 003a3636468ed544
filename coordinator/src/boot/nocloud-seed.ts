// The NoCloud seed files the ramdisk writes to the CIDATA partition (packaging/ramdisk/README.md):
// rendered here from what the deployment was given. cloud-init's NoCloud reads meta-data's
// `public-keys` as it reads ssh_authorized_keys. Nothing is folded (lineWidth 0): an SSH key is
// longer than YAML's default 80 columns, and a folded key, while the same YAML, breaks any reader
// that takes one key per line (the test image's first boot, a shell script in an initramfs).
import { stringify } from 'yaml';
import type { DeployGrant } from './deploy-grant.js';

export function metaData(grant: DeployGrant): string {
  return stringify(
    { 'instance-id': grant.machineId, 'local-hostname': grant.hostname, 'public-keys': [...grant.sshKeys] },
    { lineWidth: 0 },
  );
}

/** The user-data as given (opened: DeployTokens.userData); cloud-init needs a header, so none given is an empty #cloud-config. */
export function userData(given: string): string {
  return given === '' ? '#cloud-config\n' : given;
}
