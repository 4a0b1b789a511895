/*
 * The main image: a ukmon unikernel monitored by Prometheus.  It brings
 * up the network (virtio-net and lwIP, configured from the boot options
 * net.ip/net.gw/net.dns or DHCP), starts ukprom's exporter thread on
 * ukprom.port (default 9100; ukprom.enable=0 leaves it off, to measure
 * its cost), mounts its file systems (storage.c: the boot line's
 * vfs.mount=... and the defaults /data, /site, /initrd) and starts the
 * demo workload, a tiny file server of the VFS tree on demo.port
 * (default 8080; demo.put_max=N bounds uploads, demo.accesslog=0 turns
 * the access log off), and then idles: all the work happens in threads
 * woken by network and device interrupts.
 *
 * The Linux view (lib/node: node_exporter's series; lib/procfs: /proc
 * and /sys, mounted in the VFS and served by the exporter at GET
 * /proc/... and /sys/...) covers the devices and mounts present once
 * storage is up.
 *
 * Each part is a ukmon component (network, exporter, storage,
 * fileserver),
 * declared before anything starts so that their gauges exist while
 * memory is plentiful: a part that fails to start is reported on the
 * console and as ukmon_component_up 0, and the VM runs on with what
 * works.  The exporter starts before the workload so that, when memory
 * is short, it is there to report what is missing, and a scrape that
 * reached it during the boot is answered before the file systems and
 * the file server start (exporter_first() below).  Without a network
 * nothing can be served, so that failure ends the VM, and so does a bad
 * allow-list or auth setting, which keeps the exporter from starting
 * rather than serve unprotected.  The boot option ukalloc.fail_every=N
 * then makes every Nth allocation fail (the exhaustion test).
 *
 * The exporter's boot options:
 *   ukprom.max_conns=N          connection slots (default 32)
 *   ukprom.head_timeout_ms=N    request head deadline (2000)
 *   ukprom.idle_timeout_ms=N    keep-alive idle timeout (30000)
 *   ukprom.send_timeout_ms=N    stalled response timeout (10000)
 *   ukprom.allow=CIDR[,CIDR...] only these clients may connect
 *   ukprom.auth=USER:SHA256HEX  HTTP basic authentication
 * A bad number is ignored with a warning (the default stays).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lwip/ip4_addr.h>
#include <lwip/netif.h>

#include <uk/alloc.h>
#include <uk/lwip.h>
#include <uk/mon.h>
#include <uk/plat/bootstage.h>
#include <uk/plat/cmdline.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <uk/prom.h>
#include <uk/sched.h>
#include <uk/thread.h>
#include <uk/vfs_fs.h>
#include <uk/virtio.h>

#include "demo.h"

/* The boot option key as a number in [1, max]; dflt if absent or bad. */
static unsigned long opt_num(const char *key, unsigned long max,
			     unsigned long dflt)
{
	const char *v = uk_plat_option(key);
	char *end;
	unsigned long p;

	if (!v)
		return dflt;
	p = strtoul(v, &end, 10);
	if (!*v || *end || !p || p > max) {
		uk_pr_warn("demo: ignoring bad %s=%s\n", key, v);
		return dflt;
	}
	return p;
}

static uint16_t opt_port(const char *key, uint16_t dflt)
{
	return (uint16_t)opt_num(key, 65535, dflt);
}

/* A timeout in ms, up to an hour; 0 (the exporter's default) if absent. */
static uint32_t opt_ms(const char *key)
{
	return (uint32_t)opt_num(key, 3600000, 0);
}

/* A size option (digits, k/m/g suffix) into *out, unless absent or bad. */
static void opt_size(const char *key, uint64_t *out)
{
	const char *v = uk_plat_option(key);
	uint64_t n;

	if (!v)
		return;
	if (uk_vfs_parse_size(v, strlen(v), &n))
		uk_pr_warn("demo: ignoring bad %s=%s\n", key, v);
	else
		*out = n;
}

/* Declares a component; the image runs on without its gauge if need be. */
static struct uk_mon_component *component(const char *name)
{
	struct uk_mon_component *c = NULL;

	uk_mon_component_add(name, &c);
	return c;
}

/*
 * Lets the exporter answer what already waits for it before the slower
 * start-ups hold the CPU: threads are cooperative, so a scrape whose
 * request came in during the boot (Prometheus polling a new instance)
 * would otherwise wait for the file systems and the file server, whose
 * first run is slow under TCG (its code is translated as it first
 * runs).  It yields until no other thread is ready (the frames received
 * meanwhile go through lwIP, the exporter accepts and reads), then waits
 * while the exporter is serving a connection, a millisecond at a time.
 * Without a scraper nothing waits; a client holding a connection open
 * delays the rest by EXPORTER_FIRST_MAX_MS at most.
 */
#define EXPORTER_FIRST_MAX_MS 2000

static void exporter_first(const struct uk_prom_server *srv)
{
	uint64_t end = uk_plat_time_mono_ns() +
		       EXPORTER_FIRST_MAX_MS * UK_NSEC_PER_MSEC;

	while (uk_plat_time_mono_ns() < end) {
		while (uk_sched_running_count() > 1 &&
		       uk_plat_time_mono_ns() < end)
			uk_thread_yield();
		if (!uk_prom_server_busy(srv))
			return;
		uk_thread_sleep_ns(UK_NSEC_PER_MSEC);
	}
}

/* The Linux view is linux.c's; an image built without it (demo-nonode,
 * the benchmarks' reference) has these defaults. */
__attribute__((weak)) void demo_linux_routes(void)
{
}

__attribute__((weak)) void demo_linux_start(void)
{
}

int main(int argc, char **argv)
{
	struct uk_mon_component *net, *exporter, *storage, *files;
	struct uk_prom_server_cfg cfg = { 0 };
	struct uk_prom_server *srv;
	char ip[16] = "0.0.0.0";
	uint64_t every;
	const char *en;
	uint16_t fport;
	int rc;

	net = component("network");
	exporter = component("exporter");
	storage = component("storage");
	files = component("fileserver");
	if (!net || !exporter || !storage || !files) {
		uk_pr_err("demo: cannot declare its components\n");
		return 5;
	}

	if (uk_virtio_net_probe() < 1) {
		uk_mon_component_started(net, -ENODEV);
		uk_pr_err("demo: no virtio-net device (add -netdev user,id=n0 "
			  "-device virtio-net-pci,netdev=n0, or "
			  "virtio-net-device under microvm)\n");
		return 2;
	}
	rc = uk_mon_component_started(net, uk_lwip_net_init(30000));
	if (rc) {
		uk_pr_err("demo: network configuration failed (%d)\n", rc);
		return 3;
	}
	if (netif_default)
		ip4addr_ntoa_r(netif_ip4_addr(netif_default), ip, sizeof(ip));

	demo_linux_routes();
	en = uk_plat_option("ukprom.enable");
	if (en && !strcmp(en, "0")) {
		uk_pr_info("ukprom: disabled (ukprom.enable=0)\n");
	} else {
		cfg.port = opt_port("ukprom.port", 9100);
		/* 0 leaves the exporter's own default. */
		cfg.max_conns = (uint16_t)opt_num("ukprom.max_conns", 1024, 0);
		cfg.head_timeout_ms = opt_ms("ukprom.head_timeout_ms");
		cfg.idle_timeout_ms = opt_ms("ukprom.idle_timeout_ms");
		cfg.send_timeout_ms = opt_ms("ukprom.send_timeout_ms");
		cfg.allow = uk_plat_option("ukprom.allow");
		cfg.auth = uk_plat_option("ukprom.auth");
		rc = uk_mon_component_started(exporter,
					      uk_prom_server_start(&cfg, &srv));
		if (rc == -EINVAL) {
			uk_pr_err("demo: exporter failed to start (%d): check "
				  "ukprom.allow and ukprom.auth\n", rc);
			return 4;
		}
		if (!rc) {
			uk_plat_boot_stage("exporter_listening");
			uk_pr_info("ukprom: listening on "
				   "http://%s:%u/metrics\n", ip,
				   (unsigned int)uk_prom_server_port(srv));
			exporter_first(srv);
		}
	}

	/* A disk or share that fails to mount is reported; the rest is
	 * served. */
	demo_site_init();
	uk_mon_component_started(storage, demo_storage_start());
	demo_linux_start();

	en = uk_plat_option("demo.accesslog");
	demo_log_enabled = !(en && !strcmp(en, "0"));
	opt_size("demo.put_max", &demo_http_cfg.put_max);
	fport = opt_port("demo.port", 8080);
	if (!uk_mon_component_started(files, demo_fileserver_start(fport))) {
		uk_plat_boot_stage("fileserver_listening");
		uk_pr_info("demo: file server on http://%s:%u/\n", ip,
			   (unsigned int)fport);
	}

	uk_alloc_failing_boot(&every);
	for (;;)
		uk_thread_sleep_ns(3600ULL * 1000000000ULL);
	return 0;
}
