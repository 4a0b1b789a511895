# ukprom's HTTP exporter: the request parser (pure, built everywhere), the
# server loop, responses and self-metrics.  The socket layer (sock.c) is
# the only file that includes socket headers: the host's on linuxu, lwIP's
# POSIX headers (lib/lwip/posix) on kvm.  On the linuxu-hosted variants
# the server is part of ukprom; a kernel links it as library
# ukprom_server, next to lwip, so images without a network stack still
# link ukprom's encoder alone.
UKPROM_SERVER_SRCS := lib/ukprom/sock.c lib/ukprom/server.c \
	lib/ukprom/server_resp.c lib/ukprom/server_stats.c
ukprom_SRCS += lib/ukprom/http.c
ukprom_SRCS-host += $(UKPROM_SERVER_SRCS)
LIBS += ukprom_server
ukprom_server_DEPS := ukprom ukstore uklock ukalloc ukdebug
ukprom_server_DEPS-kvm := lwip
ukprom_server_SRCS-kvm := $(UKPROM_SERVER_SRCS)

# The parser on its own.
PROGS-asan += test-ukprom-http
TESTS-asan += test-ukprom-http
test-ukprom-http_SRCS := lib/ukprom/tests/test_http.c lib/ukprom/http.c
test-ukprom-http_LIBS := uktest linuxu

# A real server on loopback.
PROGS-asan += test-ukprom-server
TESTS-asan += test-ukprom-server
test-ukprom-server_SRCS := lib/ukprom/tests/test_server.c \
	lib/ukprom/tests/test_server_conns.c lib/ukprom/tests/test_server_util.c
test-ukprom-server_LIBS := ukprom ukstore uklock ukalloc ukdebug uktest \
	linuxu linuxu_threads
# The same under ThreadSanitizer: the exporter thread, client threads,
# two servers sharing their self-metrics, folders changing meanwhile.
PROGS-tsan += test-ukprom-server
TESTS-tsan += test-ukprom-server

# libFuzzer on the parser, run for about 20 s by make check.
PROGS-fuzz += fuzz-http
fuzz-http_SRCS := lib/ukprom/fuzz/fuzz_http.c lib/ukprom/http.c
fuzz-http_LIBS :=
CHECK_SCRIPTS += lib/ukprom/tests/fuzz_http.sh
