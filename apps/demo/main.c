/*
 * The main image: a ukmon unikernel monitored by Prometheus.  It brings
 * up the network (virtio-net and lwIP, configured from the boot options
 * net.ip/net.gw/net.dns or DHCP), starts ukprom's exporter thread on
 * ukprom.port (default 9100; ukprom.enable=0 leaves it off, to measure
 * its cost) and the demo workload, a tiny file server on demo.port
 * (default 8080), and then idles: all the work happens in threads woken
 * by network interrupts.
 *
 * Each part is a ukmon component (network, exporter, fileserver),
 * declared before anything starts so that their gauges exist while
 * memory is plentiful: a part that fails to start is reported on the
 * console and as ukmon_component_up 0, and the VM runs on with what
 * works.  The exporter starts before the workload so that, when memory
 * is short, it is there to report what is missing.  Without a network
 * nothing can be served, so that failure ends the VM.  The boot option ukalloc.fail_every=N then makes every Nth
 * allocation fail (the exhaustion test).
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
#include <uk/print.h>
#include <uk/prom.h>
#include <uk/thread.h>
#include <uk/virtio.h>

#include "demo.h"

static uint16_t opt_port(const char *key, uint16_t dflt)
{
	const char *v = uk_plat_option(key);
	char *end;
	unsigned long p;

	if (!v)
		return dflt;
	p = strtoul(v, &end, 10);
	if (*end || !p || p > 65535) {
		uk_pr_warn("demo: ignoring bad %s=%s\n", key, v);
		return dflt;
	}
	return (uint16_t)p;
}

/* Declares a component; the image runs on without its gauge if need be. */
static struct uk_mon_component *component(const char *name)
{
	struct uk_mon_component *c = NULL;

	uk_mon_component_add(name, &c);
	return c;
}

int main(int argc, char **argv)
{
	struct uk_mon_component *net, *exporter, *files;
	struct uk_prom_server_cfg cfg = { 0 };
	struct uk_prom_server *srv;
	char ip[16] = "0.0.0.0";
	uint64_t every;
	const char *en;
	uint16_t fport;
	int rc;

	net = component("network");
	exporter = component("exporter");
	files = component("fileserver");
	if (!net || !exporter || !files) {
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

	en = uk_plat_option("ukprom.enable");
	if (en && !strcmp(en, "0")) {
		uk_pr_info("ukprom: disabled (ukprom.enable=0)\n");
	} else {
		cfg.port = opt_port("ukprom.port", 9100);
		rc = uk_mon_component_started(exporter,
					      uk_prom_server_start(&cfg, &srv));
		if (!rc) {
			uk_plat_boot_stage("exporter_listening");
			uk_pr_info("ukprom: listening on "
				   "http://%s:%u/metrics\n", ip,
				   (unsigned int)uk_prom_server_port(srv));
		}
	}

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
