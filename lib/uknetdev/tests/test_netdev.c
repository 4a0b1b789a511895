/*
 * Tests of the network device registry and its ukstore folders, over a
 * fake in-memory device: names, lookup, the counting wrappers, the
 * receive notification path, the store values and unregistration with
 * its release callback.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/netdev.h>
#include <uk/store.h>
#include <uk/test.h>

struct fake {
	struct uk_netdev dev;
	unsigned char q[4][64];
	size_t qlen[4];
	unsigned int qhead, qcount;
	int tx_full;
	int intr_on;
	int released;
	size_t last_tx;
};

static int fake_tx(struct uk_netdev *dev, const void *frame, size_t len)
{
	struct fake *f = dev->priv;

	if (f->tx_full)
		return -EAGAIN;
	if (len > UK_NETDEV_FRAME_MAX(dev->mtu))
		return -EMSGSIZE;
	f->last_tx = len;
	return 0;
}

static int fake_rx(struct uk_netdev *dev, void *buf, size_t size)
{
	struct fake *f = dev->priv;
	size_t len;

	if (!f->qcount)
		return 0;
	len = f->qlen[f->qhead];
	f->qhead = (f->qhead + 1) % 4;
	f->qcount--;
	if (len > size)
		return -EMSGSIZE;
	memcpy(buf, f->q[(f->qhead + 3) % 4], len);
	return (int)len;
}

static int fake_intr(struct uk_netdev *dev, int on)
{
	struct fake *f = dev->priv;

	f->intr_on = on;
	return on && f->qcount ? 1 : 0;
}

static void fake_release(struct uk_netdev *dev)
{
	((struct fake *)dev->priv)->released++;
}

static const struct uk_netdev_ops fake_ops = {
	.tx = fake_tx, .rx = fake_rx, .rx_intr_enable = fake_intr,
	.release = fake_release,
};

static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	f->dev.ops = &fake_ops;
	f->dev.mtu = 46;
	f->dev.priv = f;
	memcpy(f->dev.hwaddr, "\x52\x54\x00\x12\x34\x56", 6);
}

static void fake_queue(struct fake *f, size_t len)
{
	unsigned int slot = (f->qhead + f->qcount) % 4;

	memset(f->q[slot], 0xab, sizeof(f->q[slot]));
	f->qlen[slot] = len;
	f->qcount++;
}

static long long read_u(const char *path)
{
	struct uk_store_value v;
	int rc = uk_store_read_path(path, &v);

	return rc ? rc : (long long)v.u;
}

UK_TEST(netdev_register_names_and_lookup)
{
	struct fake a, b;
	char name[16], path[64];
	int base;

	fake_init(&a);
	fake_init(&b);
	UK_TEST_EQ(uk_netdev_count(), 0);
	UK_TEST_EQ(uk_netdev_register(&a.dev), 0);
	UK_TEST_EQ(uk_netdev_register(&b.dev), 0);
	UK_TEST_EQ(uk_netdev_register(&a.dev), -EINVAL);
	UK_TEST_EQ(uk_netdev_count(), 2);
	/* Other cases may have used names before: only the order counts. */
	UK_TEST_EQ(strncmp(a.dev.name, "eth", 3), 0);
	base = atoi(a.dev.name + 3);
	snprintf(name, sizeof(name), "eth%d", base + 1);
	UK_TEST_STREQ(b.dev.name, name);
	UK_TEST_ASSERT(uk_netdev_get(0) == &a.dev);
	UK_TEST_ASSERT(uk_netdev_get(1) == &b.dev);
	UK_TEST_ASSERT(uk_netdev_get(2) == NULL);
	UK_TEST_ASSERT(uk_netdev_find(name) == &b.dev);
	UK_TEST_ASSERT(uk_netdev_find("eth7") == NULL);
	snprintf(path, sizeof(path), "netdev/%s/mtu", a.dev.name);
	UK_TEST_EQ(read_u(path), 46);
	snprintf(path, sizeof(path), "netdev/%s/link_up", b.dev.name);
	UK_TEST_EQ(read_u(path), 1);

	UK_TEST_EQ(uk_netdev_unregister(&a.dev), 0);
	UK_TEST_EQ(a.released, 1);
	UK_TEST_EQ(uk_netdev_unregister(&a.dev), -ENOENT);
	UK_TEST_EQ(uk_netdev_count(), 1);
	UK_TEST_ASSERT(uk_netdev_get(0) == &b.dev);
	UK_TEST_EQ(b.dev.index, 0);
	snprintf(path, sizeof(path), "netdev/eth%d/mtu", base);
	UK_TEST_EQ(read_u(path), -ENOENT);
	/* Names are never reused. */
	UK_TEST_EQ(uk_netdev_register(&a.dev), 0);
	snprintf(name, sizeof(name), "eth%d", base + 2);
	UK_TEST_STREQ(a.dev.name, name);
	UK_TEST_EQ(uk_netdev_unregister(&a.dev), 0);
	UK_TEST_EQ(uk_netdev_unregister(&b.dev), 0);
	UK_TEST_EQ(b.released, 1);
	UK_TEST_EQ(uk_netdev_count(), 0);
}

UK_TEST(netdev_register_rejects_bad_devices)
{
	static const struct uk_netdev_ops no_rx = { .tx = fake_tx,
						    .rx_intr_enable =
							    fake_intr };
	struct fake f[UK_NETDEV_MAX + 1];
	unsigned int i;

	fake_init(&f[0]);
	f[0].dev.mtu = 0;
	UK_TEST_EQ(uk_netdev_register(&f[0].dev), -EINVAL);
	fake_init(&f[0]);
	f[0].dev.ops = &no_rx;
	UK_TEST_EQ(uk_netdev_register(&f[0].dev), -EINVAL);
	UK_TEST_EQ(uk_netdev_register(NULL), -EINVAL);

	for (i = 0; i <= UK_NETDEV_MAX; i++)
		fake_init(&f[i]);
	for (i = 0; i < UK_NETDEV_MAX; i++)
		UK_TEST_EQ(uk_netdev_register(&f[i].dev), 0);
	UK_TEST_EQ(uk_netdev_register(&f[UK_NETDEV_MAX].dev), -ENOSPC);
	UK_TEST_EQ(uk_netdev_count(), UK_NETDEV_MAX);
	for (i = 0; i < UK_NETDEV_MAX; i++)
		UK_TEST_EQ(uk_netdev_unregister(&f[i].dev), 0);
	UK_TEST_EQ(uk_netdev_count(), 0);
}

UK_TEST(netdev_counters_in_store)
{
	struct fake f;
	unsigned char buf[64];
	char path[64];
	int rc;

	fake_init(&f);
	UK_TEST_EQ(uk_netdev_register(&f.dev), 0);
	UK_TEST_EQ(uk_netdev_tx(&f.dev, buf, 60), 0);
	UK_TEST_EQ(uk_netdev_tx(&f.dev, buf, 42), 0);
	UK_TEST_EQ(uk_netdev_tx(&f.dev, buf, 0), -EINVAL);
	UK_TEST_EQ(uk_netdev_tx(&f.dev, buf, 65), -EMSGSIZE);
	f.tx_full = 1;
	UK_TEST_EQ(uk_netdev_tx(&f.dev, buf, 42), -EAGAIN);
	UK_TEST_EQ(uk_netdev_tx(&f.dev, buf, 42), -EAGAIN);
	uk_netdev_tx_drop(&f.dev); /* the stack gives up on that frame */

	fake_queue(&f, 50);
	fake_queue(&f, 64);
	UK_TEST_EQ(uk_netdev_rx(&f.dev, buf, sizeof(buf)), 50);
	UK_TEST_EQ(buf[0], 0xab);
	UK_TEST_EQ(uk_netdev_rx(&f.dev, buf, 32), -EMSGSIZE);
	UK_TEST_EQ(uk_netdev_rx(&f.dev, buf, sizeof(buf)), 0);
	uk_netdev_rx_drop(&f.dev);

#define P(e) (snprintf(path, sizeof(path), "netdev/%s/" #e, f.dev.name), \
	      path)
	UK_TEST_EQ(read_u(P(tx_packets)), 2);
	UK_TEST_EQ(read_u(P(tx_bytes)), 102);
	UK_TEST_EQ(read_u(P(tx_errors)), 1);
	UK_TEST_EQ(read_u(P(tx_drops)), 1);
	UK_TEST_EQ(read_u(P(tx_queue_full)), 2);
	UK_TEST_EQ(read_u(P(rx_packets)), 1);
	UK_TEST_EQ(read_u(P(rx_bytes)), 50);
	UK_TEST_EQ(read_u(P(rx_errors)), 1);
	UK_TEST_EQ(read_u(P(rx_drops)), 2);
	UK_TEST_EQ(read_u(P(rx_queue_empty)), 1);
#undef P
	rc = uk_netdev_unregister(&f.dev);
	UK_TEST_EQ(rc, 0);
}

static void on_rx(struct uk_netdev *dev, void *arg)
{
	(*(int *)arg)++;
}

UK_TEST(netdev_rx_notify_and_interrupts)
{
	struct fake f;
	int hits = 0;

	fake_init(&f);
	UK_TEST_EQ(uk_netdev_register(&f.dev), 0);
	uk_netdev_rx_notify(&f.dev); /* no callback yet: only counted */
	uk_netdev_rx_cb_set(&f.dev, on_rx, &hits);
	uk_netdev_rx_notify(&f.dev);
	uk_netdev_rx_notify(&f.dev);
	UK_TEST_EQ(hits, 2);
	UK_TEST_EQ(f.dev.stats.rx_irqs, 3);
	UK_TEST_EQ(uk_netdev_rx_intr_enable(&f.dev, 1), 0);
	UK_TEST_EQ(f.intr_on, 1);
	fake_queue(&f, 20);
	UK_TEST_EQ(uk_netdev_rx_intr_enable(&f.dev, 1), 1);
	UK_TEST_EQ(uk_netdev_rx_intr_enable(&f.dev, 0), 0);
	UK_TEST_EQ(f.intr_on, 0);
	uk_netdev_rx_cb_set(&f.dev, NULL, NULL);
	uk_netdev_rx_notify(&f.dev);
	UK_TEST_EQ(hits, 2);
	UK_TEST_EQ(uk_netdev_link_up(&f.dev), 1);
	UK_TEST_EQ(uk_netdev_unregister(&f.dev), 0);
}
