## M2G_CA_FILE (--ca-file) makes libgit2 and libcurl trust a private CA: m2g-commit clones from
## and pushes to a git smart-HTTP server on https://localhost whose certificate a private CA
## signed, and m2g-llm reaches a model behind a TLS front signed by it; without the setting both
## refuse the certificate (git: a non-retryable error, nothing pushed; m2g-llm: fallback titles).
## Over the same server, a chat repository larger than --chat-repo-limit is cut off.
## The certificate names DNS:localhost: Debian's libgit2 uses mbedTLS 2.28, which does not match
## IP-address SANs, so https://127.0.0.1 would fail even with the CA.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-commit/lib.bash"
command -v openssl > /dev/null || skip "no openssl CLI"
unset M2G_CA_FILE
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=m2g test CA" 2> /dev/null
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost" 2> /dev/null
printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > ext.cnf
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 \
  -extfile ext.cnf 2> /dev/null

mkdir root
new_remote root/notes.git
python3 "$M2G_SRC/tests/cli/m2g-commit/tls_server.py" server.pem server.key git "$PWD/root" > git.port 2> git.err &
track $!
wait_for 30 test -s git.port
url="https://localhost:$(head -1 git.port)/notes.git"

# Without the CA: the certificate is refused, nothing is pushed.
note_jobs 3 1 | m2g-commit --remote "$url" --workdir clones1 --attempts 1 > plain.jsonl 2> plain.err || true
[ "$(grep -c '"kind":"error"' plain.jsonl)" = 3 ] || fail "without the CA the jobs did not fail: $(cat plain.jsonl)"
grep -qi 'certificate' plain.err plain.jsonl || fail "the failure does not name the certificate: $(cat plain.err)"
[ -z "$(git -C root/notes.git rev-parse --verify -q main)" ] || fail "pushed through an untrusted certificate"

# With M2G_CA_FILE: cloned and pushed over TLS.
note_jobs 3 1 | M2G_CA_FILE=ca.pem m2g-commit --remote "$url" --workdir clones2 > ca.jsonl 2> ca.err ||
  fail "m2g-commit failed with the CA: $(cat ca.err)"
[ "$(grep -c '"kind":"result"' ca.jsonl)" = 3 ] || fail "not committed with the CA: $(cat ca.jsonl) $(cat ca.err)"
check_once root/notes.git note.md 3
# And the flag does the same (a second batch: fetch, commit, push on the existing clone).
note_jobs 2 4 | m2g-commit --ca-file ca.pem --remote "$url" --workdir clones2 > flag.jsonl 2> flag.err ||
  fail "m2g-commit failed with --ca-file: $(cat flag.err)"
check_once root/notes.git note.md 5

# A chat's repository (loopback allowed here) larger than --chat-repo-limit is cut off while it
# downloads, not retryable, and the chat is told why.
head -c 3000000 /dev/urandom > big.bin
new_remote root/big.git
seed_remote root/big.git big.bin big.bin
note_jobs 1 1 note 5 | python3 -c '
import json, sys
for l in sys.stdin:
    d = json.loads(l); d["repo"] = {"url": sys.argv[1]}; print(json.dumps(d))' "${url%/notes.git}/big.git" |
  M2G_REPO_ALLOW_PRIVATE=1 M2G_CA_FILE=ca.pem m2g-commit --remote ./default.git --workdir clones3 --attempts 1 \
    --chat-repo-limit 1 > big.jsonl 2> big.err || true
grep -q 'larger than this server accepts (1 MB)' big.jsonl || fail "the size limit was not applied: $(cat big.jsonl)"
grep -q '"retryable":false' big.jsonl || fail "an oversized repository was left retryable"

# libcurl: m2g-llm talks to the fake model through a TLS front signed by the same CA.
m2g-bench fake llm --port 0 > llm.port 2> llm.err &
track $!
wait_for 30 test -s llm.port
python3 "$M2G_SRC/tests/cli/m2g-commit/tls_server.py" server.pem server.key proxy "$(head -1 llm.port)" > front.port 2> front.err &
track $!
wait_for 30 test -s front.port
base="https://localhost:$(head -1 front.port)/v1"
job='{"v":1,"kind":"job","id":"j1","op":"add","target":"note","chat_id":7,"message_id":1,"text":"note 1 about topic 1","llm":true}'
echo "$job" | m2g-llm --base-url "$base" --model fake --http-client curl > llm_plain.jsonl 2> llm_plain.err || true
json_field llm_plain.jsonl title_source | grep -x llm > /dev/null && fail "m2g-llm trusted an unknown CA"
echo "$job" | M2G_CA_FILE=ca.pem m2g-llm --base-url "$base" --model fake --http-client curl > llm_ca.jsonl 2> llm_ca.err ||
  fail "m2g-llm failed with the CA: $(cat llm_ca.err)"
json_field llm_ca.jsonl title_source | grep -x llm > /dev/null || fail "no title from the model with the CA: $(cat llm_ca.jsonl) $(cat llm_ca.err)"

# A CA file that does not exist is a usage error, not a silent fall back to the system's.
expect_code 64 m2g-commit --ca-file missing.pem --remote "$url" < /dev/null
