#!/usr/bin/env bash
# Runs the benchmarks — Plugboard side by side with McMaster.NETCore.Plugins, System.Composition and the raw
# runtime — and writes docs/benchmarks.md (about 10 minutes on 2 cores). Extra arguments go to the harness:
#   --out FILE   write the report elsewhere       --smoke      N=3, one invocation each (seconds; proves the harness)
#   --cycles N   load/unload cycles (1000)        --reloads N  hot reloads (20)       --plugins N  plugins in one process (1000)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build benchmarks/Plugboard.Benchmarks -c Release -nologo -v quiet
dotnet run -c Release --no-build --project benchmarks/Plugboard.Benchmarks -- "$@"
