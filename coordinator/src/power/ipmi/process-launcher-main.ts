// The process launcher: a small Node process the coordinator forks once and asks to start every
// ipmitool process (and long-lived session) for it. Starting a child forks the
// process that starts it, and a fork costs in proportion to that process's memory: about 1 ms from
// this launcher against 3.5 ms from a coordinator of 150 MB and 12 ms from one of 370 MB (CPU on a
// 2-vCPU VM), and a coordinator holding a large fleet is the process least able to pay it. The
// launcher hands each child's pipes to the coordinator (file descriptors over the IPC channel), so
// the coordinator reads and writes them as if it had started the child itself.
//
// Each child starts behind a gate: `sh` reads one line from the child's stdin and only then execs
// the program, so nothing is written to the pipes before the coordinator holds them (the launcher's
// own copies would otherwise start reading, and what they read would be lost). The coordinator
// opens the gate once it has every pipe. Messages (JSON over the channel), in:
// { type: 'spawn', id, file, args, env, stdin: 'pipe' | 'ignore' }; out: { type: 'pipe', id, pid,
// fd } with the pipe's handle, once per fd 0-2, or { type: 'failed', id, message, code }; then
// { type: 'exit', id, code, signal }. The launcher exits when its channel closes (its coordinator
// exited or let it go); the children it started end as they would have: at the end of their input.
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import type { Socket } from 'node:net';
import path from 'node:path';
import type { LauncherReply, LauncherRequest } from './process-launcher.js';

// $0 is the program, "$@" its arguments; exit 125 if the gate closes without a line.
const GATE = 'IFS= read -r _ || exit 125; exec "$0" "$@"';
const GATE_NO_STDIN = 'IFS= read -r _ || exit 125; exec "$0" "$@" </dev/null';

process.title = 'mooring-launcher';

function reply(message: LauncherReply, handle?: Socket): void {
  if (!process.connected) return;
  if (handle) process.send?.(message, handle);
  else process.send?.(message);
}

/** What execvp would fail with, found before the child starts, so the caller gets the errno as from spawn(). */
function unrunnable(file: string, env: Readonly<Record<string, string>>): NodeJS.ErrnoException | null {
  const candidates = file.includes('/') ? [file] : (env.PATH ?? '/usr/bin:/bin').split(':').map((dir) => path.join(dir || '.', file));
  let error: NodeJS.ErrnoException | null = null;
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      if (!statSync(candidate).isDirectory()) return null;
      error = Object.assign(new Error(`spawn ${file} EACCES`), { code: 'EACCES' });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // execvp keeps searching past a missing file but reports EACCES if any candidate had it.
      const errno = code ?? 'ENOENT';
      if (code === 'EACCES' || error === null) error = Object.assign(new Error(`spawn ${file} ${errno}`), { code: errno });
    }
  }
  return error;
}

process.on('message', (request: LauncherRequest) => {
  if (request.type !== 'spawn') return;
  const { id } = request;
  const problem = unrunnable(request.file, request.env);
  if (problem) {
    reply({ type: 'failed', id, message: problem.message, code: problem.code });
    return;
  }
  const child = spawn('/bin/sh', ['-c', request.stdin === 'pipe' ? GATE : GATE_NO_STDIN, request.file, ...request.args], {
    env: request.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  child.once('error', (error: NodeJS.ErrnoException) => reply({ type: 'failed', id, message: error.message, code: error.code }));
  const pid = child.pid;
  if (pid === undefined) return;
  // Sent in order; the exit follows them on the same channel.
  // Child stdio pipes are net.Sockets (libuv makes them with socketpair), so they can be sent.
  reply({ type: 'pipe', id, pid, fd: 0 }, child.stdin as Socket);
  reply({ type: 'pipe', id, pid, fd: 1 }, child.stdout as Socket);
  reply({ type: 'pipe', id, pid, fd: 2 }, child.stderr as Socket);
  child.once('exit', (code, signal) => reply({ type: 'exit', id, code, signal }));
});

process.on('disconnect', () => process.exit(0));
