## A batch that waits on a slow GitHub tells its jobs "committing" while it waits, not only
## when it is answered; a fast batch still gives every job the step just before its result.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
. "$M2G_SRC/tests/cli/m2g-commit/lib_fake.bash"
command -v curl > /dev/null || skip "no curl"
github_repo gh o r
# Held commits: the batch stays out until the test lets it go, however slow the machine is.
start_fake_github gh
curl -sf -X POST "$FAKE_URL/_fake/hold?kind=commit" > /dev/null || fail "cannot hold commits"
export M2G_GITHUB_TOKEN=test-token-1
count() { grep -c "$1" out.jsonl || true; }
committing() { [ "$(count '"step":"committing"')" = 3 ]; }
results() { [ "$(count '"kind":"result"')" = 3 ]; }

mkfifo fifo
m2g-commit --backend github --remote o/r --github-api "$FAKE_URL" --batch-ms 50ms < fifo > out.jsonl 2> err.txt &
pid=$!
track $pid
exec 3> fifo
note_jobs 3 1 >&3
wait_for 60 committing
[ "$(count '"kind":"result"')" = 0 ] || fail "results before the commit was let go: $(cat out.jsonl)"
curl -sf -X POST "$FAKE_URL/_fake/release?kind=commit" > /dev/null || fail "cannot release commits"
wait_for 60 results
exec 3>&-
wait $pid || fail "m2g-commit exited $?"
check_once gh/o/r.git note.md 3
# Each job: its "committing" line, then its result.
python3 - out.jsonl <<'PY' || fail "a result came before its committing line: $(cat out.jsonl)"
import json, sys
seen = set()
for raw in open(sys.argv[1]):
    line = json.loads(raw)
    if line.get("step") == "committing":
        seen.add(line["id"])
    elif line.get("kind") == "result" and line["id"] not in seen:
        sys.exit(1)
PY
