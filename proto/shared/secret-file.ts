// Reads a small secret (a BMC password, an enrollment token) from a file named by an operator.
// Only a regular file is read, and only up to a size cap: a path such as /dev/zero, a FIFO with no
// writer or a multi-gigabyte file is refused at once instead of filling memory or hanging.
// The file is opened non-blocking (opening a FIFO then returns at once) and checked through the
// open descriptor, so what is checked is what is read. Errors name the file, never its content.
import { constants, fstatSync, openSync, closeSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

/** Far more than any password or token; small enough that reading it is never a burden. */
export const SECRET_FILE_MAX_BYTES = 64 * 1024;

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

export class SecretFileError extends Error {
  override name = 'SecretFileError';
  constructor(
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`secret file ${JSON.stringify(path)} ${reason}`, options);
  }
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function check(path: string, st: Stats, maxBytes: number): void {
  if (!st.isFile()) throw new SecretFileError(path, `is ${kindOf(st)}; only a regular file is read`);
  if (st.size > maxBytes) throw new SecretFileError(path, `is ${st.size} bytes; a secret file may hold at most ${maxBytes}`);
}

function tooLong(path: string, maxBytes: number): SecretFileError {
  return new SecretFileError(path, `grew past ${maxBytes} bytes while it was read; a secret file may hold at most ${maxBytes}`);
}

function openFailed(path: string, err: unknown): SecretFileError {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  return new SecretFileError(path, `cannot be read (${code})`, { cause: err });
}

/** The whole file as UTF-8; throws SecretFileError when it is not a regular file or is too big. */
export async function readSecretFile(path: string, maxBytes = SECRET_FILE_MAX_BYTES): Promise<string> {
  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (err) {
    throw openFailed(path, err);
  }
  try {
    check(path, await handle.stat(), maxBytes);
    // One byte more than allowed tells a file that grew after the check.
    const buf = Buffer.alloc(maxBytes + 1);
    let used = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, used, buf.length - used, null);
      if (bytesRead === 0) break;
      used += bytesRead;
      if (used > maxBytes) throw tooLong(path, maxBytes);
    }
    return buf.subarray(0, used).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** readSecretFile for synchronous callers (the CLI's option parsing). */
export function readSecretFileSync(path: string, maxBytes = SECRET_FILE_MAX_BYTES): string {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (err) {
    throw openFailed(path, err);
  }
  try {
    check(path, fstatSync(fd), maxBytes);
    const buf = Buffer.alloc(maxBytes + 1);
    let used = 0;
    for (;;) {
      const n = readSync(fd, buf, used, buf.length - used, null);
      if (n === 0) break;
      used += n;
      if (used > maxBytes) throw tooLong(path, maxBytes);
    }
    return buf.subarray(0, used).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
