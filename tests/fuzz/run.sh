#!/bin/sh
# Replays the fuzz corpus, every crash ever found, the bad-input corpus
# and the sample through the fuzz target built without libFuzzer; one case
# per input file.
set -u
BUILD=${BUILD:-build}
exec "$BUILD/tests/fuzz_render" tests/fuzz/corpus tests/fuzz/crashes tests/bad/*.json data/*.json
