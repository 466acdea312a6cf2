#!/usr/bin/env bash
# Fuzzes contracts parsers with AFL++ through SharpFuzz (issue #7 item 8; docs/RELIABILITY.md, "Fuzzing").
#
#   tests/fuzz.sh <target> <seconds>           one target for <seconds> of fuzzing
#   tests/fuzz.sh <target>,<target>… <seconds> several, one after another; "all" is every target
#
# Targets: gs1 envelope event checkpoint proof merkle ack batch (tests/Fuzzing/FuzzTargets.cs).
# Builds tests/Fuzzing (COLDTRACE_FUZZ_NO_BUILD=1 skips that when the caller has built it; COLDTRACE_FUZZ_CONFIGURATION
# picks the build, Release by default), instruments a copy of SupplyChain.Contracts.dll with the sharpfuzz tool of
# .config/dotnet-tools.json, runs afl-fuzz on each target from the seeds in tests/Fuzzing/corpus/<target> (with the
# tokens of tests/Fuzzing/dictionaries/<target>.dict, since the JSON reader itself is not instrumented), prints one
# line of figures per target from AFL++'s fuzzer_stats, and copies every crashing or hanging input to
# artifacts/fuzz/<target>/ with the exception it throws. Exits 1 on any crash, hang or engine failure, 2 on bad usage or
# a missing prerequisite.
set -euo pipefail
cd "$(dirname "$0")/.."

usage="usage: tests/fuzz.sh <target>[,<target>…|all] <seconds>"
[ $# -eq 2 ] || { echo "$usage" >&2; exit 2; }
seconds=$2
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "$usage" >&2; exit 2; }
if [ "$1" = all ]; then
  targets=(gs1 envelope event checkpoint proof merkle ack batch)
else
  IFS=, read -r -a targets <<<"$1"
fi
for target in "${targets[@]}"; do
  [ -d "tests/Fuzzing/corpus/$target" ] || { echo "No corpus for target '$target' (tests/Fuzzing/corpus/$target)." >&2; exit 2; }
done
command -v afl-fuzz >/dev/null || { echo "afl-fuzz is missing: apt-get install -y afl++" >&2; exit 2; }

configuration=${COLDTRACE_FUZZ_CONFIGURATION:-Release}
if [ "${COLDTRACE_FUZZ_NO_BUILD:-}" != 1 ]; then
  dotnet build tests/Fuzzing -c "$configuration" -nologo -v quiet
fi
build=tests/Fuzzing/bin/$configuration/net10.0
dotnet tool restore >/dev/null

# The instrumented copy lives apart from the build output, so no test or later build ever loads it by accident; one
# folder per target list and duration, so a short run (the integration test) and a long one can go side by side.
work=artifacts/fuzz/work/$(IFS=-; echo "${targets[*]}" | cut -c1-60)-${seconds}s
rm -rf "$work"
mkdir -p "$work"
cp -r "$build" "$work/bin"
dotnet sharpfuzz "$work/bin/SupplyChain.Contracts.dll" >"$work/instrumented-types.txt"

# dotnet is not an AFL-instrumented binary (SharpFuzz speaks the fork-server protocol from managed code); the machine is
# shared, so no CPU binding, no governor or core_pattern demands. A .NET start on a loaded machine is slow: wait 2 min for
# the fork server. An input that runs 10 s is a hang; SharpFuzz runs inputs in the fork server's own process, so AFL++
# stops on it and the input is left in .cur_input (SharpFuzz docs/miscellaneous.md).
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_FORKSRV_INIT_TMOUT=120000

failed=0
for target in "${targets[@]}"; do
  findings=$work/findings-$target
  dictionary=(); [ -f "tests/Fuzzing/dictionaries/$target.dict" ] && dictionary=(-x "tests/Fuzzing/dictionaries/$target.dict")
  engine=0
  timeout --signal=INT --kill-after=30 $((seconds + 600)) \
    afl-fuzz -i "tests/Fuzzing/corpus/$target" -o "$findings" "${dictionary[@]}" -V "$seconds" -t 10000 -m none -- \
    dotnet "$work/bin/coldtrace-fuzz.dll" "$target" >"$work/afl-$target.log" 2>&1 || engine=$?

  stats=$findings/default/fuzzer_stats
  stat() { sed -n "s/^$1 *: *//p" "$stats" 2>/dev/null | head -n 1 || true; }
  echo "fuzz $target: $(stat execs_done) execs in $(stat run_time) s ($(stat execs_per_sec)/s)," \
    "corpus $(stat corpus_count) ($(stat corpus_found) found by the engine), edges $(stat edges_found)" \
    "(bitmap $(stat bitmap_cvg)), crashes $(stat saved_crashes), hangs $(stat saved_hangs)"

  # Crashing and hanging inputs, and the input an aborted engine was running, go to artifacts/fuzz/<target>/.
  out=artifacts/fuzz/$target
  rm -rf "$out"
  mkdir -p "$out"
  for kind in crashes hangs; do
    for input in "$findings"/default/"$kind"/id:*; do
      [ -e "$input" ] || continue
      cp "$input" "$out/$kind-$(basename "$input" | cut -d, -f1 | tr : -)"
    done
  done
  if [ "$engine" -ne 0 ] && [ -s "$findings/default/.cur_input" ]; then
    cp "$findings/default/.cur_input" "$out/engine-stopped-on-input"
  fi

  if [ "$engine" -ne 0 ] || [ ! -s "$stats" ]; then
    echo "afl-fuzz ($target) stopped with exit code $engine; its log ($work/afl-$target.log) ends:" >&2
    tail -n 25 "$work/afl-$target.log" >&2
    failed=1
  fi
  if [ -n "$(ls -A "$out")" ]; then
    echo "Inputs kept in $out; what each throws:" >&2
    dotnet "$build/coldtrace-fuzz.dll" "$target" "$out" >&2 || true
    failed=1
  fi
done
exit "$failed"
