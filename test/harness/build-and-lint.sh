#!/usr/bin/env bash
# The test command's build and lint, side by side: each is one mostly single-threaded process
# (tsc; typed ESLint, which type-checks the sources again), and lint reads no build output (dist/
# is ignored), so on two cores the pair takes about as long as lint alone. Fails if either fails,
# after both have finished, so both reports are seen.
set -uo pipefail
cd "$(dirname "$0")/../.."

npm run --silent build &
build=$!
npm run --silent lint &
lint=$!
status=0
wait "$build" || { echo "build-and-lint: npm run build failed" >&2; status=1; }
wait "$lint" || { echo "build-and-lint: npm run lint failed" >&2; status=1; }
exit "$status"
