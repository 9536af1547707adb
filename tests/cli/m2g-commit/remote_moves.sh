## While m2g-commit pushes batch after batch into a large notebook, another writer keeps moving the same
## remote: rejected pushes are planned again on the new tip and retried, and in the end both histories are
## there with nothing lost (and a notebook past 1 MB keeps working).
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
new_remote remote.git
# A 3 MB notebook makes each batch take long enough for the other writer to get in between.
python3 -c '
out = []
for m in range(1000000, 1020000):
    out.append(f"<!--[{m}] [9] [2024-01-01 00:00 UTC]-->\n## old {m}\n" + ("lorem ipsum dolor " * 6) + f"{m}\n\n")
open("note.md", "w").write("".join(out))'
seed_remote remote.git note.md note.md
echo start > start.md
seed_remote remote.git other.md start.md
# Another writer lands commits on the remote while m2g-commit works, as a push from another clone
# would: it adds a line to other.md on the current tip and moves main only if main is still that
# tip (update-ref's compare-and-swap, the same check a push makes). Writing with plumbing keeps its
# cycle short and steady, so its updates fall inside m2g-commit's fetch-to-push windows; a fixed
# number of them leaves m2g-commit room to finish however slow it runs (ASan).
other_update() {
  local old blob tree new
  old=$(git -C remote.git rev-parse refs/heads/main) || fail "rev-parse"
  blob=$({ git -C remote.git show "$old:other.md"; echo "line $1"; } | git -C remote.git hash-object -w --stdin) ||
    fail "hash-object"
  tree=$({ git -C remote.git ls-tree "$old" | grep -v "	other.md$"; printf '100644 blob %s\tother.md\n' "$blob"; } |
    git -C remote.git mktree) || fail "mktree"
  new=$(git -C remote.git -c user.name=o -c user.email=o@x commit-tree "$tree" -p "$old" -m "other $1") ||
    fail "commit-tree"
  git -C remote.git update-ref refs/heads/main "$new" "$old" 2>/dev/null
}
note_jobs 100 1 | m2g-commit --remote ./remote.git --batch-max 2 --batch-ms 0 --attempts 100 --log-level info \
  > out.jsonl 2> err.txt &
commit=$!
track $commit
# Start once m2g-commit has pushed its first batch: it has 49 more to go.
wait_for 120 grep -q '"kind":"result"' out.jsonl
for i in $(seq 1 20); do
  until other_update "$i"; do :; done
  sleep 0.1
done
wait $commit || fail "m2g-commit exited $?"
grep -q 'rejected' err.txt || skip "the other writer never got in between (no push race to test)"
check_once remote.git note.md 20100
[ "$(grep -c '"kind":"result"' out.jsonl)" = 100 ] || fail "some jobs have no result"
grep -q '"kind":"error"' out.jsonl && fail "a job failed"
seq 1 20 | sed 's/^/line /' | cat start.md - > expected-other.md
show remote.git other.md > other.md
test_cmp expected-other.md other.md
git -C remote.git fsck --strict --no-progress --no-dangling || fail "git fsck"
