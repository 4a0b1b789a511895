# promtool's lint without its expected complaints (sourced, not run).
#   promlint FILE   runs "promtool check metrics" on FILE and prints what
#       it says apart from the camelCase warnings about node_exporter's
#       own names, which ukmon keeps on purpose (node_memory_MemTotal_bytes,
#       node_netstat_Tcp_InSegs...: Linux's /proc field names, which every
#       dashboard queries); returns 0 when nothing else was said.
# The filter is by name: a camelCase name of any other family, or any
# other message, still fails.
PROMLINT_EXPECTED="^(node_memory_[A-Za-z_]+|node_netstat_[A-Za-z]+_[A-Za-z]+) metric names should be written in 'snake_case' not 'camelCase'$"

promlint() {
  local out
  out=$(promtool check metrics <"$1" 2>&1 | grep -v -E "$PROMLINT_EXPECTED" |
    grep -v '^$')
  [ -z "$out" ] && return 0
  printf '%s\n' "$out"
  return 1
}
