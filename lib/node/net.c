/*
 * node_net: the network devices of uknetdev as /proc/net/dev and
 * /sys/class/net show them, and node_exporter's node_network_* series
 * (label device), one folder node/<dev> each, made by uk_node_sync().
 *
 * The counters are the device's own (uknetdev's wrappers keep them).
 * What the drivers do not track (FIFO overruns, framing errors,
 * compression, multicast, collisions, carrier losses) is 0: virtio has
 * none of them.  node_network_up is the link state; node_network_info
 * carries the MAC address, operstate "up" or "down" and adminstate "up"
 * (a registered device is always enabled).  The process collector's
 * process_network_{receive,transmit}_bytes_total sum all devices (the
 * instance is one process).
 *
 * Getters find their device by index at every read (the folder's
 * cookie), so a folder never holds a pointer to a device.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <uk/netdev.h>
#include <uk/node.h>
#include <uk/store_publish.h>

#include "node_impl.h"

/* As uk_node_netdev_read(); the link state (a device register read, an
 * exit to the hypervisor) only when link is set. */
static int read_dev(unsigned int i, struct uk_node_netdev *out, int link)
{
	struct uk_netdev *d;

	memset(out, 0, sizeof(*out));
	if (i >= uk_netdev_count() || !(d = uk_netdev_get(i)))
		return -ENOENT;
	memcpy(out->name, d->name, sizeof(out->name));
	out->name[sizeof(out->name) - 1] = '\0';
	memcpy(out->hwaddr, d->hwaddr, sizeof(out->hwaddr));
	out->mtu = d->mtu;
	out->up = link && uk_netdev_link_up(d) > 0;
#define LD(f) __atomic_load_n(&d->stats.f, __ATOMIC_RELAXED)
	out->rx_bytes = LD(rx_bytes);
	out->rx_packets = LD(rx_packets);
	out->rx_errs = LD(rx_errors);
	out->rx_drop = LD(rx_drops);
	out->tx_bytes = LD(tx_bytes);
	out->tx_packets = LD(tx_packets);
	out->tx_errs = LD(tx_errors);
	out->tx_drop = LD(tx_drops);
#undef LD
	return 0;
}

int uk_node_netdev_read(unsigned int i, struct uk_node_netdev *out)
{
	return read_dev(i, out, 1);
}

/* Per device slot: its folder and the strings its info value shows. */
struct slot {
	struct uk_store_folder *f;
	char name[16];
	char address[18];
};
static struct slot slots[UK_NETDEV_MAX];

#define NET_GETTER(f, link) \
	static int get_##f(void *cookie, uint64_t *out) \
	{ \
		struct uk_node_netdev d; \
		int rc = read_dev((unsigned int)(uintptr_t)cookie, &d, \
				  link); \
		*out = d.f; \
		return rc; \
	}
NET_GETTER(rx_bytes, 0)
NET_GETTER(rx_packets, 0)
NET_GETTER(rx_errs, 0)
NET_GETTER(rx_drop, 0)
NET_GETTER(tx_bytes, 0)
NET_GETTER(tx_packets, 0)
NET_GETTER(tx_errs, 0)
NET_GETTER(tx_drop, 0)
NET_GETTER(up, 1)
NET_GETTER(mtu, 0)

static int get_zero(void *cookie, uint64_t *out)
{
	*out = 0;
	return 0;
}

static int get_info(void *cookie, struct uk_store_labels_val *out)
{
	unsigned int i = (unsigned int)(uintptr_t)cookie;
	struct uk_node_netdev d;
	int rc = uk_node_netdev_read(i, &d);

	if (rc)
		return rc;
	out->n = 6;
	out->l[0] = (struct uk_store_label){ "address", slots[i].address };
	out->l[1] = (struct uk_store_label){ "adminstate", "up" };
	out->l[2] = (struct uk_store_label){ "broadcast",
					     "ff:ff:ff:ff:ff:ff" };
	out->l[3] = (struct uk_store_label){ "duplex", "full" };
	out->l[4] = (struct uk_store_label){ "ifalias", "" };
	out->l[5] = (struct uk_store_label){ "operstate",
					     d.up ? "up" : "down" };
	return 0;
}

#define RX(n, g, help) \
	UK_STORE_ENTRY(network_receive_##n##_total, u64, counter, none, \
		       "Network device statistic receive_" #n "." help, g, \
		       NULL, NULL)
#define TX(n, g, help) \
	UK_STORE_ENTRY(network_transmit_##n##_total, u64, counter, none, \
		       "Network device statistic transmit_" #n "." help, g, \
		       NULL, NULL)
#define UNTRACKED " Not tracked: 0."

static const struct uk_store_entry net_tmpl[] = {
	RX(bytes, get_rx_bytes, ""),
	RX(packets, get_rx_packets, ""),
	RX(errs, get_rx_errs, ""),
	RX(drop, get_rx_drop, ""),
	RX(fifo, get_zero, UNTRACKED),
	RX(frame, get_zero, UNTRACKED),
	RX(compressed, get_zero, UNTRACKED),
	RX(multicast, get_zero, UNTRACKED),
	TX(bytes, get_tx_bytes, ""),
	TX(packets, get_tx_packets, ""),
	TX(errs, get_tx_errs, ""),
	TX(drop, get_tx_drop, ""),
	TX(fifo, get_zero, UNTRACKED),
	TX(colls, get_zero, UNTRACKED),
	TX(carrier, get_zero, UNTRACKED),
	TX(compressed, get_zero, UNTRACKED),
	UK_STORE_ENTRY(network_up, u64, gauge, none,
		       "Value is 1 if operstate is 'up', 0 otherwise.",
		       get_up, NULL, NULL),
	UK_STORE_ENTRY(network_carrier, u64, gauge, none,
		       "Network device property: carrier.", get_up, NULL,
		       NULL),
	UK_STORE_ENTRY(network_mtu_bytes, u64, gauge, bytes,
		       "Network device property: mtu_bytes.", get_mtu, NULL,
		       NULL),
	UK_STORE_ENTRY(network_info, labels, info, none,
		       "Non-numeric data from /sys/class/net/<iface>, value "
		       "is always 1.", get_info, NULL, NULL),
};

int _uk_node_net_sync(void)
{
	static const char *const names[] = { "device" };
	struct uk_node_netdev d;
	unsigned int i;
	int rc = 0, r;

	for (i = 0; i < UK_NETDEV_MAX; i++) {
		struct slot *s = &slots[i];
		int have = !uk_node_netdev_read(i, &d);

		if (s->f && (!have || strcmp(s->name, d.name))) {
			uk_store_folder_remove(s->f);
			s->f = NULL;
		}
		if (!have || s->f)
			continue;
		memcpy(s->name, d.name, sizeof(s->name));
		snprintf(s->address, sizeof(s->address),
			 "%02x:%02x:%02x:%02x:%02x:%02x", d.hwaddr[0],
			 d.hwaddr[1], d.hwaddr[2], d.hwaddr[3], d.hwaddr[4],
			 d.hwaddr[5]);
		r = uk_store_folder_add_labels(&uk_store_lib_node, names, NULL,
					       1, d.name, net_tmpl,
					       sizeof(net_tmpl) /
					       sizeof(net_tmpl[0]),
					       (void *)(uintptr_t)i, NULL,
					       &s->f);
		if (r && !rc)
			rc = r;
	}
	return rc;
}

static int get_process_net(void *cookie, uint64_t *out)
{
	struct uk_node_netdev d;
	unsigned int i;

	*out = 0;
	for (i = 0; !read_dev(i, &d, 0); i++)
		*out += cookie ? d.tx_bytes : d.rx_bytes;
	return 0;
}

UK_STORE_STATIC_ENTRY(process, network_receive_bytes_total, u64, counter,
		      bytes, "Number of bytes received by the process over "
		      "the network.", get_process_net, NULL, 0);
UK_STORE_STATIC_ENTRY(process, network_transmit_bytes_total, u64, counter,
		      bytes, "Number of bytes sent by the process over the "
		      "network.", get_process_net, NULL, 1);
