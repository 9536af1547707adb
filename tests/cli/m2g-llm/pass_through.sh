## Lines m2g-llm does not own (other kinds, other ops, titled jobs, unknown kinds) pass byte for byte.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-llm/fake.inc"
start_fake
cat > in.jsonl <<'JSONL'
{"v":1,"kind":"progress","id":"1:1","stage":"m2g-route","step":"queued","pct":10}
{"v":1,"kind":"job","id":"1:2:done","op":"done","todo":{"chat_id":1,"message_id":2}}
{"v":1,"kind":"job","id":"1:3","op":"add","title":"Mine","text":"x","llm":true,  "odd spacing":  1}
{"v":1,"kind":"result","id":"1:4","file":"note.md"}
{"v":1,"kind":"somethingnew","id":"1:5","x":[1,2,3]}
{"v":1,"kind":"update","id":"tg:9","update_id":9,"type":"message","text":"é"}
JSONL
m2g-llm --base-url "$base" --model fake < in.jsonl > out.jsonl
test_cmp in.jsonl out.jsonl
[ "$(fake_stat requests)" = 1 ] || fail "the model was asked about lines that are not owned" # /stats itself
