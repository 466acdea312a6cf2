#!/usr/bin/env bash
# Self-contained publishes of the agent (trimmed) and the hub (not trimmed: its web UI is Razor Pages, which MVC does not
# support trimmed) (firmware-config/README.md "Builds"):
#   publish.sh [OUT_DIR] [RID...]      default: artifacts/publish, linux-arm64 and linux-x64
# Each output is what the documented command makes, e.g.
#   dotnet publish agent -c Release -r linux-arm64 --self-contained -p:PublishTrimmed=true -o OUT_DIR/agent-linux-arm64
#   dotnet publish hub   -c Release -r linux-arm64 --self-contained -o OUT_DIR/hub-linux-arm64
# The trimming settings (partial trimming, why) are in Directory.Build.props. To save time in tests/run.sh the agent and
# the hub of one architecture are published side by side: restore (both architectures) and the shared contracts library
# are done first, once, so the two processes never write the same file. Prints the size of each output.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/publish}
shift || true
rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=(linux-arm64 linux-x64)
rid_list=$(IFS=';'; echo "${rids[*]}")
trimmed() { if [ "$1" = agent ]; then echo true; else echo false; fi; }

# The hub first: its restore also restores the agent it references, untrimmed; the agent's own restore then adds the
# trimming pack (restored the other way round, the agent was published untrimmed, silently).
for app in hub agent; do
  dotnet restore "$app" -p:RuntimeIdentifiers="\"$rid_list\"" -p:PublishTrimmed="$(trimmed "$app")" -nologo -v quiet
done
dotnet build contracts -c Release --no-restore -nologo -v quiet -warnaserror

for rid in "${rids[@]}"; do
  started=$SECONDS
  # The hub references the agent (`hub demo` runs stations in-process): build the agent for this RID first, so the two
  # publishes below only read its output.
  dotnet build agent -c Release -r "$rid" --self-contained -p:PublishTrimmed=true --no-restore -p:BuildProjectReferences=false \
    -nologo -v quiet -clp:NoSummary -warnaserror
  pids=()
  for app in agent hub; do
    rm -rf "${out:?}/$app-$rid"
    dotnet publish "$app" -c Release -r "$rid" --self-contained -p:PublishTrimmed="$(trimmed "$app")" -o "$out/$app-$rid" \
      --no-restore -p:BuildProjectReferences=false -nologo -v quiet -warnaserror &
    pids+=($!)
  done
  status=0
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
  [ "$status" -eq 0 ] || { echo "publish for $rid failed" >&2; exit 1; }
  for app in agent hub; do
    echo "published $app-$rid: $(du -sh "$out/$app-$rid" | cut -f1), $(find "$out/$app-$rid" -type f | wc -l) files"
  done
  echo "publish $rid: $((SECONDS - started)) s"
done
