## Lines pass through byte for byte and in order, from stdin and with --in -; lines that speak
## to no chat (jobs, updates, unknown kinds) cost no Telegram call at all.
. "$M2G_SRC/tests/cli/common.sh"
export M2G_TELEGRAM_TOKEN=1:x M2G_TELEGRAM_API_URL=http://127.0.0.1:9  # nothing listens: no call may be made
cat > in.jsonl <<'LINES'
{"v":1,"kind":"job","id":"1:1","op":"add","text":"a"}
{"v":1,"kind":"update","id":"tg:5","type":"message","text":"x  y é 😀"}
{"v":1,"kind":"futurekind","id":"z","extra":{"b":[1,2]}}
{"kind":"job","v":1,   "id":"1:2","text":"spacing kept"}
{"v":1,"kind":"progress","id":"nochat","pct":5}
LINES
m2g-progress < in.jsonl > out1.jsonl 2> err1.txt
test_cmp in.jsonl out1.jsonl
m2g-progress --in - < in.jsonl > out2.jsonl 2> err2.txt
test_cmp in.jsonl out2.jsonl
if grep -q 'warning' err1.txt err2.txt; then fail "warnings: $(cat err1.txt err2.txt)"; fi
