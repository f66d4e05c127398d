#!/usr/bin/env bash
# Builds and lints the Bicep offline: restores the Bicep compiler from NuGet (infra/tools/BicepCli.csproj), then
# `bicep build` and `bicep lint` infra/main.bicep (which pulls in every module). Any warning fails the check, as
# does a reference to a registry module (br:, ts:), which cannot be restored offline.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet restore infra/tools/BicepCli.csproj --verbosity quiet
bicep="$(dotnet msbuild infra/tools/BicepCli.csproj -getProperty:BicepPath)"
if [[ ! -f "$bicep" ]]; then
  echo "check.sh: the Bicep compiler is not at '$bicep' after restore" >&2
  exit 1
fi
[[ -x "$bicep" ]] || chmod u+x "$bicep"
echo "Using $("$bicep" --version)"

if grep -rnE "['\"](br|ts)[:/]" --include='*.bicep' --include='*.bicepparam' infra; then
  echo "check.sh: registry modules (br:, ts:) cannot be restored offline: write the resource in infra/modules" >&2
  exit 1
fi

failed=0
for step in build lint; do
  if [[ $step == build ]]; then
    args=(build infra/main.bicep --stdout)
  else
    args=(lint infra/main.bicep)
  fi
  ok=1
  # Diagnostics go to stderr; the compiled template (build --stdout) is not needed here.
  if ! diagnostics="$("$bicep" "${args[@]}" 2>&1 >/dev/null)"; then
    ok=0
  fi
  if [[ -n "$diagnostics" ]]; then
    echo "$diagnostics"
  fi
  if grep -qE ': (Warning|Error) ' <<<"$diagnostics"; then
    ok=0
  fi
  echo "bicep $step: $([[ $ok == 1 ]] && echo ok || echo FAILED)"
  [[ $ok == 1 ]] || failed=1
done

if [[ $failed != 0 ]]; then
  echo "check.sh: Bicep build/lint reported problems (warnings count as errors)" >&2
  exit 1
fi
echo "infra: Bicep build and lint passed"
