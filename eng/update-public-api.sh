#!/usr/bin/env bash
# Brings PublicAPI.Unshipped.txt of the given projects in line with their code, from the analyzer's reports:
# adds new public API (RS0016) and drops entries that no longer exist (RS0017).
# Review the diff: every line is a promise to plugin and host authors.
set -euo pipefail
for project in "$@"; do
  dir=$(dirname "$project")
  file="$dir/PublicAPI.Unshipped.txt"
  report=$(dotnet build "$project" -p:TreatWarningsAsErrors=false 2>&1 || true)
  added=$(grep -oE "RS0016: Symbol '[^']+' is not part of the declared public API" <<<"$report" | sed -E "s/RS0016: Symbol '(.*)' is not part of the declared public API/\1/" | sort -u || true)
  removed=$(grep -oE "RS0017: Symbol '[^']+' is part of the declared API" <<<"$report" | sed -E "s/RS0017: Symbol '(.*)' is part of the declared API/\1/" | sort -u || true)
  { tail -n +2 "$file"; [ -n "$added" ] && printf '%s\n' "$added"; } | sort -u | grep -vxF -f <(printf '%s\n' "$removed" | grep . || echo '#never#') > "$file.tmp" || true
  { echo '#nullable enable'; grep . "$file.tmp" || true; } > "$file" && rm -f "$file.tmp"
done
