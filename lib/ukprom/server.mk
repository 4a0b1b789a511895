# ukprom's HTTP exporter: the request parser (pure, built everywhere), the
# server loop, responses and self-metrics.  The socket layer (sock.c) is
# the only file that includes socket headers; until the kernel has lwIP's
# socket API the server is built for the linuxu-hosted variants only.
ukprom_SRCS += lib/ukprom/http.c

# The parser on its own.
PROGS-asan += test-ukprom-http
TESTS-asan += test-ukprom-http
test-ukprom-http_SRCS := lib/ukprom/tests/test_http.c lib/ukprom/http.c
test-ukprom-http_LIBS := uktest linuxu

# libFuzzer on the parser, run for about 20 s by make check.
PROGS-fuzz += fuzz-http
fuzz-http_SRCS := lib/ukprom/fuzz/fuzz_http.c lib/ukprom/http.c
fuzz-http_LIBS :=
CHECK_SCRIPTS += lib/ukprom/tests/fuzz_http.sh
