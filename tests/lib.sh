# lib.sh -- what the shell tests share: sourced (". tests/lib.sh") after
# setting nothing; it sets the source and build directories' defaults, a
# temporary directory $tmp removed on exit, the counters, and the checks.
# Each check counts one pass or prints one "FAIL: ..." line.

: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 skip=0

ok () { pass=$((pass + 1)); }

# python_with MODULES TEST: set $py to the first Python 3 ($PYTHON3,
# python3, /usr/bin/python3) that can "import MODULES", or skip TEST
# (exit 77) when there is none.
python_with () {
  py=
  for p in "${PYTHON3:-}" python3 /usr/bin/python3; do
    [ -n "$p" ] || continue
    if "$p" -c "import $1" >/dev/null 2>&1; then py=$p; return 0; fi
  done
  echo "$2: no python3 that can import $1; skipped"
  exit 77
}
bad () { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*"; }

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

# located_errors DIR EXT MIN COMMAND...: for every DIR/NAME.EXT, COMMAND
# DIR/NAME.EXT exits 2 with nothing on stdout and exactly one line on
# stderr, DIR/NAME.EXT:$(cat DIR/NAME.err); and there are at least MIN.
located_errors () {
  le_dir=$1 le_ext=$2 le_min=$3 le_n=0; shift 3
  for le_f in "$le_dir"/*."$le_ext"; do
    [ -e "$le_f" ] || continue
    le_n=$((le_n + 1))
    expect 2 "$le_f" -- "$@" "$le_f"
    empty_stdout "$le_f"
    le_want="$le_f:$(cat "${le_f%."$le_ext"}.err")"
    if [ "$(cat "$tmp/err")" = "$le_want" ]; then ok; else
      bad "$le_f: message"; echo "  got:  $(cat "$tmp/err")"; echo "  want: $le_want"; fi
  done
  [ "$le_n" -ge "$le_min" ] && ok || bad "expected at least $le_min .$le_ext files in $le_dir, found $le_n"
}

# net FILE INPUT ACT: $tmp/FILE, a network of one neuron (weight 1,
# target 1) with that input and activation, titled $net_title if that is
# set (the input is then on line 2, else on line 1).
net () {
  { if [ -n "${net_title:-}" ]; then printf 'title "%s"\n' "$net_title"; fi
    printf 'input [%s]\ntarget [1]\nlayer %s\n  weights [1]\nloss half_squared\n' "$2" "$3"
  } > "$tmp/$1"
}

# beyond_range PROG CASE...: each CASE "LITERAL ACT", a network of one
# neuron (net), is refused by PROG as beyond the supported range of
# values: exit 3, nothing on stdout, the message on stderr.
beyond_range () {
  br_prog=$1; shift
  for br_case; do
    set -- $br_case
    net n.net "$1" "$2"
    expect 3 "$2($1)" -- "$br_prog" "$tmp/n.net"
    empty_stdout "$2($1)"
    grep_in err "beyond the supported range" "$2($1)"
  done
}

# exact_growth PROG HINT: input 1/3 through four identity layers of
# weight 7e99999 ($tmp/grow.net): X^4 = 7^4 10^399996 / 3 has a numerator
# of about 4 x 332193 > 10^6 = FADJ_MAX_EXACT_BITS bits, so PROG refuses
# the exact derivation: exit 3, nothing on stdout, a message that gives
# the limit and HINT (the way out).
exact_growth () {
  { echo 'input [1/3]'; echo 'target [0]'
    for i in 1 2 3 4; do echo 'layer identity'; echo 'weights [7e99999]'; done
    echo 'loss half_squared'; } > "$tmp/grow.net"
  expect 3 "exact growth" -- "$1" "$tmp/grow.net"
  empty_stdout "exact growth"
  grep_in err "exceed 1000000 bits" "exact growth"
  grep_in err "$2" "exact growth"
}

# out_of_memory OUT PROG KB...: 90000 inputs into 10 relu neurons
# ($tmp/big.net, 9 x 10^5 weights, near the entry limit) through PROG -o
# $tmp/OUT under each ulimit -v KB: the run ends with exit 0, or with the
# message and exit 3, never a crash or an abort.  Skipped (one skip)
# under AddressSanitizer, which reserves terabytes of address space, and
# under a wrapper such as valgrind.
out_of_memory () {
  case "${FADJ_WRAPPER:-}${ASAN_OPTIONS:-}" in
    '') ;;
    *) skip=$((skip + 1)); return ;;
  esac
  oom_out=$1 oom_prog=$2; shift 2
  awk 'BEGIN { printf "input ["; for (i = 0; i < 90000; i++) printf " %d", i % 7; print "]";
    print "target [1 1 1 1 1 1 1 1 1 1]"; print "layer relu"; print "weights [";
    for (j = 0; j < 10; j++) { for (i = 0; i < 90000; i++) printf " %d", (i + j) % 5 - 2; print ";" }
    print "]"; print "loss half_squared" }' > "$tmp/big.net"
  for kb; do
    (ulimit -v $kb; exec "$oom_prog" -o "$tmp/$oom_out" "$tmp/big.net") >"$tmp/out" 2>"$tmp/err"; got=$?
    if [ $got -eq 3 ] || [ $got -eq 0 ]; then ok; else bad "ulimit -v $kb: exit $got"; head -3 "$tmp/err"; fi
    if [ $got -eq 3 ]; then grep_in err "out of memory" "ulimit -v $kb"; fi
  done
}
# A document or report never shows NaN or infinity as a value (C's or
# MPFR's spellings; \infty is not used by the documents at all).
no_nan_inf () {
  if grep -q -i -e 'nan' -e 'inf' "$tmp/out"; then bad "$1: NaN/inf printed"; else ok; fi
}

# signal_keeps_output TARGET COMMAND...: for every catchable signal whose
# default action ends the process (SIGINT, SIGQUIT, SIGTERM, SIGHUP,
# SIGPIPE, SIGUSR1, SIGUSR2, SIGALRM, SIGXCPU, SIGVTALRM), start
# COMMAND (a long run writing -o TARGET, which holds "OLD") in the
# background, wait until it has created its temporary file beside TARGET
# (the point after which it must clean up), send the signal, and check
# that it died of it, removed its temporary file and left TARGET as it
# was.  The wait is for that condition, never for a fixed time: on a busy
# machine the program may take long to get there, so the timeout (about
# two minutes of polls) is only a guard against a program that never
# does.  The run after the temporary exists (seconds of arithmetic) is
# far longer than one poll, so the signal finds it still running.  (A
# non-interactive shell starts background jobs with SIGINT and SIGQUIT
# ignored, and the programs rightly leave an ignored signal ignored:
# env --default-signal gives them back their default, as a terminal's
# Ctrl-C and Ctrl-\ find them.)
signal_keeps_output () {
  target=$1; shift
  for sig in INT QUIT TERM HUP PIPE USR1 USR2 ALRM XCPU VTALRM; do
    # env --default-signal: a signal the test's own caller ignores (CI
    # runners often ignore SIGPIPE) reaches the program with its default.
    # ulimit -c 0: SIGQUIT's default dumps core; no core file is left.
    (ulimit -c 0; exec env --default-signal "$@") 2>/dev/null &
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

# --help and --version of program $1 that cannot be written (a full
# device, a closed standard output): exit 3 and a message, never a
# silent success.
help_write_errors () {
  for opt in --help --version; do
    "$1" $opt > /dev/full 2> "$tmp/err"; got=$?
    [ $got -eq 3 ] && ok || bad "$opt > /dev/full: exit $got"
    grep_in err "error writing to standard output" "$opt > /dev/full"
    "$1" $opt >&- 2> "$tmp/err"; got=$?
    [ $got -eq 3 ] && ok || bad "$opt, closed stdout: exit $got"
    grep_in err "error writing to standard output" "$opt, closed stdout"
  done
}
