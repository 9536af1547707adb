## --prompt-file replaces the built-in instructions (the fake bills them as prompt tokens).
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-llm/fake.inc"
start_fake
llm_jobs 1 j > in.jsonl
m2g-llm --base-url "$base" --model fake < in.jsonl > default.jsonl
python3 -c 'print("Return JSON with a title. " * 200)' > long-prompt.txt
m2g-llm --base-url "$base" --model fake --prompt-file long-prompt.txt < in.jsonl > custom.jsonl
d=$(grep '"kind":"job"' default.jsonl | python3 -c 'import json,sys; print(json.load(sys.stdin)["usage"]["prompt_tokens"])')
c=$(grep '"kind":"job"' custom.jsonl | python3 -c 'import json,sys; print(json.load(sys.stdin)["usage"]["prompt_tokens"])')
[ "$c" -gt 1000 ] && [ "$d" -lt 500 ] || fail "prompt tokens: default $d, custom $c"
M2G_LLM_PROMPT_FILE=long-prompt.txt m2g-llm --base-url "$base" --model fake < in.jsonl > env.jsonl
grep -q "\"prompt_tokens\":$c" env.jsonl || fail "M2G_LLM_PROMPT_FILE was not used"
