#!/usr/bin/env bash
# Packs every Plugboard package into one local folder, a NuGet feed for projects outside this repository
# (docs/authoring.md#using-the-packages-from-a-local-folder shows the nuget.config that consumes it).
#   eng/pack.sh                       -> artifacts/packages (Release)
#   eng/pack.sh <folder> [args...]    -> <folder>; further arguments go to each dotnet pack (e.g. --no-build -c Debug)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/artifacts/packages}"
[ $# -gt 0 ] && shift
mkdir -p "$out"
out="$(cd "$out" && pwd)"
# One line per package; the tests pack exactly this list (tests/Plugboard.Build.Tests/PackagesFixture.cs).
projects=(
  src/Plugboard.Abstractions/Plugboard.Abstractions.csproj
  src/Plugboard.Core/Plugboard.Core.csproj
  src/Plugboard/Plugboard.csproj
  src/Plugboard.Build/Plugboard.Build.csproj
  src/Plugboard.Native/Plugboard.Native.csproj
  src/Plugboard.Native.Aot/Plugboard.Native.Aot.csproj
  src/Plugboard.Contracts.Generator/Plugboard.Contracts.Generator.csproj
  src/Plugboard.Hosting.Abstractions/Plugboard.Hosting.Abstractions.csproj
  src/Plugboard.Hosting/Plugboard.Hosting.csproj
  src/Plugboard.AspNetCore.Abstractions/Plugboard.AspNetCore.Abstractions.csproj
  src/Plugboard.AspNetCore/Plugboard.AspNetCore.csproj
  src/Plugboard.Diagnostics/Plugboard.Diagnostics.csproj
  src/Plugboard.Cli/Plugboard.Cli.csproj
  templates/Plugboard.Templates.csproj
)
for project in "${projects[@]}"; do
  dotnet pack "$root/$project" -o "$out" -nologo "$@"
done
echo "packed ${#projects[@]} packages into $out"
