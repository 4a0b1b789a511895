# ukprom's HTTP exporter: the request parser (pure, built everywhere), the
# server loop, connections, responses, access control (with its SHA-256)
# and self-metrics.  The socket layer (sock.c) is the only file that
# includes socket headers: the host's on linuxu, lwIP's POSIX headers
# (lib/lwip/posix) on kvm.  On the linuxu-hosted variants
# the server is part of ukprom; a kernel links it as library
# ukprom_server, next to lwip, so images without a network stack still
# link ukprom's encoder alone.
UKPROM_SERVER_SRCS := lib/ukprom/sock.c lib/ukprom/server.c \
	lib/ukprom/server_conn.c lib/ukprom/server_resp.c \
	lib/ukprom/server_stats.c lib/ukprom/access.c lib/ukprom/sha256.c \
	$(UKPROM_PUSH_SRCS)
ukprom_SRCS += lib/ukprom/http.c
ukprom_SRCS-host += $(UKPROM_SERVER_SRCS)
LIBS += ukprom_server
ukprom_server_DEPS := ukprom ukstore uklock ukalloc ukdebug
ukprom_server_DEPS-kvm := lwip
ukprom_server_SRCS-kvm := $(UKPROM_SERVER_SRCS)

# The parser on its own.
TESTS-asan += test-ukprom-http
test-ukprom-http_SRCS := lib/ukprom/tests/test_http.c lib/ukprom/http.c
test-ukprom-http_LIBS := uktest linuxu

# Access control: SHA-256, base64, allow-lists, basic auth (pure code),
# and against coreutils (sha256sum, base64) through access-tool.
TESTS-asan += test-ukprom-access
test-ukprom-access_SRCS := lib/ukprom/tests/test_access.c \
	lib/ukprom/access.c lib/ukprom/sha256.c
test-ukprom-access_LIBS := uktest linuxu
PROGS-asan += access-tool
access-tool_SRCS := lib/ukprom/tests/access_tool.c lib/ukprom/access.c \
	lib/ukprom/sha256.c
access-tool_LIBS :=
CHECK_SCRIPTS += lib/ukprom/tests/access_coreutils.sh

# A real server on loopback.
TESTS-asan += test-ukprom-server
test-ukprom-server_SRCS := lib/ukprom/tests/test_server.c \
	lib/ukprom/tests/test_server_conns.c \
	lib/ukprom/tests/test_server_access.c \
	lib/ukprom/tests/test_server_util.c
test-ukprom-server_LIBS := ukprom ukstore uklock uklock_stats ukalloc \
	ukdebug uktest linuxu linuxu_threads
# The same under ThreadSanitizer: the exporter thread, client threads,
# two servers sharing their self-metrics, folders changing meanwhile.
TESTS-tsan += test-ukprom-server

# libFuzzer on the parser and the access checks, run for about 20 s by
# make check.
PROGS-fuzz += fuzz-http
fuzz-http_SRCS := lib/ukprom/fuzz/fuzz_http.c lib/ukprom/http.c \
	lib/ukprom/access.c lib/ukprom/sha256.c
fuzz-http_LIBS :=
CHECK_SCRIPTS += lib/ukprom/tests/fuzz_http.sh
