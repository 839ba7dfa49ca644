#!/bin/sh
# fuzz-replay.sh -- replay the fuzz corpus and every regression input
# (tests/fuzz/regress/: crashes the fuzzers found, kept so they stay
# fixed) through the four harnesses, built with an ordinary main.  A
# harness aborts on a failed oracle, and the sanitizer build and valgrind
# (.ci/run) see the same runs.
: "${top_srcdir:=.}" "${top_builddir:=.}"
fz=$top_srcdir/tests/fuzz
pass=0 fail=0
run () {
  name=$1; shift
  prog=$top_builddir/tests/fuzz/replay-$name
  for f in "$@"; do
    [ -f "$f" ] || continue
    if $FADJ_WRAPPER "$prog" "$f" >/dev/null 2>&1; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1)); echo "FAIL: replay-$name $f"
    fi
  done
}
run net $fz/corpus/net/* $fz/regress/net/* $fz/regress/pipeline/*
run number $fz/corpus/number/* $fz/regress/number/*
run pipeline $fz/corpus/net/* $fz/regress/pipeline/* $fz/regress/net/*
run reference $fz/corpus/reference/* $fz/regress/reference/*
echo "fuzz-replay: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
