#!/bin/sh
# batch-memory.sh -- a batch audit's memory (issue 15: at most 2x the
# weights' size at 256 bits): 2 sigmoid layers of width 64, 64 samples,
# --check=directional, --jobs=1 (no thread's arena), under a 28 MB cap
# on virtual memory.  It needs about 14 MB since the directional check's
# tangent runs along the F-propagation with one graph of sigma per
# sample at a time, the batch's loss is built sample by sample and the
# trace drops Y^l, sigma'(Y^l) and X^l_* once the two-step rule has used
# them; it needed about 44 MB when every layer's graphs of every sample
# were kept (and the audit then hung at its exit instead of ending with
# status 3: the out-of-memory path took the allocator's lock twice).
# The capped report is byte-identical to the uncapped one.  Skipped (77)
# where the cap cannot be set or a tiny run does not fit under it
# (sanitizer builds reserve terabytes of address space).

set -u
. "${top_srcdir:-.}/tests/lib.sh"
audit="$top_builddir/src/fadj-audit"
ex="$top_srcdir/examples/relu-rational.net"
CAP=28000                       # KiB of virtual memory

capped () { ( ulimit -v "$CAP" 2>/dev/null || exit 77; exec "$@" ); }
capped "$audit" --jobs=1 -o /dev/null "$ex" >/dev/null 2>&1
case $? in
  0) ;;
  *) echo "batch-memory: a small run does not fit under ulimit -v $CAP; skipped"; exit 77 ;;
esac

# Weights and data with three decimals in [-1, 1], from a fixed LCG.
awk 'BEGIN {
  r = 12345; n = 64; m = 64
  for (s = 0; s < m; s++) {
    printf "sample ["
    for (i = 0; i < 2 * n; i++) {
      r = (r * 1103515245 + 12345) % 2147483648
      printf "%s%.3f", (i == n ? "] -> [" : (i > 0 ? ", " : "")), (r % 2001 - 1000) / 1000
    }
    print "]"
  }
  print "batch sum"
  for (l = 0; l < 2; l++) {
    print "layer sigmoid"; print "weights ["
    for (i = 0; i < n; i++) {
      for (j = 0; j < n; j++) {
        r = (r * 1103515245 + 12345) % 2147483648
        printf "%.3f ", (r % 2001 - 1000) / 1000
      }
      print ""
    }
    print "]"
  }
  print "loss half_squared"
}' > "$tmp/batch.net"

"$audit" --jobs=1 --check=directional -o "$tmp/free.txt" "$tmp/batch.net" >/dev/null 2>&1
st=$?
if [ "$st" -eq 0 ]; then ok; else bad "uncapped batch audit: exit $st"; fi
expect 0 "batch audit under ulimit -v $CAP" -- capped timeout 60 "$audit" --jobs=1 --check=directional -o "$tmp/capped.txt" "$tmp/batch.net"
if cmp -s "$tmp/free.txt" "$tmp/capped.txt"; then ok; else bad "the capped report differs"; fi
grep_in capped.txt "^verification: interval-directional: agree" "the check's verdict"

# Out of memory ends with status 3 and its message, not a hang: a cap
# the batch cannot fit in (the timeout only guards the test itself).
CAP=9000
capped "$audit" --jobs=1 -o /dev/null "$ex" >/dev/null 2>&1
if [ $? -eq 0 ]; then
  expect 3 "batch audit under ulimit -v $CAP" -- capped timeout 60 "$audit" --jobs=1 --check=directional -o "$tmp/small.txt" "$tmp/batch.net"
  grep_in err "out of memory" "out of memory message"
fi

echo "batch-memory: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
