/*
 * Transport-neutral probing: a driver names a device type and gets every
 * such device the machine has, whatever carries it.  Under -M pc they are
 * PCI functions; under -M microvm, virtio-mmio blocks listed on the
 * command line (and the PCI probe costs one port write and read, finding
 * no configuration mechanism).  PCI goes first so that, on a machine with
 * both, device names (eth0, vda...) follow the PCI order as before.
 *
 * Each scan and each attach is a stage of the boot timeline
 * (uk/plat/bootstage.h): pci_scan and mmio_scan when the first probe has
 * scanned, attach_<type><n> (attach_net0, attach_blk0, attach_9p0...)
 * when a driver has taken a device.
 */
#include <uk/plat/bootstage.h>
#include <uk/virtio.h>

static uk_virtio_attach_fn real_attach;
static uint16_t probing;
static unsigned int attached[16];

static const char *type_name(uint16_t type)
{
	switch (type) {
	case UK_VIRTIO_ID_NET: return "net";
	case UK_VIRTIO_ID_BLOCK: return "blk";
	case UK_VIRTIO_ID_9P: return "9p";
	default: return "dev";
	}
}

/* Attaches through the driver, then marks the stage. */
static int attach_staged(struct uk_virtio_dev *vdev, int irq_line)
{
	char stage[24] = "attach_";
	const char *t = type_name(probing);
	unsigned int n = attached[probing & 15], i = 7;
	int rc = real_attach(vdev, irq_line);

	if (rc)
		return rc;
	attached[probing & 15]++;
	while (*t)
		stage[i++] = *t++;
	if (n >= 10)
		stage[i++] = (char)('0' + n / 10 % 10);
	stage[i++] = (char)('0' + n % 10);
	stage[i] = '\0';
	uk_plat_boot_stage(stage);
	return 0;
}

/* Attaches every device of type on every transport; returns how many. */
int uk_virtio_probe(uint16_t type, uk_virtio_attach_fn attach)
{
	uk_virtio_attach_fn saved = real_attach;
	uint16_t saved_type = probing;
	int n;

	real_attach = attach;
	probing = type;
	n = uk_virtio_pci_probe(type, attach_staged);
	uk_plat_boot_stage("pci_scan");
	n += uk_virtio_mmio_probe(type, attach_staged);
	uk_plat_boot_stage("mmio_scan");
	real_attach = saved;
	probing = saved_type;
	return n;
}

/* Attaches every virtio-net device; returns how many were attached. */
int uk_virtio_net_probe(void)
{
	return uk_virtio_probe(UK_VIRTIO_ID_NET, uk_virtio_net_attach);
}
