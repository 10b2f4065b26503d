#!/usr/bin/env bash
# Records new public API in PublicAPI.Unshipped.txt of the given projects (from the analyzer's RS0016 report).
# Review the diff: every line added is a promise to plugin and host authors.
set -euo pipefail
for project in "$@"; do
  dir=$(dirname "$project")
  dotnet build "$project" -p:TreatWarningsAsErrors=false 2>&1 \
    | grep -oE "RS0016: Symbol '[^']+' is not part of the declared public API" \
    | sed -E "s/RS0016: Symbol '(.*)' is not part of the declared public API/\1/" \
    | sort -u >> "$dir/PublicAPI.Unshipped.txt" || true
  { head -n1 "$dir/PublicAPI.Unshipped.txt"; tail -n +2 "$dir/PublicAPI.Unshipped.txt" | sort -u; } > "$dir/PublicAPI.tmp" && mv "$dir/PublicAPI.tmp" "$dir/PublicAPI.Unshipped.txt"
done
