## While m2g-commit pushes batch after batch into a large notebook, another clone keeps pushing to the same
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
git clone -q remote.git other
# The other writer commits to its own file and pushes, pulling when it loses, until told to stop.
(
  i=0
  while [ ! -e stop ]; do
    i=$((i + 1))
    echo "line $i" >> other/other.md
    git -C other -c user.name=o -c user.email=o@x commit -q -am "other $i"
    until git -C other push -q origin HEAD:main 2>/dev/null; do
      git -C other pull -q --rebase origin main 2>/dev/null || true
    done
    touch started
    sleep 0.3 # leave room: a writer that never pauses could starve m2g-commit (slow under ASan)
  done
  echo "$i" > pushed
) &
other=$!
track $other
wait_for 120 test -e started
note_jobs 100 1 | m2g-commit --remote ./remote.git --batch-max 10 --batch-ms 0 --attempts 100 --log-level info \
  > out.jsonl 2> err.txt
touch stop
wait $other
grep -q 'rejected' err.txt || skip "the other writer never got in between (no push race to test)"
check_once remote.git note.md 20100
[ "$(grep -c '"kind":"result"' out.jsonl)" = 100 ] || fail "some jobs have no result"
grep -q '"kind":"error"' out.jsonl && fail "a job failed"
seq 1 "$(cat pushed)" | sed 's/^/line /' | cat start.md - > expected-other.md
show remote.git other.md > other.md
test_cmp expected-other.md other.md
git -C remote.git fsck --strict --no-progress --no-dangling || fail "git fsck"
