#!/usr/bin/env bash
# Writes the compiler's command line of one project build, for the benchmark's real mode:
#   benchmarks/compiler-command-line.sh <out.rsp> <project.csproj> [dotnet build arguments...]
# It runs a clean detailed build (dotnet build -v:d --no-incremental) and keeps the arguments of its csc call,
# from the first one after the compiler's path. Run it from the folder the build is meant to run from; the
# benchmark then needs the project's folder, where the relative paths of the command line start:
#   dotnet run -c Release --project benchmarks/LeakAnalyzers.Benchmarks -- real <out.rsp> <project folder> 5
set -euo pipefail
out=$1; project=$2; shift 2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet build "$project" -v:d --no-incremental "$@" > "$log" 2>&1 || { tail -20 "$log" >&2; exit 1; }
line=$(grep -E '^\s+\S*/csc(\.exe|\.dll)? /noconfig' "$log" | tail -1 || true)
if [ -z "$line" ]; then
  echo "no csc command line in the build log (was the project already built? is it C#?)" >&2
  exit 1
fi
printf '%s\n' "$line" | sed -E 's#^\s+\S*/csc(\.exe|\.dll)? ##' > "$out"
echo "wrote $out ($(wc -c < "$out") bytes)"
