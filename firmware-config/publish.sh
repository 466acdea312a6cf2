#!/usr/bin/env bash
# Self-contained, trimmed publishes of the agent and the hub (firmware-config/README.md "Builds"):
#   publish.sh [OUT_DIR] [RID...]      default: artifacts/publish, linux-arm64 and linux-x64
# Each one is the documented command, e.g.
#   dotnet publish agent -c Release -r linux-arm64 --self-contained -p:PublishTrimmed=true -o OUT_DIR/agent-linux-arm64
# The trimming settings (partial trimming, why) are in Directory.Build.props. Prints the size of each output.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/publish}
shift || true
rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=(linux-arm64 linux-x64)

for rid in "${rids[@]}"; do
  for app in agent hub; do
    started=$SECONDS
    rm -rf "$out/$app-$rid"
    dotnet publish "$app" -c Release -r "$rid" --self-contained -p:PublishTrimmed=true -o "$out/$app-$rid" \
      -nologo -v quiet -warnaserror
    echo "published $app-$rid: $(du -sh "$out/$app-$rid" | cut -f1) in $((SECONDS - started)) s"
  done
done
