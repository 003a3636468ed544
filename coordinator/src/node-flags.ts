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
