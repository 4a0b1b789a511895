# free_port (sourced): prints a loopback TCP port that was free a moment
# ago, from tests/lib/ports.py, the one implementation shared with the
# Python tests and benchmarks.
free_port() {
  /usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/ports.py"
}
