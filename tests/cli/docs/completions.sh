## The bash completion loads (complete -p) and offers each tool's real subcommands and options.
. "$M2G_SRC/tests/cli/common.sh"
out=$(bash -c '. "$M2G_SRC/completions/m2g.bash"; complete -p m2g-queue')
case "$out" in *_m2g_complete*) ;; *) fail "bash completion not registered: $out" ;; esac
complete_words() {
  bash -c '. "$M2G_SRC/completions/m2g.bash"
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _m2g_complete; printf "%s\n" "${COMPREPLY[@]}"' _ "$@"
}
complete_words m2g-queue ta | grep -qx take || fail "subcommand 'take' not offered"
complete_words m2g-queue take --le | grep -qx -- --lease || fail "'--lease' not offered after take"
complete_words m2g-queue put --le | grep -qx -- --lease && fail "'--lease' offered for put" || true
if command -v zsh >/dev/null; then zsh -n "$M2G_SRC/completions/_m2g" || fail "zsh script has syntax errors"; fi
if command -v fish >/dev/null; then fish -n "$M2G_SRC/completions/m2g.fish" || fail "fish script has syntax errors"; fi
bash -n "$M2G_SRC/completions/m2g.bash"
