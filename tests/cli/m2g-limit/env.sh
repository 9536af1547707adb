## Every limit can come from the environment (M2G_LIMIT_*); a flag wins over the environment.
. "$M2G_SRC/tests/cli/common.sh"
jobs 4 j | sed 's/}$/,"user_id":1}/' > in.jsonl
M2G_LIMIT_MODE=drop M2G_LIMIT_PER_KEY_RATE=1 M2G_LIMIT_PER_KEY_BURST=2 m2g-limit < in.jsonl > out.jsonl
[ "$(grep -c '"kind":"rejection"' out.jsonl)" = 2 ] || fail "environment limits ignored: $(cat out.jsonl)"
M2G_LIMIT_MODE=drop M2G_LIMIT_PER_KEY_RATE=1 M2G_LIMIT_PER_KEY_BURST=2 m2g-limit --per-key-burst 3 < in.jsonl > out.jsonl
[ "$(grep -c '"kind":"rejection"' out.jsonl)" = 1 ] || fail "flag did not win: $(cat out.jsonl)"
M2G_LIMIT_MODE=drop M2G_LIMIT_RATE=1 M2G_LIMIT_BURST=1 m2g-limit < in.jsonl > out.jsonl
[ "$(grep -c '"bucket":"global"' out.jsonl)" = 3 ] || fail "global limits from the environment: $(cat out.jsonl)"
jobs 3 j | sed 's/}$/,"from":{"id":9}}/' > from.jsonl
M2G_LIMIT_MODE=drop M2G_LIMIT_KEY=from.id M2G_LIMIT_PER_KEY_BURST=1 M2G_LIMIT_KINDS=job,update m2g-limit \
  < from.jsonl > out.jsonl
[ "$(grep -c '"key":9' out.jsonl)" = 2 ] || fail "M2G_LIMIT_KEY=from.id: $(cat out.jsonl)"
