# Start the fake GitHub for a test (sourced after common.sh and lib.bash; not a test itself).

# start_fake_github DIR [OPTIONS...]: serve DIR/OWNER/REPO.git; sets FAKE_PORT and FAKE_URL.
start_fake_github() {
  local dir=$1; shift
  m2g-bench fake github --repos "$dir" --port 0 "$@" > fake.port 2> fake.err &
  track $!
  wait_for 20 test -s fake.port
  FAKE_PORT=$(head -1 fake.port)
  FAKE_URL="http://127.0.0.1:$FAKE_PORT"
}

# fake_stat FIELD: a counter of the fake GitHub.
fake_stat() { curl -s "$FAKE_URL/_fake/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# github_repo DIR OWNER REPO: a bare repository with one commit, as GitHub repositories have.
github_repo() {
  mkdir -p "$1/$2"
  new_remote "$1/$2/$3.git"
  echo "# $3" > readme.tmp
  seed_remote "$1/$2/$3.git" README.md readme.tmp
  rm -f readme.tmp
}
