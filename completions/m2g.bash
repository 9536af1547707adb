# bash completion for the m2g tools. The words come from the binaries themselves
# (`m2g-TOOL --completion-helper`), never from a list kept here.

_m2g_complete() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local tool=${COMP_WORDS[0]}
  local helper
  helper=$("$tool" --completion-helper 2>/dev/null) || return 0
  # The command path: the last earlier word that names a subcommand, else the top level.
  local path="." word line
  local i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if printf '%s\n' "$helper" | grep -q "^$word "; then
      path=$word
    fi
  done
  line=$(printf '%s\n' "$helper" | grep -m1 "^$path " | cut -d' ' -f2-)
  [ "$path" = . ] && line=$(printf '%s\n' "$helper" | grep -m1 '^\. ' | cut -d' ' -f2-)
  if [[ $cur == -* || $path == . ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$line" -- "$cur")
  fi
  if [ ${#COMPREPLY[@]} -eq 0 ]; then
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
  fi
}

# Register for every m2g tool on PATH (bash-completion also sources this file by each
# tool's name when it is first completed).
mapfile -t _m2g_tools < <(compgen -c m2g- | sort -u)
complete -F _m2g_complete -o filenames "${_m2g_tools[@]}" m2g-queue m2g-poll m2g-route \
  m2g-limit m2g-llm m2g-commit m2g-progress m2g-bench m2g-bot 2>/dev/null
unset _m2g_tools
