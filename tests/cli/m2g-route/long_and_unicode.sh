## A 4,096-character message and a message of emoji, CJK and right-to-left text reach the job
## byte for byte; the keyboard's preview of them is cut at a character boundary.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-route/helpers.inc"
long=$(python3 -c 'print(("0123456789abcdef" * 256)[:4096], end="")')
mixed='שלום עולם 👋🏽 مرحبا بالعالم — 日本語のテキスト 👨‍👩‍👧‍👦 ‏!'
{
  msg 1 42 10 "$long"
  click 2 42 cb-1 'f:note:10' 500
  msg 3 42 11 "$mixed"
  click 4 42 cb-2 'f:idea:11' 501
} > in.jsonl
m2g-route --allowed-chats 42 --db r.db < in.jsonl > out.jsonl
"$PY" - out.jsonl "$long" "$mixed" <<'PY'
import json, sys
jobs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if '"kind":"job"' in l]
assert len(jobs) == 2, jobs
assert jobs[0]["text"] == sys.argv[2] and len(jobs[0]["text"]) == 4096, "long text changed"
assert jobs[1]["text"] == sys.argv[3], "unicode text changed: %r" % jobs[1]["text"]
PY
# Every output line is valid UTF-8 (python's strict decoding above would have failed otherwise).
