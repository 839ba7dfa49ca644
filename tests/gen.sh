#!/bin/sh
# gen.sh -- fadj-gen: options, reproducible seeds, classroom numbers only,
# files that fadj-explain derives and verifies, exact answers with
# --rational, no relu argument exactly at the kink, usage errors.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
gen="$top_builddir/src/fadj-gen"
explain="$top_builddir/src/fadj-explain"

# The numbers of a network file, one a line (inside the brackets).
numbers () { sed -n 's/^ *\(input\|target\|weights\|bias\) *\[\(.*\)\].*$/\2/p' "$1" | tr ',;' '  ' | tr -s ' ' '\n' | sed '/^$/d'; }
# The weights alone.
weights () { sed -n 's/^ *weights *\[\(.*\)\].*$/\1/p' "$1" | tr ',;' '  ' | tr -s ' ' '\n' | sed '/^$/d'; }

expect 0 "--help" -- "$gen" --help
for o in --output --sizes --activation --loss --seed --rational --no-bias --title --help --version; do
  grep_in out "$o" "--help"
done
expect 0 "--version" -- "$gen" --version
grep_in out "fadj-gen (fadj) " "--version"

# The same seed gives the same file; thirty seeds give thirty files.
"$gen" --seed=5 > "$tmp/a.net"; "$gen" --seed=5 > "$tmp/b.net"
if cmp -s "$tmp/a.net" "$tmp/b.net"; then ok; else bad "--seed=5 twice differs"; fi
for s in $(seq 1 30); do "$gen" --seed=$s | sed 1,2d; done | sort | uniq -c \
  | awk '$1 > 1 && /weights/ { n++ } END { exit n > 3 }' && ok \
  || bad "thirty seeds repeat their weights"
for s in $(seq 1 30); do "$gen" --seed=$s --sizes=3,2,1 | sed 1,2d | md5sum; done \
  | sort -u | wc -l | grep -qx ' *30' && ok || bad "thirty seeds: not thirty different files"

# Every number is a small integer, a half or a tenth; no weight is 0; the
# sizes are those asked for; fadj-explain derives and verifies the file.
for s in 1 2 3 4 5 6 7 8; do
  f="$tmp/s$s.net"
  "$gen" --seed=$s --sizes=3,4,2 --activation=tanh,sigmoid > "$f"
  if numbers "$f" | grep -Evx -e '-?[0-3]' -e '-?[0-2]\.5' -e '-?0\.[1-9]' | grep -q .; then
    bad "seed $s: a number that is not a classroom number"; numbers "$f" | tr '\n' ' '; echo
  else ok; fi
  if weights "$f" | grep -qx -e '-\{0,1\}0'; then bad "seed $s: a zero weight"; else ok; fi
  # Two weight matrices 4x3 and 2x4: 12 + 8 entries.
  [ "$(weights "$f" | wc -l)" -eq 20 ] && ok || bad "seed $s: not 20 weights"
  expect 0 "explain seed $s" -- "$explain" "$f"
  grep_in out 'A\[3, 4, 2\]' "explain seed $s"
  grep_in out 'is \\texttt{tanh}' "explain seed $s"
done

# A sigmoid output gets a target of 0 or 1.
for s in 1 2 3 4 5 6; do
  "$gen" --seed=$s --sizes=2,2,3 > "$tmp/t.net"
  grep -q '^target \[[01], [01], [01]\]$' "$tmp/t.net" && ok || bad "seed $s: sigmoid target not 0/1"
done

# A softmax output or a categorical cross-entropy gets a one-hot target,
# a binary cross-entropy 0 or 1 each; the loss is defined in the
# derivation and in every hand-rounded one (--carry=1 to 4), so that
# fadj-explain works on every such exercise in every mode.  Seeds 2 and
# 3 of the softmax exercise have such draws redrawn.
for s in 1 2 3 4 5 6 7 8 9 10; do
  f="$tmp/ce$s.net"
  "$gen" --seed=$s --sizes=3,3,3 --activation=softplus,softmax \
    --loss=categorical_cross_entropy > "$f"
  grep -Eq '^target \[(1, 0, 0|0, 1, 0|0, 0, 1)\]$' "$f" && ok \
    || bad "seed $s: softmax target not one-hot"
  for mode in --carry=1 --carry=2 --carry=3 --carry=4 --worksheet; do
    expect 0 "categorical seed $s $mode" -- "$explain" $mode "$f"
  done
  f="$tmp/bce$s.net"
  "$gen" --seed=$s --sizes=2,3,2 --activation=tanh,sigmoid \
    --loss=cross_entropy > "$f"
  grep -q '^target \[[01], [01]\]$' "$f" && ok \
    || bad "seed $s: binary cross-entropy target not 0/1"
  for mode in --carry=1 --carry=4; do
    expect 0 "binary seed $s $mode" -- "$explain" $mode "$f"
  done
done
grep -q 'draw [0-9]*: earlier draws reached an output where the loss is undefined' \
  "$tmp/ce2.net" && ok || bad "softmax seed 2: no redraw"

# Every file states a classroom learning rate, so that --steps works as
# it is; a rate that moves no parameter by more than 1/2: the elu
# exercise of seed 13 has gradients up to 105.675 (so 0.001), the
# default one of seed 4 below 1/2 (so 1).
for s in 4 13; do
  for cfg in "" "--sizes=2,3,2 --activation=elu,identity --loss=squared"; do
    "$gen" --seed=$s $cfg > "$tmp/rate.net"
    grep -Eqx 'rate (1|0\.5|0\.1|0\.05|0\.01|0\.005|0\.001|0\.0005|0\.0001)' \
      "$tmp/rate.net" && ok || bad "seed $s $cfg: no classroom rate"
    expect 0 "--steps on exercise $s $cfg" -- "$explain" --steps=2 "$tmp/rate.net"
    expect 0 "--steps local on exercise $s $cfg" -- "$explain" --steps=2 \
      --update=local "$tmp/rate.net"
  done
done
"$gen" --seed=13 --sizes=2,3,2 --activation=elu,identity --loss=squared \
  | grep -qx 'rate 0.001' && ok || bad "seed 13 elu: rate not 0.001"
"$gen" --seed=4 | grep -qx 'rate 1' && ok || bad "seed 4: rate not 1"

# --rational: relu hidden layers, an identity output, every answer exact,
# and no relu argument exactly 0 (seed 35's first draw has one).
for s in $(seq 30 40); do
  f="$tmp/r$s.net"
  "$gen" --rational --seed=$s --sizes=2,3,2,1 > "$f"
  grep -q '^layer relu$' "$f" && grep -q '^layer identity$' "$f" && ok || bad "rational seed $s: layers"
  expect 0 "rational seed $s" -- "$explain" "$f"
  no_grep_in out '\\approx' "rational seed $s"
  grep_in out 'agree exactly' "rational seed $s"
  if grep -Eq '\\sigma(_\{[0-9]+\})?\(0\)' "$tmp/out"; then bad "rational seed $s: relu at 0"; else ok; fi
done
grep -q 'draw 2' "$tmp/r35.net" && ok || bad "seed 35: the kink was not redrawn"

# Options shape the file.
expect 0 "--no-bias" -- "$gen" --no-bias
no_grep_in out '^ *bias' "--no-bias"
expect 0 "--activation list" -- "$gen" --sizes=2,2,2,1 --activation='leaky_relu(0.1),relu,identity'
grep_in out '^layer leaky_relu(0.1)$' "--activation list"
grep_in out '^layer identity$' "--activation list"
expect 0 "--loss" -- "$gen" --loss=squared
grep_in out '^loss squared$' "--loss"
expect 0 "--title" -- "$gen" --title='Quiz "3"'
grep_in out '^title "Quiz \\"3\\""$' "--title"
expect 0 "-o" -- "$gen" -o "$tmp/o.net" --seed=9
[ -s "$tmp/out" ] && bad "-o: output on stdout" || ok
"$gen" --seed=9 | cmp -s - "$tmp/o.net" && ok || bad "-o: not the same file"

# --samples=M: a batch of M samples, each its own input and target (a
# sigmoid output: targets of 0 or 1; a softmax: one-hot), recorded in
# the comment; every mode of fadj-explain takes it.
expect 0 "--samples=4" -- "$gen" --samples=4 --seed=2
grep_in out '^# Written by fadj-gen .* --samples=4 --seed=2$' "--samples: comment"
[ "$(grep -c '^sample \[[^]]*\] -> \[[01]\]$' "$tmp/out")" -eq 4 ] && ok \
  || bad "--samples=4: not 4 samples with 0/1 targets"
no_grep_in out '^input\|^target' "--samples: no input/target form"
[ "$(grep '^sample' "$tmp/out" | sed 's/ ->.*//' | sort -u | wc -l)" -gt 1 ] \
  && ok || bad "--samples=4: every sample the same input"
cp "$tmp/out" "$tmp/batch.net"
for mode in "" "--worksheet" "--carry=2" "--format=text" "--steps=2"; do
  # shellcheck disable=SC2086
  expect 0 "batch exercise, mode [$mode]" -- "$explain" $mode "$tmp/batch.net"
done
expect 0 "--samples softmax" -- "$gen" --samples=3 --sizes=2,3 \
  --activation=softmax --loss=categorical_cross_entropy --seed=7
[ "$(grep -c -e '-> \[1, 0, 0\]$' -e '-> \[0, 1, 0\]$' -e '-> \[0, 0, 1\]$' \
      "$tmp/out")" -eq 3 ] && ok || bad "--samples softmax: not one-hot"
# One sample stays the input/target form.
expect 0 "--samples=1" -- "$gen" --samples=1 --seed=2
"$gen" --seed=2 | cmp -s - "$tmp/out" && ok || bad "--samples=1: another file"

# --count=N -o DIR: exNN.net is the exercise of seed S + NN - 1, the same
# file as --seed alone writes; names sort (two digits, three from 100).
expect 0 "--count" -- "$gen" --count=12 --seed=5 --sizes=2,3,1 -o "$tmp/set"
empty_stdout "--count"
n=0
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
  seed=$((1${i} - 100 + 4))
  "$gen" --seed=$seed --sizes=2,3,1 | cmp -s - "$tmp/set/ex$i.net" \
    && n=$((n + 1)) || bad "--count: ex$i.net is not the file of seed $seed"
done
[ "$n" -eq 12 ] && ok
[ "$(ls "$tmp/set" | wc -l)" -eq 12 ] && ok || bad "--count: not 12 files"
grep_in set/ex12.net '^title "A\[2, 3, 1\], seed 16"$' "--count: the seed in the title"
expect 0 "--count=100" -- "$gen" --count=100 -o "$tmp/set100"
[ -f "$tmp/set100/ex001.net" ] && [ -f "$tmp/set100/ex100.net" ] \
  && [ "$(ls "$tmp/set100" | wc -l)" -eq 100 ] && ok \
  || bad "--count=100: not ex001.net ... ex100.net"
# Without a directory, past the last seed, into a directory that cannot
# be made: refused, nothing written.
expect 2 "--count without -o" -- "$gen" --count=3
grep_in err 'give the directory of the files with -o DIR' "--count without -o"
expect 2 "--count past the seeds" -- "$gen" --count=3 --seed=4294967294 -o "$tmp/none"
[ -e "$tmp/none" ] && bad "--count past the seeds: wrote" || ok
: > "$tmp/plain"
expect 3 "--count into a file" -- "$gen" --count=2 -o "$tmp/plain/sub"
grep_in err "cannot create the directory '$tmp/plain/sub'" "--count into a file"

# Usage errors: exit 2, nothing on stdout.
for args in "--sizes=2" "--sizes=2,0" "--sizes=2,,1" "--sizes=2,65" "--seed=-1" \
            "--seed=x" "--activation=swish" "--loss=hinge" "--rational --activation=sigmoid" \
            "--activation=relu,relu,relu" "--activation=sigmoid(2)" "extra" \
            "--samples=0" "--samples=17" "--count=0" "--count=1001"; do
  # shellcheck disable=SC2086
  expect 2 "$args" -- "$gen" $args
  [ -s "$tmp/out" ] && bad "$args: output on stdout" || ok
done

# A name that is not one: the message form of every program's word options.
expect 2 "--loss=hinge" -- "$gen" --loss=hinge
grep_in err "invalid value 'hinge' for --loss: expected 'half_squared', " "--loss=hinge"
# An activation is a name and at most one number in parentheses: the
# text goes into the file (before: a bias statement rode along, despite
# --no-bias).
expect 2 "--activation with a statement" -- "$gen" --no-bias \
  --activation='leaky_relu(0.1) bias [1] frozen'
grep_in err "for --activation: a name, or a name and one number" "--activation with a statement"
expect 0 "--activation fraction parameter" -- "$gen" --sizes=2,1 --activation='leaky_relu(1/3)'
grep_in out '^layer leaky_relu(1/3)$' "--activation fraction parameter"
expect 2 "--activation=relu,swish" -- "$gen" --activation=relu,swish
grep_in err "invalid value 'swish' for --activation: expected 'identity', " "--activation=swish"

# Past a file size limit (ulimit -f 1: 1024 bytes; a 64,64,64,1 network
# is far longer) the write fails with EFBIG, SIGXFSZ being ignored by the
# program: one message, exit 3, the old file kept, no temporary left.
echo OLD > "$tmp/keep.net"
expect 3 "-o, file size limit" -- sh -c 'ulimit -f 1 && exec "$@"' sh \
  "$gen" --sizes=64,64,64,1 -o "$tmp/keep.net"
grep_in err "error writing .*keep.net.*: File too large" "-o, file size limit"
[ "$(cat "$tmp/keep.net")" = OLD ] && ok || bad "file size limit clobbered -o"
ls -a "$tmp" | grep -q '^\.fadj-' && bad "-o, file size limit: temporary left" || ok
# -o keeps the permission bits of the file it replaces.
chmod 600 "$tmp/keep.net"
expect 0 "-o keeps the mode" -- "$gen" -o "$tmp/keep.net"
[ "$(stat -c %a "$tmp/keep.net")" = 600 ] && ok || bad "-o: mode 600 became $(stat -c %a "$tmp/keep.net")"
# --help and --version that cannot be written: exit 3, a message.
help_write_errors "$gen"

echo "gen.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
