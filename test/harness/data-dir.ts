// Helpers for the data dir tests: run the built coordinator once and see whether it serves or
// refuses; read LMDB meta pages (the documented layout, independently of the code under test) to
// damage a data file where it matters; ask grpc.health.v1.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { COORDINATOR_MAIN } from './coordinator-process.js';

export type StartOutcome =
  | { readonly listening: true }
  | { readonly listening: false; readonly code: number | null; readonly signal: string | null; readonly stderr: string };

/** Starts the coordinator on `dataDir`; stops it again if it starts listening. */
export function startOnce(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<StartOutcome> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        COORDINATOR_MAIN,
        '--data-dir',
        dataDir,
        '--listen',
        '127.0.0.1:0',
        '--metrics-listen',
        '127.0.0.1:0',
        '--console-listen',
        '127.0.0.1:0',
        '--log-level',
        'info',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env,
      },
    );
    let stderr = '';
    let listening = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (!listening && chunk.toString().includes('coordinator listening')) {
        listening = true;
        child.kill('SIGTERM');
      }
    });
    child.once('exit', (code, signal) => resolve(listening ? { listening: true } : { listening: false, code, signal, stderr }));
  });
}

/** Page size, last page and main-DB root page of the newer of an LMDB file's two meta pages. */
export function lmdbMeta(file: string): { pageSize: number; lastPage: number; mainRoot: number } {
  const bytes = readFileSync(file);
  // MDB_meta sits after the 24-byte page header: magic @24, mm_dbs @48 (48 bytes each, md_root @+40), mm_last_pg @144, mm_txnid @152.
  const pageSize = bytes.readUInt32LE(48);
  const metas = [0, pageSize].map((at) => ({
    txnid: bytes.readBigUInt64LE(at + 152),
    lastPage: Number(bytes.readBigUInt64LE(at + 144)),
    mainRoot: Number(bytes.readBigUInt64LE(at + 48 + 48 + 40)),
  }));
  const meta = metas[1]!.txnid > metas[0]!.txnid ? metas[1]! : metas[0]!;
  return { pageSize, lastPage: meta.lastPage, mainRoot: meta.mainRoot };
}

/** grpc.health.v1 Check of `service` ('' for the whole server). */
export async function healthStatus(address: string, caPem: string, service = ''): Promise<string> {
  const health = grpc.loadPackageDefinition(protoLoader.loadSync(healthProtoPath, { enums: String })) as unknown as {
    grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
  };
  const client = new health.grpc.health.v1.Health(address, grpc.credentials.createSsl(Buffer.from(caPem)));
  try {
    return await new Promise<string>((resolve, reject) =>
      (client as unknown as { Check: (r: object, cb: (e: Error | null, r: { status: string }) => void) => void }).Check(
        { service },
        (e, r) => (e ? reject(e) : resolve(r.status)),
      ),
    );
  } finally {
    client.close();
  }
}

/** Overwrites `count` pages of an LMDB file from page `first` with `fill`'s bytes. */
export function overwritePages(file: string, first: number, count: number, fill: (size: number) => Buffer): void {
  const { pageSize } = lmdbMeta(file);
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, fill(pageSize * count), 0, pageSize * count, first * pageSize);
  } finally {
    closeSync(fd);
  }
}
