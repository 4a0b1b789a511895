/*
 * The network device registry and the counting wrappers around a driver's
 * operations.  Devices are named eth0, eth1... in registration order and
 * each is published as ukstore folder netdev/<name>, whose getters read
 * the device's counters; the store keeps a folder (and so the device)
 * alive while a scrape holds it, and tells the driver through
 * ops->release when the device may be freed.  The registry is a small
 * fixed array under a mutex: devices come and go rarely, at boot.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <uk/assert.h>
#include <uk/counter.h>
#include <uk/lock.h>
#include <uk/netdev.h>
#include <uk/store_publish.h>

UK_STORE_LIBRARY(netdev);

static struct uk_mutex reg_lock = UK_MUTEX_INITIALIZER;
static struct uk_netdev *devs[UK_NETDEV_MAX];
static unsigned int ndevs;
/* Next name suffix, never reused, so a store reader never sees a name
 * that moved to a different device. */
static unsigned int next_name;

#define STAT_GETTER(field) \
	static int get_##field(void *cookie, uint64_t *out) \
	{ \
		*out = uk_counter_read( \
			&((struct uk_netdev *)cookie)->stats.field); \
		return 0; \
	}
STAT_GETTER(rx_packets)
STAT_GETTER(rx_bytes)
STAT_GETTER(rx_errors)
STAT_GETTER(rx_drops)
STAT_GETTER(tx_packets)
STAT_GETTER(tx_bytes)
STAT_GETTER(tx_errors)
STAT_GETTER(tx_drops)
STAT_GETTER(tx_queue_full)
STAT_GETTER(rx_queue_empty)
STAT_GETTER(rx_irqs)

static int get_mtu(void *cookie, uint64_t *out)
{
	*out = ((struct uk_netdev *)cookie)->mtu;
	return 0;
}

static int get_link_up(void *cookie, uint64_t *out)
{
	*out = (uint64_t)uk_netdev_link_up(cookie);
	return 0;
}

#define COUNTER(f, unit, help) \
	UK_STORE_ENTRY(f, u64, counter, unit, help, get_##f, NULL, NULL)

static const struct uk_store_entry dev_tmpl[] = {
	COUNTER(rx_packets, none, "Frames received."),
	COUNTER(rx_bytes, bytes, "Bytes received in frames."),
	COUNTER(rx_errors, none, "Receive errors reported by the device."),
	COUNTER(rx_drops, none, "Received frames dropped."),
	COUNTER(tx_packets, none, "Frames transmitted."),
	COUNTER(tx_bytes, bytes, "Bytes transmitted in frames."),
	COUNTER(tx_errors, none, "Transmit errors reported by the device."),
	COUNTER(tx_drops, none, "Frames the stack gave up sending."),
	COUNTER(tx_queue_full, none,
		"Transmissions refused because the transmit queue was full."),
	COUNTER(rx_queue_empty, none, "Receive polls that found no frame."),
	COUNTER(rx_irqs, none, "Receive notifications from the device."),
	UK_STORE_ENTRY(mtu, u64, gauge, none, "Maximum transmission unit.",
		       get_mtu, NULL, NULL),
	UK_STORE_ENTRY(link_up, u64, gauge, none,
		       "1 when the link is up, else 0.", get_link_up, NULL,
		       NULL),
};

static void folder_release(void *cookie)
{
	struct uk_netdev *dev = cookie;

	if (dev->ops->release)
		dev->ops->release(dev);
}

static void fmt_name(char *buf, size_t size, unsigned int n)
{
	char digits[12];
	size_t nd = 0, i = 0;

	do {
		digits[nd++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	UK_ASSERT(size >= 4 + nd);
	memcpy(buf, "eth", 3);
	i = 3;
	while (nd)
		buf[i++] = digits[--nd];
	buf[i] = '\0';
}

/*
 * Registers dev as ethN and publishes netdev/ethN.  Returns 0, -EINVAL,
 * -ENOSPC or the store's error (see uk/netdev.h).
 */
int uk_netdev_register(struct uk_netdev *dev)
{
	int rc;

	if (!dev || !dev->ops || !dev->ops->tx || !dev->ops->rx ||
	    !dev->ops->rx_intr_enable || !dev->mtu)
		return -EINVAL;
	uk_mutex_lock(&reg_lock);
	if (dev->_registered) {
		rc = -EINVAL;
		goto out;
	}
	if (ndevs == UK_NETDEV_MAX) {
		rc = -ENOSPC;
		goto out;
	}
	fmt_name(dev->name, sizeof(dev->name), next_name);
	memset(&dev->stats, 0, sizeof(dev->stats));
	dev->_rx_cb = NULL;
	dev->_rx_cb_arg = NULL;
	rc = uk_store_folder_add(&uk_store_lib_netdev, "device", dev->name,
				 dev_tmpl,
				 sizeof(dev_tmpl) / sizeof(dev_tmpl[0]), dev,
				 folder_release, &dev->_folder);
	if (rc) {
		dev->name[0] = '\0';
		dev->_folder = NULL;
		goto out;
	}
	next_name++;
	dev->index = ndevs;
	dev->_registered = 1;
	devs[ndevs++] = dev;
out:
	uk_mutex_unlock(&reg_lock);
	return rc;
}

/* Unregisters dev and removes its folder.  Returns 0 or -ENOENT. */
int uk_netdev_unregister(struct uk_netdev *dev)
{
	struct uk_store_folder *f;
	unsigned int i;

	uk_mutex_lock(&reg_lock);
	for (i = 0; i < ndevs && devs[i] != dev; i++)
		;
	if (i == ndevs) {
		uk_mutex_unlock(&reg_lock);
		return -ENOENT;
	}
	for (; i + 1 < ndevs; i++) {
		devs[i] = devs[i + 1];
		devs[i]->index = i;
	}
	devs[--ndevs] = NULL;
	dev->_registered = 0;
	f = dev->_folder;
	dev->_folder = NULL;
	uk_mutex_unlock(&reg_lock);
	/* Outside the registry lock: the release callback may run here. */
	if (f)
		uk_store_folder_remove(f);
	return 0;
}

/* Number of registered devices. */
unsigned int uk_netdev_count(void)
{
	unsigned int n;

	uk_mutex_lock(&reg_lock);
	n = ndevs;
	uk_mutex_unlock(&reg_lock);
	return n;
}

/* The idx-th registered device, or NULL. */
struct uk_netdev *uk_netdev_get(unsigned int idx)
{
	struct uk_netdev *dev = NULL;

	uk_mutex_lock(&reg_lock);
	if (idx < ndevs)
		dev = devs[idx];
	uk_mutex_unlock(&reg_lock);
	return dev;
}

/* The registered device called name, or NULL. */
struct uk_netdev *uk_netdev_find(const char *name)
{
	struct uk_netdev *dev = NULL;
	unsigned int i;

	if (!name)
		return NULL;
	uk_mutex_lock(&reg_lock);
	for (i = 0; i < ndevs; i++) {
		if (!strcmp(devs[i]->name, name)) {
			dev = devs[i];
			break;
		}
	}
	uk_mutex_unlock(&reg_lock);
	return dev;
}

/* Sends one frame and counts it; returns as ops->tx, or -EINVAL. */
int uk_netdev_tx(struct uk_netdev *dev, const void *frame, size_t len)
{
	int rc;

	UK_ASSERT(dev && dev->ops);
	if (!frame || !len)
		return -EINVAL;
	rc = dev->ops->tx(dev, frame, len);
	if (rc == 0) {
		uk_counter_add(&dev->stats.tx_packets, 1);
		uk_counter_add(&dev->stats.tx_bytes, len);
		return 0;
	}
	if (rc == -EAGAIN)
		uk_counter_add(&dev->stats.tx_queue_full, 1);
	else
		uk_counter_add(&dev->stats.tx_errors, 1);
	return rc;
}

/* Receives one frame and counts it; returns its length, 0 or -errno. */
int uk_netdev_rx(struct uk_netdev *dev, void *buf, size_t size)
{
	int rc;

	UK_ASSERT(dev && dev->ops);
	rc = dev->ops->rx(dev, buf, size);
	if (rc > 0) {
		uk_counter_add(&dev->stats.rx_packets, 1);
		uk_counter_add(&dev->stats.rx_bytes, (uint64_t)rc);
	} else if (rc == 0) {
		uk_counter_add(&dev->stats.rx_queue_empty, 1);
	} else {
		uk_counter_add(&dev->stats.rx_errors, 1);
		if (rc == -EMSGSIZE)
			uk_counter_add(&dev->stats.rx_drops, 1);
	}
	return rc;
}

/* Installs the receive callback.  The pair is published callback last
 * so that an interrupt never sees a new callback with an old argument. */
void uk_netdev_rx_cb_set(struct uk_netdev *dev, uk_netdev_rx_cb_fn fn,
			 void *arg)
{
	__atomic_store_n(&dev->_rx_cb, NULL, __ATOMIC_RELEASE);
	__atomic_store_n(&dev->_rx_cb_arg, arg, __ATOMIC_RELEASE);
	__atomic_store_n(&dev->_rx_cb, fn, __ATOMIC_RELEASE);
}

/* Enables or disables the receive interrupt; 1: frames already wait. */
int uk_netdev_rx_intr_enable(struct uk_netdev *dev, int on)
{
	return dev->ops->rx_intr_enable(dev, on) > 0 ? 1 : 0;
}

/* Runs the receive callback (interrupt context). */
void uk_netdev_rx_notify(struct uk_netdev *dev)
{
	uk_netdev_rx_cb_fn fn = __atomic_load_n(&dev->_rx_cb,
						__ATOMIC_ACQUIRE);

	uk_counter_add_mt(&dev->stats.rx_irqs, 1);
	if (fn)
		fn(dev, __atomic_load_n(&dev->_rx_cb_arg, __ATOMIC_ACQUIRE));
}

/* 1 when the link is up. */
int uk_netdev_link_up(struct uk_netdev *dev)
{
	if (!dev->ops->link_up)
		return 1;
	return dev->ops->link_up(dev) ? 1 : 0;
}

/* Counts a received frame the stack dropped. */
void uk_netdev_rx_drop(struct uk_netdev *dev)
{
	uk_counter_add(&dev->stats.rx_drops, 1);
}

/* Counts a frame the stack gave up sending. */
void uk_netdev_tx_drop(struct uk_netdev *dev)
{
	uk_counter_add(&dev->stats.tx_drops, 1);
}
