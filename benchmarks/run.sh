#!/usr/bin/env bash
# Runs the benchmarks — Plugboard side by side with McMaster.NETCore.Plugins, System.Composition and the raw
# runtime — and writes docs/benchmarks.md (about 10 minutes on 2 cores). Extra arguments go to the harness:
#   --out FILE   write the report elsewhere       --smoke      N=3, one invocation each (seconds; proves the harness)
#   --cycles N   load/unload cycles (1000)        --reloads N  hot reloads (20)       --plugins N  plugins in one process (1000)
# Before the timed run, the call paths' instruction counts are taken under valgrind's callgrind (installed from the
# Debian packages when missing and the script runs as root), and the out-of-process round trip is measured against
# gRPC (benchmarks/Plugboard.Isolation.Benchmarks); a smoke run skips both.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build benchmarks/Plugboard.Benchmarks -c Release -nologo -v quiet
harness=benchmarks/Plugboard.Benchmarks/bin/Release/net10.0/Plugboard.Benchmarks.dll
extra=()
if [[ " $* " != *" --smoke "* ]]; then
  if ! [ -f /usr/include/valgrind/callgrind.h ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind) >/dev/null 2>&1 || true
  fi
  if [ -f /usr/include/valgrind/callgrind.h ] && command -v valgrind >/dev/null && command -v cc >/dev/null; then
    out=artifacts/benchmarks/callgrind
    rm -rf "$out" && mkdir -p "$out"
    cc -O2 -shared -fPIC benchmarks/NativePlugins/callgrind-shim/callgrind_shim.c -o "$out/libpb_callgrind.so"
    mkdir -p "$out/dumps"
    echo "[run.sh] instruction counts under callgrind (tiered compilation off)"
    # The JIT lists each method it compiles with its tier, so the report can say which counts are of optimized code.
    DOTNET_TieredCompilation=0 DOTNET_JitDisasmSummary=1 DOTNET_JitStdOutFile="$out/jit-tiers.txt" valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$out/dumps/callgrind.out" \
      dotnet "$harness" --instructions-child "$out/libpb_callgrind.so" > "$out/child.log" 2>&1 || { tail -20 "$out/child.log"; exit 1; }
    # The final dump at exit counts nothing (collection was off); only the named client-request dumps matter.
    extra=(--instructions "$out/dumps")
  else
    echo "[run.sh] valgrind or its headers are missing: no instruction counts in this report"
  fi
  # The out-of-process round trip against gRPC (its own project: the worker, a gRPC server), read into the report.
  echo "[run.sh] out-of-process round trip against gRPC"
  dotnet build benchmarks/Plugboard.Isolation.Benchmarks -c Release -nologo -v quiet
  mkdir -p artifacts/benchmarks
  dotnet run -c Release --no-build --project benchmarks/Plugboard.Isolation.Benchmarks -- --round-trip --json artifacts/benchmarks/round-trip.json
  extra+=(--round-trip artifacts/benchmarks/round-trip.json)
fi
dotnet "$harness" "${extra[@]}" "$@"
