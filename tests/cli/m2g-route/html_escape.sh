## User text echoed in HTML replies has <, > and & escaped (_ and * are harmless in HTML mode
## and stay); the job keeps the raw text.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-route/helpers.inc"
updates > in.jsonl <<'SPEC'
m 1 42 10 a <b>bold</b> & _under_ *star* title
m 2 42 11 /repo https://github.com/a/b?q=<x>&y
c 3 42 cb-1 f:note:10 500
SPEC
m2g-route --allowed-chats 42 --db r.db < in.jsonl > out.jsonl
texts out.jsonl > texts.txt
grep -qF 'a &lt;b&gt;bold&lt;/b&gt; &amp; _under_ *star* title' texts.txt || fail "preview not escaped: $(cat texts.txt)"
grep -qF 'https://github.com/a/b?q=&lt;x&gt;&amp;y' texts.txt || fail "url not escaped: $(cat texts.txt)"
! grep -q '<b>bold' texts.txt || fail "raw HTML from the person reached a reply"
job_field out.jsonl text | grep -xF '"a <b>bold</b> & _under_ *star* title"' > /dev/null || fail "job text changed"
