# ukprom's push to a Prometheus Pushgateway (push.c) over its small HTTP
# client (client.c), which goes through the server's socket layer
# (sock.c): so, like the server, the push is part of ukprom on the
# linuxu-hosted variants and of ukprom_server in a kernel.  Included by
# lib/ukprom/Makefile.uk before server.mk, which adds these sources.
UKPROM_PUSH_SRCS := lib/ukprom/client.c lib/ukprom/push.c

# The push: URL and grouping-key goldens, the request and its body (the
# encoder's text), self-metrics, the periodic thread and the final push,
# against a capture server on a thread of the test (ASan and TSan).
TESTS-asan += test-ukprom-push
TESTS-tsan += test-ukprom-push
test-ukprom-push_SRCS := lib/ukprom/tests/test_push.c
test-ukprom-push_LIBS := ukprom ukstore uklock ukalloc ukdebug uktest \
	linuxu linuxu_threads

# The client against misbehaving servers (tests/lib/push_server.py),
# which push_client.sh starts before running both builds.
PROGS-asan += test-ukprom-client
PROGS-tsan += test-ukprom-client
test-ukprom-client_SRCS := lib/ukprom/tests/test_client.c
test-ukprom-client_LIBS := ukprom ukstore uklock ukalloc ukdebug uktest \
	linuxu linuxu_threads
CHECK_SCRIPTS += lib/ukprom/tests/push_client.sh
