/*
 * The lwip-nic-test image: networking in the VM end to end.  It attaches
 * the virtio-net driver to QEMU's NIC, brings the interface up from the
 * boot options (DHCP from QEMU's user network when net.ip is absent),
 * and serves ukprom's exporter on port 9100 until the host, which
 * scrapes it through a forwarded loopback port, asks for /quit (answered
 * 404, which the test sees in ukprom's own error counter).  Driven by
 * lib/lwip/tests/test_nic.sh.
 */
#include <errno.h>
#include <stdint.h>

#include <uk/lwip.h>
#include <uk/netdev.h>
#include <uk/plat/time.h>
#include <uk/prom.h>
#include <uk/store.h>
#include <uk/test.h>
#include <uk/thread.h>
#include <uk/virtio.h>

#define SERVE_LIMIT_S 90

static long long read_u(const char *path)
{
	struct uk_store_value v;
	int rc = uk_store_read_path(path, &v);

	return rc ? rc : (long long)v.u;
}

UK_TEST(lwip_nic_exporter)
{
	struct uk_prom_server_cfg cfg = { .port = 9100 };
	struct uk_prom_server *s;
	uint64_t t0, deadline;
	int rc;

	UK_TEST_ASSERT(uk_virtio_net_probe() >= 1);
	UK_TEST_ASSERT(uk_netdev_count() >= 1);
	t0 = uk_plat_time_mono_ns();
	rc = uk_lwip_net_init(20000);
	UK_TEST_EQ(rc, 0);
	uk_test_log("network up in %llu ms",
		    (unsigned long long)(uk_plat_time_mono_ns() - t0) /
		    UK_NSEC_PER_MSEC);
	UK_TEST_EQ(uk_prom_server_start(&cfg, &s), 0);
	uk_test_log("serving on port %u", uk_prom_server_port(s));
	deadline = uk_plat_time_mono_ns() + SERVE_LIMIT_S * UK_NSEC_PER_SEC;
	while (read_u("ukprom/404/http_errors") < 1 &&
	       uk_plat_time_mono_ns() < deadline)
		uk_thread_sleep_ns(50 * UK_NSEC_PER_MSEC);
	uk_test_log("scrapes served: %lld text, %lld openmetrics",
		    read_u("ukprom/text/scrapes"),
		    read_u("ukprom/openmetrics/scrapes"));
	uk_test_log("eth0: rx %lld frames, tx %lld frames, %lld irqs",
		    read_u("netdev/eth0/rx_packets"),
		    read_u("netdev/eth0/tx_packets"),
		    read_u("netdev/eth0/rx_irqs"));
	UK_TEST_ASSERT(read_u("ukprom/404/http_errors") >= 1);
	uk_prom_server_stop(s);
}
