/*
 * bench-server: the ukprom side of the exporter benchmark.  It builds the
 * shared bench set (apps/bench/benchset.h: 2N series) in ukstore and
 * serves the whole store with ukprom's exporter on 127.0.0.1:PORT until
 * SIGTERM or SIGINT, so bench-exporter.sh can scrape it next to
 * prometheus-cpp serving the same series.  Usage: bench-server N PORT
 * [WINDOW]: WINDOW is uk_prom_server_cfg.window, each connection's
 * response window in bytes (0 or absent: the exporter's default, 16384,
 * as in the VM); the server prints the one it uses.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/prom.h>

#include "benchset.h"

int main(int argc, char **argv)
{
	struct uk_prom_server_cfg cfg = { .addr = "127.0.0.1" };
	struct uk_prom_server *srv;
	long n, port, window = 0;
	sigset_t sigs;
	int rc, sig;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: bench-server N PORT [WINDOW]\n");
		return 2;
	}
	n = strtol(argv[1], NULL, 10);
	port = strtol(argv[2], NULL, 10);
	if (argc == 4)
		window = strtol(argv[3], NULL, 10);
	if (n <= 0 || n > 10000000 || port <= 0 || port > 65535 ||
	    window < 0 || window > 0x7fffffff) {
		fprintf(stderr, "bench-server: bad N, PORT or WINDOW\n");
		return 2;
	}
	/* Only the sigwait() below sees the stop signals (threads inherit). */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	rc = bench_set_create((unsigned int)n);
	if (rc) {
		fprintf(stderr, "bench-server: bench set: %s\n", strerror(-rc));
		return 1;
	}
	cfg.port = (uint16_t)port;
	cfg.window = (uint32_t)window;
	rc = uk_prom_server_start(&cfg, &srv);
	if (rc) {
		fprintf(stderr, "bench-server: port %ld: %s\n", port,
			strerror(-rc));
		bench_set_destroy();
		return 1;
	}
	printf("ukprom: listening on http://127.0.0.1:%u/metrics, "
	       "window %ld bytes per connection\n",
	       (unsigned int)uk_prom_server_port(srv),
	       window ? window : 16384L);
	fflush(stdout);
	do {
		rc = sigwait(&sigs, &sig);
	} while (rc == EINTR);
	uk_prom_server_stop(srv);
	bench_set_destroy();
	return 0;
}
