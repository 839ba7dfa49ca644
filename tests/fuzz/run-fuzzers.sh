#!/bin/sh
# run-fuzzers.sh BUILDDIR SECONDS -- run each libFuzzer harness of a
# build configured with --enable-fuzzing for SECONDS, starting from the
# committed seeds (copied: the source tree is not written).  Fails on any
# crash, leak (LeakSanitizer), sanitizer report, or hang (-timeout: one
# input running longer than 10 s), and prints the input to add to
# tests/fuzz/regress/HARNESS/ once fixed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=$1 secs=${2:-60}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for h in net number pipeline reference; do
  mkdir -p "$work/$h" "$work/artifacts-$h"
  case $h in
    number) seeds=$here/corpus/number ;;
    reference) seeds=$here/corpus/reference ;;
    *) seeds=$here/corpus/net ;;
  esac
  cp "$seeds"/* "$work/$h/"
  cp "$here/regress/$h"/* "$work/$h/" 2>/dev/null || true
  echo "fuzz: $h for ${secs}s"
  if ! "$build/tests/fuzz/fuzz-$h" -max_total_time="$secs" -timeout=10 \
      -rss_limit_mb=2048 -max_len=4096 -dict="$here/fuzz.dict" \
      -print_final_stats=1 -artifact_prefix="$work/artifacts-$h/" \
      "$work/$h" >"$work/$h.log" 2>&1; then
    status=1
    echo "fuzz: $h FAILED"
    grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$work/$h.log" | head -20
    for a in "$work/artifacts-$h"/*; do
      [ -f "$a" ] || continue
      echo "--- $a (base64):"; base64 "$a" | head -40
    done
  else
    grep -E 'stat::number_of_executed_units|cov:' "$work/$h.log" | tail -2
  fi
done
exit $status
