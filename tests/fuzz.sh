#!/usr/bin/env bash
# Fuzzes one contracts parser with AFL++ through SharpFuzz (issue #7 item 8; docs/RELIABILITY.md, "Fuzzing").
#
#   tests/fuzz.sh <target> <seconds>      targets: gs1 envelope event checkpoint proof merkle ack batch
#
# Builds tests/Fuzzing (COLDTRACE_FUZZ_NO_BUILD=1 skips that when the caller has built it; COLDTRACE_FUZZ_CONFIGURATION
# picks the build, Release by default), instruments a copy of SupplyChain.Contracts.dll with the sharpfuzz tool of
# .config/dotnet-tools.json, runs afl-fuzz for <seconds> from the seeds in tests/Fuzzing/corpus/<target>, prints the
# figures of AFL++'s fuzzer_stats, and copies every crashing or hanging input to artifacts/fuzz/<target>/ with the
# exception it throws. Exits 1 on any crash, hang or engine failure, 2 on bad usage or a missing prerequisite.
set -euo pipefail
cd "$(dirname "$0")/.."

usage="usage: tests/fuzz.sh <target> <seconds>"
target=${1:?$usage}
seconds=${2:?$usage}
configuration=${COLDTRACE_FUZZ_CONFIGURATION:-Release}
corpus=tests/Fuzzing/corpus/$target
command -v afl-fuzz >/dev/null || { echo "afl-fuzz is missing: apt-get install -y afl++" >&2; exit 2; }
[ -d "$corpus" ] || { echo "No corpus for target '$target' ($corpus)." >&2; exit 2; }
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "$usage" >&2; exit 2; }

if [ "${COLDTRACE_FUZZ_NO_BUILD:-}" != 1 ]; then
  dotnet build tests/Fuzzing -c "$configuration" -nologo -v quiet
fi
dotnet tool restore >/dev/null

# The instrumented copy lives apart from the build output, so no test or later build ever loads it by accident.
work=artifacts/fuzz/work/$target
rm -rf "$work"
mkdir -p "$work"
cp -r "tests/Fuzzing/bin/$configuration/net10.0" "$work/bin"
dotnet sharpfuzz "$work/bin/SupplyChain.Contracts.dll" >"$work/instrumented-types.txt"

# dotnet is not an AFL-instrumented binary (SharpFuzz speaks the fork-server protocol from managed code); the machine is
# shared, so no CPU binding, no governor or core_pattern demands. A .NET start on a loaded machine is slow: wait 2 min for
# the fork server. An input that runs 10 s is a hang; SharpFuzz runs inputs in the fork server's own process, so AFL++
# stops on it and the input is left in .cur_input (SharpFuzz docs/miscellaneous.md).
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_FORKSRV_INIT_TMOUT=120000
findings=$work/findings
engine=0
timeout --signal=INT --kill-after=30 $((seconds + 600)) \
  afl-fuzz -i "$corpus" -o "$findings" -V "$seconds" -t 10000 -m none -- \
  dotnet "$work/bin/coldtrace-fuzz.dll" "$target" >"$work/afl.log" 2>&1 || engine=$?

stats=$findings/default/fuzzer_stats
stat() { sed -n "s/^$1 *: *//p" "$stats" 2>/dev/null | head -n 1 || true; }
execs=$(stat execs_done); speed=$(stat execs_per_sec); corpus_count=$(stat corpus_count); found=$(stat corpus_found)
edges=$(stat edges_found); coverage=$(stat bitmap_cvg); crashes=$(stat saved_crashes); hangs=$(stat saved_hangs)

# Crashing and hanging inputs, and the input an aborted engine was running, go to artifacts/fuzz/<target>/.
out=artifacts/fuzz/$target
rm -rf "$out"
mkdir -p "$out"
for kind in crashes hangs; do
  for input in "$findings"/default/$kind/id:*; do
    [ -e "$input" ] || continue
    cp "$input" "$out/$kind-$(basename "$input" | cut -d, -f1 | tr : -)"
  done
done
if [ "$engine" -ne 0 ] && [ -s "$findings/default/.cur_input" ]; then
  cp "$findings/default/.cur_input" "$out/engine-stopped-on-input"
fi

echo "fuzz $target: ${execs:-0} execs in ${seconds} s (${speed:-0}/s), corpus ${corpus_count:-0} (${found:-0} found by the engine), edges ${edges:-0} (bitmap ${coverage:-0}), crashes ${crashes:-0}, hangs ${hangs:-0}"
failed=0
if [ "$engine" -ne 0 ] || [ ! -s "$stats" ]; then
  echo "afl-fuzz stopped with exit code $engine; its log ($work/afl.log) ends:" >&2
  tail -n 25 "$work/afl.log" >&2
  failed=1
fi
if [ -n "$(ls -A "$out")" ]; then
  echo "Inputs kept in $out; what each throws:" >&2
  dotnet "tests/Fuzzing/bin/$configuration/net10.0/coldtrace-fuzz.dll" "$target" "$out" >&2 || true
  failed=1
fi
exit "$failed"
