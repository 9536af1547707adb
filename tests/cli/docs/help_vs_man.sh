## Every tool's --help and its man page agree: each option the binary accepts is documented in
## man/TOOL.1.scd, each option the page documents exists, and the generated roff is current.
. "$M2G_SRC/tests/cli/common.sh"
status=0
# scdoc dates its .TH line with today's date (or SOURCE_DATE_EPOCH): pages are current when they
# match apart from that date, whatever day the test runs.
undated() { sed '/^\.TH /s/ "[0-9-]*"$/ ""/'; }
for bin in "$M2G_BIN"/m2g-*; do
  tool=$(basename "$bin")
  case "$tool" in m2g-teststage) continue ;; esac
  page="$M2G_SRC/man/$tool.1.scd"
  [ -f "$page" ] || { echo "$tool: no man page $page" >&2; status=1; continue; }
  [ -f "$M2G_SRC/man/$tool.1" ] || { echo "$tool: generated man/$tool.1 missing" >&2; status=1; }
  if [ -x "$bin" ] && file -b "$bin" | grep -q ELF; then
    "$bin" --completion-helper | tr ' ' '\n' | grep -- '^--' | sort -u > "opts.$tool"
  else
    "$bin" --completion-helper 2>/dev/null | tr ' ' '\n' | grep -- '^--' | sort -u > "opts.$tool" || true
  fi
  # Option definitions are the lines that start with "*-" (scdoc's bold term of a list).
  grep -E '^\*-' "$page" | grep -o -- '--[a-z][a-z0-9-]*' | sort -u > "doc.$tool"
  # --completion-helper is internal; --help/--version are documented once in a shared line.
  missing=$(comm -23 "opts.$tool" "doc.$tool" | grep -v -x -e --help -e --version -e --completion-helper || true)
  extra=$(comm -13 "opts.$tool" "doc.$tool" || true)
  [ -z "$missing" ] || { echo "$tool: options not in its man page: $missing" >&2; status=1; }
  [ -s "opts.$tool" ] && [ -n "$extra" ] && { echo "$tool: man page documents unknown options: $extra" >&2; status=1; }
  if command -v scdoc >/dev/null; then
    scdoc < "$page" | undated > "gen.$tool.1"
    undated < "$M2G_SRC/man/$tool.1" | cmp -s "gen.$tool.1" - || { echo "$tool: man/$tool.1 is stale: run make man" >&2; status=1; }
  fi
done
if command -v scdoc >/dev/null; then
  scdoc < "$M2G_SRC/man/m2g.7.scd" | undated > gen.7
  undated < "$M2G_SRC/man/m2g.7" | cmp -s gen.7 - || { echo "m2g.7 is stale: run make man" >&2; status=1; }
fi
exit $status
