#!/usr/bin/env bash
# Runs the whole test suite (the README's test command) N times in this clone and lists every test that failed in
# any run, with its message. Exit code 0 only if every run passed.
#
#   eng/flake-check.sh 10          # ten full runs; logs in artifacts/flake-check/run-<k>.log
#
# A test that fails once in ten is a flake, whatever it asserts: the rule for tests that measure process-global
# state is in tests/README.md.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: eng/flake-check.sh [N]   (N full runs of the test suite, default 10)" >&2
  exit 2
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
out=artifacts/flake-check
rm -rf "$out"
mkdir -p "$out"
failures="$out/failures.txt"
: > "$failures"
green=0
start_all=$(date +%s)

for k in $(seq 1 "$runs"); do
  log="$out/run-$k.log"
  start=$(date +%s)
  dotnet test Plugboard.slnx > "$log" 2>&1
  status=$?
  seconds=$(( $(date +%s) - start ))
  passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
  failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
  # Each failed test prints "  Failed <name> [<time>]", then "  Error Message:" and the message up to "  Stack Trace:".
  awk -v run="$k" '
    /^  Failed .* \[[^]]*\]$/ { name = $0; sub(/^  Failed /, "", name); sub(/ \[[^]]*\]$/, "", name); inmsg = 0; next }
    /^  Error Message:/  { if (name != "") { inmsg = 1; msg = "" } next }
    /^  Stack Trace:/    { if (inmsg) { printf "run %s: %s\n   %s\n", run, name, msg; inmsg = 0; name = "" } next }
    inmsg                { sub(/^ +/, ""); msg = (msg == "" ? $0 : msg " | " $0) }
' "$log" >> "$failures"
  if [ "$status" -eq 0 ] && [ "$failed" -eq 0 ]; then
    green=$((green + 1))
    verdict=green
  else
    verdict=RED
    if [ "$failed" -eq 0 ]; then
      echo "run $k: the build or the test runner failed before any test reported (exit code $status); see $log" >> "$failures"
    fi
  fi
  echo "run $k/$runs: $verdict  $passed passed, $failed failed  (${seconds} s)"
done

total=$(( $(date +%s) - start_all ))
echo
echo "$green of $runs full runs passed in $((total / 60)) min $((total % 60)) s"
if [ -s "$failures" ]; then
  echo "tests that failed in any run:"
  cat "$failures"
  exit 1
fi
echo "no test failed in any run"
