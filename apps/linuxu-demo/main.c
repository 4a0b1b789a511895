/*
 * linuxu-demo: a plain Linux process that publishes the demo workload
 * (demo.c) in ukstore and serves it, with everything else in the store,
 * through ukprom's exporter.  Options:
 *   --listen ADDR:PORT   where to serve (default 127.0.0.1:9100; port 0
 *                        binds an ephemeral port, printed when ready)
 *   --max-conns N        the exporter's connection slots (default 32)
 *   --head-timeout-ms N, --idle-timeout-ms N, --send-timeout-ms N
 *                        the exporter's timers (defaults 2000, 30000,
 *                        10000; see uk/prom.h)
 *   --allow CIDR[,CIDR...]  only these clients may connect
 *   --auth USER:SHA256HEX   HTTP basic authentication (the password's
 *                        SHA-256, e.g. from "printf %s PW | sha256sum")
 *   --set PATH=VALUE     writes a store entry through its setter before
 *                        the workload starts (repeatable)
 *   --push HOST:PORT/PATH  pushes the store to a Prometheus Pushgateway
 *                        when it stops (PATH: /metrics/job/<job>...;
 *                        the instance label is --hostname's)
 *   --push-interval S    and every S seconds meanwhile
 *   --push-timeout-ms N  the bound on one push (default 2000)
 *   --hostname NAME      the instance's name (default: uk_mon_hostname())
 * When serving it prints "ukprom: listening on http://ADDR:PORT/metrics"
 * on stdout; SIGTERM or SIGINT stops it cleanly with status 0, after the
 * final push if there is one (the push's outcome is on stderr, and does
 * not change the status).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/mon.h>
#include <uk/prom.h>
#include <uk/prom_push.h>
#include <uk/store.h>

#include "demo.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: linuxu-demo [--listen ADDR:PORT] [--max-conns N]"
		" [--head-timeout-ms N] [--idle-timeout-ms N]"
		" [--send-timeout-ms N] [--allow CIDR[,CIDR...]]"
		" [--auth USER:SHA256HEX] [--set PATH=VALUE]..."
		" [--push HOST:PORT/PATH] [--push-interval S]"
		" [--push-timeout-ms N] [--hostname NAME]\n");
}

/* Parses a decimal in [lo, hi]; returns 0 or -EINVAL. */
static int parse_num(const char *s, unsigned long lo, unsigned long hi,
		     unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Splits "ADDR:PORT" into addr (kept in buf) and port. */
static int parse_listen(const char *s, char *buf, size_t size,
			unsigned long *port)
{
	const char *colon = strrchr(s, ':');
	size_t n;

	if (!colon || colon == s)
		return -EINVAL;
	n = (size_t)(colon - s);
	if (n >= size)
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return parse_num(colon + 1, 0, 65535, port);
}

/* Writes "path=value" through the entry's setter. */
static int apply_set(const char *arg)
{
	char path[256];
	const char *eq = strchr(arg, '=');

	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(path))
		return -EINVAL;
	memcpy(path, arg, (size_t)(eq - arg));
	path[eq - arg] = '\0';
	return uk_store_write_text_path(path, eq + 1);
}

int main(int argc, char **argv)
{
	struct uk_prom_server_cfg cfg = { 0 };
	struct uk_prom_push_cfg pcfg = { 0 };
	struct uk_prom_push *push = NULL;
	struct uk_prom_server *srv;
	char addr[64] = "127.0.0.1";
	unsigned long port = 9100, v;
	sigset_t sigs;
	int i, rc, sig;

	for (i = 1; i < argc; i++) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1]
								: NULL;

		if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) {
			usage(stdout);
			return 0;
		}
		if (!val) {
			usage(stderr);
			return 2;
		}
		i++;
		if (!strcmp(opt, "--listen")) {
			rc = parse_listen(val, addr, sizeof(addr), &port);
		} else if (!strcmp(opt, "--max-conns")) {
			rc = parse_num(val, 1, 65535, &v);
			cfg.max_conns = (uint16_t)v;
		} else if (!strcmp(opt, "--head-timeout-ms")) {
			rc = parse_num(val, 1, 3600000, &v);
			cfg.head_timeout_ms = (uint32_t)v;
		} else if (!strcmp(opt, "--idle-timeout-ms")) {
			rc = parse_num(val, 1, 3600000, &v);
			cfg.idle_timeout_ms = (uint32_t)v;
		} else if (!strcmp(opt, "--send-timeout-ms")) {
			rc = parse_num(val, 1, 3600000, &v);
			cfg.send_timeout_ms = (uint32_t)v;
		} else if (!strcmp(opt, "--allow")) {
			cfg.allow = val;
			rc = 0;
		} else if (!strcmp(opt, "--auth")) {
			cfg.auth = val;
			rc = 0;
		} else if (!strcmp(opt, "--push")) {
			pcfg.url = val;
			rc = 0;
		} else if (!strcmp(opt, "--push-interval")) {
			rc = parse_num(val, 1, 86400, &v);
			pcfg.interval_ms = (uint32_t)v * 1000;
		} else if (!strcmp(opt, "--push-timeout-ms")) {
			rc = parse_num(val, 1, 60000, &v);
			pcfg.timeout_ms = (uint32_t)v;
		} else if (!strcmp(opt, "--hostname")) {
			pcfg.instance = val;
			rc = 0;
		} else if (!strcmp(opt, "--set")) {
			rc = apply_set(val);
			if (rc) {
				fprintf(stderr, "linuxu-demo: --set %s: %s\n",
					val, strerror(-rc));
				return 2;
			}
		} else {
			rc = -EINVAL;
		}
		if (rc) {
			fprintf(stderr, "linuxu-demo: bad option %s %s\n",
				opt, val);
			usage(stderr);
			return 2;
		}
	}

	/*
	 * Every thread inherits this mask, so the signals reach only the
	 * sigwait() below; a peer closing early must not kill us either.
	 */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	rc = demo_start();
	if (rc) {
		fprintf(stderr, "linuxu-demo: workload: %s\n", strerror(-rc));
		return 1;
	}
	cfg.addr = addr;
	cfg.port = (uint16_t)port;
	cfg.any_port = port == 0;
	rc = uk_prom_server_start(&cfg, &srv);
	if (rc) {
		fprintf(stderr, "linuxu-demo: cannot serve on %s:%lu: %s%s\n",
			addr, port, strerror(-rc), rc == -EINVAL ?
			" (a bad --listen, --allow or --auth?)" : "");
		demo_stop();
		return rc == -EINVAL ? 2 : 1;
	}
	if (pcfg.url) {
		if (!pcfg.instance)
			pcfg.instance = uk_mon_hostname();
		rc = uk_prom_push_start(&pcfg, &push);
		if (rc) {
			/* push.c said what is wrong with the URL. */
			uk_prom_server_stop(srv);
			demo_stop();
			return 2;
		}
	}
	printf("ukprom: listening on http://%s:%u/metrics\n", addr,
	       (unsigned int)uk_prom_server_port(srv));
	fflush(stdout);

	do {
		rc = sigwait(&sigs, &sig);
	} while (rc == EINTR);
	uk_prom_server_stop(srv);
	demo_stop();
	/* The last push sees the workload's final counts. */
	uk_prom_push_final(push);
	return 0;
}
