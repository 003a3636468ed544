// The V8 flags the coordinator runs with, wherever it runs: the Debian package's
// /usr/bin/mooring-coordinator wrapper (packaging/build-debs.sh reads them from here) and every
// coordinator the tests, benchmarks and the lab start (test/harness/coordinator-process.ts).
//
// --max-semi-space-size=64 (MiB; Node 20's default is 16): a request's garbage (gRPC frames,
// decoded protobufs and msgpack records) is short-lived, but with small semi-spaces it survives a
// scavenge every few milliseconds at load and is promoted, and the old generation it fills is
// collected by mark-compacts that paused the coordinator 25-54 ms every 5-9 s with 33 MB live.
// Measured at 100000 machines (`npm run bench:alloc -- --trace-gc`, quiet machine): GC pauses in
// the 10 s open loop 36-48 -> 14, the longest 54-57 -> 30 ms; open-loop allocation p99 64-81 ->
// 39 ms at a higher rate (437-550 -> 591 cycles/s); closed-loop allocations 873-1100 -> 1181/s.
// It costs up to 3 x 64 MiB of address space for the young generation (RSS at 100000 machines
// 813 -> 907 MB, most of it LMDB's mapped pages).
export const COORDINATOR_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/**
 * The environment variable whose flags the packaged wrapper adds after COORDINATOR_NODE_FLAGS
 * (split on spaces), e.g. from a systemd drop-in: V8 takes its collector's flags only when the
 * process starts (v8.setFlagsFromString with them later aborts the process at its next collection).
 */
export const NODE_FLAGS_ENV = 'MOORING_NODE_FLAGS';

/**
 * The V8 flags for a coordinator on etcd that shares its host's cores with an etcd member and other
 * processes, as in the README's three-host layout (set through NODE_FLAGS_ENV; bench:alloc runs
 * its etcd coordinators with them). --single-threaded-gc: the collector works on the main thread
 * only, not also on helper threads that take the cores etcd and the other coordinators are waiting
 * for. Three coordinators on a 3-member etcd on one 2-core VM, the open loop of `npm run bench:alloc
 * -- --store etcd --coordinators 1,3`: p99 lower with the flag in 8 pairs of 12, then in 3 of 3
 * (47.8-89.1 against 73.6-132.5 ms). Not the default: the coordinator on LMDB, alone with its
 * cores, is better served by parallel collections (its open loop's event-loop p99 at 100000
 * machines, in the same 3 pairs: 17.3-29.1 ms with the flag against 14.9-15.6 without).
 */
export const SHARED_HOST_NODE_FLAGS: readonly string[] = ['--single-threaded-gc'];
