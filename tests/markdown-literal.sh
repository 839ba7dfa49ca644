#!/bin/sh
# markdown-literal.sh -- a user's text is literal in fadj-explain's
# Markdown: hostile titles (links, images, raw HTML, entities, maths,
# strikethrough, autolinks) rendered by a real CommonMark renderer
# (cmark-gfm, as CommonMark and with GitHub's extensions, raw HTML let
# through) give no element and no attribute, and every '$' of the title
# is escaped, so that no renderer with a maths extension (KaTeX and
# MathJax as Jupyter and GitHub run them take $...$ and $$...$$) sees
# mathematics in it.  Skipped (77) without cmark-gfm.

set -u
. "${top_srcdir:-.}/tests/lib.sh"
prog="$top_builddir/src/fadj-explain"
command -v cmark-gfm > /dev/null 2>&1 || { echo "no cmark-gfm: skipped"; exit 77; }

n=0
while IFS= read -r title; do
  n=$((n + 1))
  # The title as fadj-net(5) writes it: \ and " escaped.
  esc=$(printf '%s' "$title" | sed 's/\\/\\\\/g; s/"/\\"/g')
  printf 'title "%s"\ninput [1]\ntarget [0]\nlayer identity\nweights [1]\nloss squared\n' \
    "$esc" > "$tmp/t.net"
  expect 0 "title $n" -- "$prog" --format=markdown "$tmp/t.net"
  head -n 1 "$tmp/out" > "$tmp/title.md"
  for ext in "" "-e autolink -e strikethrough -e table -e tagfilter"; do
    # shellcheck disable=SC2086
    cmark-gfm --unsafe $ext "$tmp/title.md" > "$tmp/title.html"
    # The heading and nothing inside it but text: a tag is the only way
    # to an element or an attribute (text writes < as &lt;).
    if sed 's/^<h1>//; s/<\/h1>$//' "$tmp/title.html" | grep -q '<'; then
      bad "title $n [$ext]: markup from the title: $(cat "$tmp/title.html")"
    else ok; fi
  done
  # No unescaped '$' (a backslash before every one).
  if sed 's/\\\\//g' "$tmp/title.md" | grep -q '\(^\|[^\\]\)\$'; then
    bad "title $n: an unescaped \$: $(cat "$tmp/title.md")"
  else ok; fi
done <<'TITLES'
[x](javascript:alert(1)) ![i](http://evil.example/t.png)
<script>alert(1)</script> <img src=x onerror=alert(1)> <b>bold</b>
$$x^2$$ and $\href{javascript:alert(1)}{x}$ and \(y\) \[z\]
&amp; &#x6A;avascript: &lt;b&gt; ~~struck~~ **strong** _em_ `code`
<http://evil.example/> https://evil.example/a.png www.evil.example
[ref]: http://evil.example/ "t" [ref] ![ref]
# heading | table | --- ^sup^ \ backslash
TITLES

# File names, which a document of several exercises writes as code spans:
# backticks in the name cannot close the span (before: File `a`[x](...)`b`
# gave a javascript: link), and a blank line (two newlines) cannot end the
# paragraph: control characters are written \xNN.
ex="$top_srcdir/examples/boughammoura-a221.net"
n=0
for name in 'a`[x](javascript:alert(1))`b.net' '`<img src=x>.net' 'c``![i](http:evil.example)```.net' \
            "$(printf 'd\n\n[x](javascript:alert(1))\033.net')"; do
  n=$((n + 1))
  cp "$ex" "$tmp/$name"
  expect 0 "file name $n" -- "$prog" --format=markdown "$tmp/$name" "$tmp/$name"
  grep '^File ' "$tmp/out" | head -n 1 > "$tmp/file.md"
  cmark-gfm --unsafe "$tmp/file.md" > "$tmp/file.html"
  # One paragraph: File <code>...</code>., nothing else as markup.
  if sed 's/^<p>File <code>//; s/<\/code>\.<\/p>$//' "$tmp/file.html" | grep -q '<'; then
    bad "file name $n: markup from the name: $(cat "$tmp/file.html")"
  else ok; fi
  [ "$(wc -l < "$tmp/file.html")" -eq 1 ] && ok || bad "file name $n: not one paragraph"
  rm -f "$tmp/$name"
done

echo "markdown-literal.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
