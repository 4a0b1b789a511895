/*
 * The batch image: a short-lived instance that does one job, publishes
 * its metrics, pushes the whole store to a Prometheus Pushgateway as it
 * ends (it lives shorter than any scrape interval), and exits with the
 * job's status.
 *
 * The job (job.c) compresses batch.in (default /initrd/input: QEMU's
 * -initrd, a tar archive mounted read-only by tarfs at /initrd) into
 * batch.out (default /data/out.lz; its folders are created: /data is the
 * root ramfs, or whatever the boot line mounts there, such as a host
 * folder over 9P: vfs.mount=data:/data:9p) with our own LZSS.
 *
 * Boot options:
 *   batch.in=PATH, batch.out=PATH   the job's files
 *   uk.hostname=NAME                the instance (default ukmon)
 *   ukprom.push=HOST:PORT/PATH      push to a Pushgateway at the end,
 *                                   grouped by PATH's job and instance
 *                                   NAME (e.g. 10.0.2.2:9091/metrics/
 *                                   job/batch: QEMU's user network maps
 *                                   10.0.2.2 to the host's loopback)
 *   ukprom.push_interval=S          and every S seconds meanwhile
 *   ukprom.push_timeout_ms=N        bound on a push (default 2000)
 *   vfs.mount=SOURCE:TARGET:FSTYPE  mounts (repeatable; lib/vfs/boot.c)
 *   net.ip=, net.gw=, net.dns=      the address (DHCP without net.ip,
 *                                   given BATCH_DHCP_MS)
 *   batch.hold_ms=N                 stays N ms after the job (to watch
 *                                   periodic pushes: tests)
 * The network is brought up only for a push.  A failed push, a missing
 * NIC or a bad push option is reported on the console and changes
 * nothing else: the image exits with the job's own status (0 ok, 1
 * input, 2 compression, 3 output, 4 memory), after at most
 * ukprom.push_timeout_ms spent on the final push.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <uk/lwip.h>
#include <uk/mon.h>
#include <uk/plat/cmdline.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <uk/prom_push.h>
#include <uk/thread.h>
#include <uk/vfs.h>
#include <uk/virtio.h>

#include "job.h"

/* How long DHCP may take when the push needs the network. */
#define BATCH_DHCP_MS 5000

static const char *opt(const char *key, const char *dflt)
{
	const char *v = uk_plat_option(key);

	return v && *v ? v : dflt;
}

/* Mounts the initrd's tar archive read-only on /initrd, if there is one. */
static void mount_initrd(void)
{
	int rc = uk_vfs_mkdir("/initrd", 0755);

	if (rc && rc != -EEXIST) {
		uk_pr_err("batch: cannot create /initrd (%d)\n", rc);
		return;
	}
	rc = uk_vfs_mount("initrd", "/initrd", "tarfs", UK_VFS_MNT_RDONLY,
			  NULL, NULL);
	if (rc == -ENOENT)
		uk_pr_warn("batch: no initrd (add -initrd FILE.tar)\n");
	else if (rc)
		uk_pr_err("batch: cannot mount the initrd (%d)\n", rc);
}

/*
 * Attaches the block and 9P devices and mounts what the boot line asks
 * for (vfs.mount=...); a mount that fails is said on the console by
 * uk_vfs_mount_boot(), and the job then meets a missing /data itself.
 */
static void mount_boot(void)
{
	uk_virtio_probe(UK_VIRTIO_ID_BLOCK, uk_virtio_blk_attach);
	uk_virtio_probe(UK_VIRTIO_ID_9P, uk_virtio_9p_attach);
	(void)uk_vfs_mount_boot();
}

/*
 * Brings the network up and starts the push, when ukprom.push is set.
 * Returns the push, or NULL (none asked for, or it cannot be: said on
 * the console).
 */
static struct uk_prom_push *push_setup(const char *host)
{
	struct uk_prom_push *p = NULL;
	int rc;

	if (!uk_plat_option("ukprom.push"))
		return NULL;
	if (uk_virtio_net_probe() < 1) {
		uk_pr_err("batch: no virtio-net device: no push (add "
			  "-netdev user,id=n0 -device "
			  "virtio-net-pci,netdev=n0)\n");
		return NULL;
	}
	rc = uk_lwip_net_init(BATCH_DHCP_MS);
	if (rc) {
		uk_pr_err("batch: network configuration failed (%d): no "
			  "push\n", rc);
		return NULL;
	}
	rc = uk_prom_push_boot(host, &p);
	if (rc)
		uk_pr_err("batch: bad push settings (%d): no push\n", rc);
	return p;
}

int main(int argc, char **argv)
{
	struct batch_cfg cfg = { 0 };
	struct uk_prom_push *push;
	const char *host = uk_mon_hostname();
	unsigned long hold;
	uint64_t t0;
	int status, rc;

	cfg.in = opt("batch.in", "/initrd/input");
	cfg.out = opt("batch.out", "/data/out.lz");
	uk_pr_info("batch: %s starting: %s -> %s\n", host, cfg.in, cfg.out);
	mount_initrd();
	mount_boot();
	push = push_setup(host);

	status = batch_run(&cfg);

	hold = strtoul(opt("batch.hold_ms", "0"), NULL, 10);
	if (hold)
		uk_thread_sleep_ns((uint64_t)hold * UK_NSEC_PER_MSEC);
	if (push) {
		t0 = uk_plat_time_mono_ns();
		rc = uk_prom_push_final(push);
		uk_pr_info("batch: final push %s after %llu ms\n",
			   rc ? "failed" : "done",
			   (unsigned long long)((uk_plat_time_mono_ns() - t0) /
						UK_NSEC_PER_MSEC));
	}
	uk_pr_info("batch: exit status %d\n", status);
	return status;
}
