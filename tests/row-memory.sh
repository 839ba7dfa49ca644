#!/bin/sh
# row-memory.sh -- a matrix row (or a matrix's rows) longer than
# FADJ_MAX_WIDTH is refused as it is read, at the first entry (row) too
# many, before it costs memory: a 10 MB network whose input row has
# 5*10^6 entries and a 20 MB reference of 10^7 zeros in one row are
# refused with FILE:LINE:COL and exit 3 under a 256 MB cap on virtual
# memory (they took 431 MB and 881 MB when the row was read whole
# first).  So is a row longer than the first, at its entry one too many
# (a second row of 5*10^6 entries after a first of 2).  Skipped (77)
# where the cap cannot be set or a tiny run does
# not fit under it (sanitizer builds reserve terabytes of address space).

set -u
. "${top_srcdir:-.}/tests/lib.sh"
EXPECT_QUIET_FAILURES=1
explain="$top_builddir/src/fadj-explain"
audit="$top_builddir/src/fadj-audit"
ex="$top_srcdir/examples/relu-rational.net"
WIDTH=$(sed -n 's/^#define FADJ_MAX_WIDTH \([0-9]*\).*/\1/p' "$top_srcdir/src/fadj.h")
CAP=262144                      # KiB of virtual memory

capped () { ( ulimit -v "$CAP" 2>/dev/null || exit 77; exec "$@" ); }
capped "$explain" -o /dev/null "$ex" >/dev/null 2>&1
case $? in
  0) ;;
  *) echo "row-memory: a small run does not fit under ulimit -v $CAP; skipped"; exit 77 ;;
esac

# "input [" then " 0" per entry: entry K starts at column 7 + 2K.
awk 'BEGIN { printf "input ["; for (i = 0; i < 5000000; i++) printf " 0"; print "]"; print "layer identity weights [1]" }' > "$tmp/wide.net"
expect 3 "input row of 5e6 entries" -- capped "$explain" -o "$tmp/doc.tex" "$tmp/wide.net"
grep_in err "^$tmp/wide.net:1:$((7 + 2 * (WIDTH + 1))): error: a row of the matrix has more than $WIDTH entries (the limit is $WIDTH)\$" "input row"
if [ -e "$tmp/doc.tex" ]; then bad "input row: a document was written"; else ok; fi

# "gradient 1 weights [" (20 characters) then " 0" per entry.
awk 'BEGIN { printf "gradient 1 weights ["; for (i = 0; i < 10000000; i++) printf " 0"; print "]" }' > "$tmp/wide.ref"
expect 3 "reference row of 1e7 zeros" -- capped "$audit" --reference="$tmp/wide.ref" "$ex"
grep_in err "^$tmp/wide.ref:1:$((20 + 2 * (WIDTH + 1))): error: a row of the matrix has more than $WIDTH entries (the limit is $WIDTH)\$" "reference row"

# WIDTH + 1 rows of one entry, "0;" each after "input [": row K starts
# at column 8 + 2(K - 1); refused at the row one too many.
awk -v n="$WIDTH" 'BEGIN { printf "input ["; for (i = 0; i <= n + 10; i++) printf "0;"; print "0]"; print "layer identity weights [1]" }' > "$tmp/tall.net"
expect 3 "input of WIDTH + 1 rows" -- capped "$explain" "$tmp/tall.net"
grep_in err "^$tmp/tall.net:1:$((8 + 2 * WIDTH)): error: the matrix has more than $WIDTH rows (the limit is $WIDTH)\$" "rows"

# At the limit: a row of exactly WIDTH entries is read (and refused
# later for its shape, not its length).
awk -v n="$WIDTH" 'BEGIN { printf "gradient 1 weights ["; for (i = 0; i < n; i++) printf " 0"; print "]" }' > "$tmp/edge.ref"
expect 2 "reference row of WIDTH entries" -- capped "$audit" --reference="$tmp/edge.ref" "$ex"
no_grep_in err "more than $WIDTH" "reference row at the limit"

# A ragged row is refused as it is read too (issue 16 item 6): a second
# row of 5*10^6 entries after a first of 2, at its third entry.
# "input [0 0;" then " 0" per entry: entry K of row 2 at column 11 + 2K.
awk 'BEGIN { printf "input [0 0;"; for (i = 0; i < 5000000; i++) printf " 0"; print "]"; print "layer identity weights [1]" }' > "$tmp/ragged.net"
expect 2 "second row of 5e6 entries" -- capped "$explain" -o "$tmp/doc.tex" "$tmp/ragged.net"
grep_in err "^$tmp/ragged.net:1:17: error: row 2 has more entries than row 1 (2)\$" "ragged input"
# "gradient 1 weights [0 0;" (24 characters): entry K of row 2 at 24 + 2K.
awk 'BEGIN { printf "gradient 1 weights [0 0;"; for (i = 0; i < 5000000; i++) printf " 0"; print "]" }' > "$tmp/ragged.ref"
expect 2 "reference: second row of 5e6 entries" -- capped "$audit" --reference="$tmp/ragged.ref" "$ex"
grep_in err "^$tmp/ragged.ref:1:30: error: row 2 has more entries than row 1 (2)\$" "ragged reference"

echo "row-memory: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
