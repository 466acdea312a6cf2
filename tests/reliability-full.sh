#!/usr/bin/env bash
# The full fault-injection run of issue #7 (docs/RELIABILITY.md quotes its figures): the same tests as tests/run.sh
# runs in their short form, with COLDTRACE_RELIABILITY=full (more kills, longer runs). Prerequisites as tests/run.sh.
# Figures: artifacts/reliability/figures-full.md, and the load run's table in docs/BENCHMARKS.md. About 75 minutes on
# the 2-core test machine.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f artifacts/reliability/figures-full.md
dotnet build SupplyChain.sln -c Release -warnaserror -nologo -v quiet
COLDTRACE_RELIABILITY=full dotnet test tests/SupplyChain.IntegrationTests -c Release --no-build --nologo \
  --filter "Category=Reliability" --logger "console;verbosity=normal" "$@"
echo "figures: artifacts/reliability/figures-full.md"
cat artifacts/reliability/figures-full.md

# Item 10: 200 devices at 1,000 events/s for 10 minutes on a throwaway PostgreSQL cluster (about 13 minutes more).
tests/load-200.sh --write-docs sustained-200
