## Every file format byte for byte (golden files), on a notebook the reference bot started: its multi-line
## markers and TODO forms are read (a re-delivered message is a duplicate), hand-written lines are kept,
## forged markers and injected headings are neutralized, and the chat's time zone is stated on each entry.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
golden="$M2G_SRC/tests/cli/m2g-commit/golden"
[ -e /usr/share/zoneinfo/Europe/Berlin ] || skip "no tzdata"
new_remote remote.git
seed_remote remote.git note.md "$golden/seed-note.md"
seed_remote remote.git todo.md "$golden/seed-todo.md"
m2g-commit --remote ./remote.git < "$golden/jobs.jsonl" > out.jsonl
for file in note.md todo.md idea.md inbox.md tool.md trips/2024/rome.md; do
  show remote.git "$file" > actual
  test_cmp "$golden/expected/$file" actual
done
python3 - <<'PY' || fail "results do not say which jobs were duplicates"
import json
results = {}
for line in open("out.jsonl"):
    d = json.loads(line)
    if d["kind"] == "result":
        results[d["id"]] = d["duplicate"]
assert results.pop("42:100") is True and results.pop("42:200") is True, results
assert len(results) == 10 and not any(results.values()), results
PY
[ "$(git -C remote.git rev-list --count main)" = 3 ] || fail "the batch took more than one commit"
git -C remote.git log -1 --format=%s main | grep -qx 'm2g: 10 notes (idea.md, inbox.md, note.md, todo.md, tool.md, trips/2024/rome.md)' ||
  fail "commit subject: $(git -C remote.git log -1 --format=%s main)"
git -C remote.git fsck --strict --no-progress --no-dangling || fail "git fsck"
