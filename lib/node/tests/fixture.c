/*
 * The fake-but-real producers of node's and procfs' tests: the real
 * ukalloc region allocator as the default, uksched, the real VFS with
 * ramfs mounts, a uknetdev device and a
 * ukblkdev device whose drivers are fakes, and node's clocks fixed, so
 * every figure but CPU time and the heap's use is known (tests mask
 * those, which the scheduler and every library's allocations move).
 */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/blkdev.h>
#include <uk/netdev.h>
#include <uk/node.h>
#include <uk/sched.h>
#include <uk/vfs.h>

#include "fixture.h"

/* ---- clocks ---- */

static uint64_t wall(void)
{
	return 1700000000250000000ULL; /* 2023-11-14T22:13:20.25Z */
}

static uint64_t mono(void)
{
	return 100ULL * 1000000000ULL + 500000000ULL;
}

static const struct uk_node_clock nclock = { wall, mono };

/* ---- devices ---- */

static int nd_tx(struct uk_netdev *d, const void *f, size_t l) { return 0; }
static int nd_rx(struct uk_netdev *d, void *b, size_t s) { return 0; }
static int nd_intr(struct uk_netdev *d, int on) { return 0; }

static const struct uk_netdev_ops nd_ops = {
	.tx = nd_tx, .rx = nd_rx, .rx_intr_enable = nd_intr,
};
static struct uk_netdev nd;

static int bd_submit(struct uk_blkdev *d, struct uk_blkreq *req)
{
	uk_blkdev_complete(d, req, 0);
	return 0;
}

static const struct uk_blkdev_ops bd_ops = { .submit = bd_submit };
static struct uk_blkdev bd;
static uint64_t bd_now;

static uint64_t bd_clock(void)
{
	return bd_now;
}

static char heap[4 << 20] __attribute__((aligned(4096)));
static char sector[4096];

int fixture_setup(void)
{
	static int done;
	struct uk_alloc *a;
	unsigned int i;
	int rc;

	if (done)
		return 0;
	done = 1;
	a = uk_alloc_region_create(heap, sizeof(heap));
	if (!a)
		return -ENOMEM;
	uk_alloc_set_default(a);
	uk_node_clock_set(&nclock);
	uk_sched_init();

	uk_vfs_mkdir("/data", 0755);
	rc = uk_vfs_mount("data0", "/data", "ramfs", 0, "size=64k", NULL);
	if (rc)
		return rc;
	nd.ops = &nd_ops;
	nd.mtu = 1500;
	memcpy(nd.hwaddr, "\x52\x54\x00\x12\x34\x56", 6);
	if ((rc = uk_netdev_register(&nd)))
		return rc;
	for (i = 0; i < 3; i++)
		uk_netdev_tx(&nd, sector, 100);
	uk_netdev_rx_drop(&nd);

	bd.ops = &bd_ops;
	bd.sectors = 2048;
	bd.sector_size = 512;
	bd.max_in_flight = 1;
	bd.clock_ns = bd_clock;
	if ((rc = uk_blkdev_register(&bd)))
		return rc;
	for (i = 0; i < 2; i++)
		uk_blkdev_read(&bd, i * 8, 8, sector);
	uk_blkdev_write(&bd, 0, 1, sector);
	rc = uk_node_sync();
	if (rc)
		fprintf(stderr, "fixture: sync %d\n", rc);
	return rc;
}
