#!/usr/bin/env bash
# Builds and lints the Bicep offline: restores the Bicep compiler from NuGet (infra/tools/BicepCli.csproj), then
# `bicep build` and `bicep lint` infra/main.bicep (which pulls in every module), and for each parameter set of
# infra/checks/ (both transports, vnetEnabled off and on) `bicep lint` (which compiles the set against main.bicep)
# and `bicep snapshot`, which expands conditions, loops and modules into the resources a deployment would create. Any warning fails the
# check, as does a snapshot diagnostic or a reference to a registry module (br:, ts:), which cannot be restored
# offline.
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

# bicep snapshot writes <set>.snapshot.json next to its parameter file: never leave one behind.
trap 'rm -f infra/checks/*.snapshot.json' EXIT

failed=0
# Runs one bicep command; its diagnostics (stderr) must hold no warning or error.
check() {
  local label="$1"
  shift
  local ok=1 diagnostics
  # The compiled template (build --stdout) is not needed here.
  if ! diagnostics="$("$bicep" "$@" 2>&1 >/dev/null)"; then
    ok=0
  fi
  if [[ -n "$diagnostics" ]]; then
    echo "$diagnostics"
  fi
  if grep -qE ': (Warning|Error) ' <<<"$diagnostics"; then
    ok=0
  fi
  echo "bicep $label: $([[ $ok == 1 ]] && echo ok || echo FAILED)"
  [[ $ok == 1 ]] || failed=1
}

check "build main.bicep" build infra/main.bicep --stdout
check "lint main.bicep" lint infra/main.bicep

for params in infra/checks/*.bicepparam; do
  set_name="$(basename "$params" .bicepparam)"
  check "lint $set_name" lint "$params"
  check "snapshot $set_name" snapshot "$params" --mode overwrite \
    --subscription-id 00000000-0000-0000-0000-000000000001 --resource-group rg-check --location westeurope
  snapshot="${params%.bicepparam}.snapshot.json"
  if [[ ! -f "$snapshot" ]] || ! grep -qE '^  "diagnostics": \[\],?$' "$snapshot"; then
    [[ -f "$snapshot" ]] && sed -n '/^  "diagnostics"/,/^  \]/p' "$snapshot"
    echo "bicep snapshot $set_name: FAILED (the expansion reported diagnostics)"
    failed=1
  fi
done

if [[ $failed != 0 ]]; then
  echo "check.sh: Bicep build/lint/snapshot reported problems (warnings count as errors)" >&2
  exit 1
fi
echo "infra: Bicep build, lint and snapshot passed for $(ls infra/checks/*.bicepparam | wc -l) parameter sets"
