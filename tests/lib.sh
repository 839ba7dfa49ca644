# lib.sh -- what the shell tests share: sourced (". tests/lib.sh") after
# setting nothing; it sets the source and build directories' defaults, a
# temporary directory $tmp removed on exit, the counters, and the checks.
# Each check counts one pass or prints one "FAIL: ..." line.

: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 skip=0

ok () { pass=$((pass + 1)); }
bad () { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect STATUS DESCRIPTION -- COMMAND...: runs COMMAND with its output in
# $tmp/out and $tmp/err, and checks its exit status.  With
# EXPECT_QUIET_FAILURES=1, a failing run must also leave stdout empty.
expect () {
  want=$1; what=$2; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"; got=$?
  if [ "$got" -eq "$want" ]; then ok; else
    bad "$what: exit $got, expected $want"; sed 's/^/  stderr: /' "$tmp/err" | head -20; fi
  if [ "${EXPECT_QUIET_FAILURES:-0}" = 1 ] && [ "$want" -ne 0 ] && [ -s "$tmp/out" ]; then
    bad "$what: output on stdout"; fi
}
empty_stdout () { if [ -s "$tmp/out" ]; then bad "$1: output on stdout"; else ok; fi; }
# grep_in FILE PATTERN WHAT: PATTERN occurs in $tmp/FILE (no_grep_in: not).
grep_in () { if grep -q -e "$2" "$tmp/$1"; then ok; else bad "$3: '$2' not in $1"; fi; }
no_grep_in () { if grep -q -e "$2" "$tmp/$1"; then bad "$3: '$2' in $1"; else ok; fi; }
# A document or report never shows NaN or infinity as a value (C's or
# MPFR's spellings; \infty is not used by the documents at all).
no_nan_inf () {
  if grep -q -i -e 'nan' -e 'inf' "$tmp/out"; then bad "$1: NaN/inf printed"; else ok; fi
}

# signal_keeps_output TARGET COMMAND...: for SIGTERM and SIGHUP, start
# COMMAND (a long run writing -o TARGET, which holds "OLD") in the
# background, wait until it has created its temporary file beside TARGET
# (the point after which it must clean up), send the signal, and check
# that it died of it, removed its temporary file and left TARGET as it
# was.  The wait is for that condition, never for a fixed time: on a busy
# machine the program may take long to get there, so the timeout (about
# two minutes of polls) is only a guard against a program that never
# does.  The run after the temporary exists (seconds of arithmetic) is
# far longer than one poll, so the signal finds it still running.  (Not
# SIGINT: a non-interactive shell starts background jobs with SIGINT
# ignored, and the programs rightly leave it ignored.)
signal_keeps_output () {
  target=$1; shift
  for sig in TERM HUP; do
    "$@" 2>/dev/null &
    pid=$!
    polls=0
    until ls -a "$tmp" | grep -q '^\.fadj-'; do
      kill -0 "$pid" 2>/dev/null || break
      polls=$((polls + 1))
      [ $polls -lt 1200 ] || break
      sleep 0.1
    done
    if ls -a "$tmp" | grep -q '^\.fadj-'; then ok; else bad "SIG$sig: no temporary file while running"; fi
    kill -s "$sig" "$pid"; wait "$pid"; got=$?
    if [ $got -gt 128 ]; then ok; else bad "SIG$sig: exit $got, expected death by signal"; fi
    if ls -a "$tmp" | grep -q '^\.fadj-'; then bad "SIG$sig: temporary file left behind"; rm -f "$tmp"/.fadj-*; else ok; fi
    if [ "$(cat "$target")" = OLD ]; then ok; else bad "SIG$sig clobbered -o"; fi
  done
}
