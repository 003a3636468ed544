// Simulated agents' identities: a certificate per agent, signed by the coordinator's CA through
// the real Enroll RPC with a real single-use token, for a CSR whose subject is the agent id.
//
// Benchmark shortcut (README "Agent fleet"): the RSA keys come from a small pool generated once
// per process, and the CSR is built with node-forge (as the agent's newKeyAndCsr does) but signed
// natively. The real agent generates one key per agent and signs its CSR with node-forge (~25 ms);
// for 10000 agents on 2 cores that would take minutes of the benchmark's CPU away from the
// coordinator it measures. Every agent still has its own certificate, subject and enrollment.

import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { agentClient, unary, type AgentServiceClient } from '../../agent/src/link/grpc-channel.js';

export interface AgentIdentity {
  readonly agentId: string;
  readonly keyPem: string;
  readonly certPem: string;
}

interface PooledKey {
  readonly privateKey: KeyObject;
  readonly keyPem: string;
  readonly forgePublicKey: forge.pki.PublicKey;
}

// forge builds CertificationRequestInfo in csr.sign(); the function is public but not in its typings.
const certificationRequestInfo = (
  forge.pki as unknown as { getCertificationRequestInfo: (this: void, csr: forge.pki.CertificateSigningRequest) => forge.asn1.Asn1 }
).getCertificationRequestInfo;

export class KeyPool {
  private readonly keys: PooledKey[] = [];

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
      const forgePublicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
      this.keys.push({ privateKey, keyPem, forgePublicKey });
    }
  }

  /** The key for the n-th agent of this process, and a CSR for it with subject CN = agentId. */
  keyAndCsr(n: number, agentId: string): { keyPem: string; csrPem: string } {
    const key = this.keys[n % this.keys.length]!;
    const csr = forge.pki.createCertificationRequest();
    csr.publicKey = key.forgePublicKey;
    csr.setSubject([{ name: 'commonName', value: agentId }]);
    // What csr.sign(key, sha256) does, with the RSA signature computed by OpenSSL instead of JS.
    const info = certificationRequestInfo(csr);
    const tbs = Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary');
    csr.certificationRequestInfo = info;
    csr.signatureOid = forge.pki.oids['sha256WithRSAEncryption']!;
    csr.signature = sign('sha256', tbs, key.privateKey).toString('binary');
    return { keyPem: key.keyPem, csrPem: forge.pki.certificationRequestToPem(csr) };
  }
}

/**
 * Enrollment over one server-authenticated channel per process (an agent has no certificate
 * yet when it enrolls; each agent's session later gets a connection of its own).
 */
export class Enroller {
  private readonly client: AgentServiceClient;

  constructor(
    address: string,
    caPem: string,
    private readonly keys: KeyPool,
    private readonly timeoutMs: number,
  ) {
    this.client = agentClient(address, caPem);
  }

  async enroll(n: number, agentId: string, token: string): Promise<AgentIdentity> {
    const { keyPem, csrPem } = this.keys.keyAndCsr(n, agentId);
    const res = await unary(this.client, 'Enroll', { token, csrPem }, this.timeoutMs);
    if (res.agentId !== agentId) throw new Error(`Enroll answered for ${res.agentId}, asked for ${agentId}`);
    return { agentId, keyPem, certPem: res.certificatePem };
  }

  close(): void {
    this.client.close();
  }
}
