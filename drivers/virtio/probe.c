/*
 * Transport-neutral probing: a driver names a device type and gets every
 * such device the machine has, whatever carries it.  Under -M pc they are
 * PCI functions; under -M microvm, virtio-mmio blocks listed on the
 * command line (and the PCI probe costs one port write and read, finding
 * no configuration mechanism).  PCI goes first so that, on a machine with
 * both, device names (eth0, vda...) follow the PCI order as before.
 */
#include <uk/virtio.h>

/* Attaches every device of type on every transport; returns how many. */
int uk_virtio_probe(uint16_t type, uk_virtio_attach_fn attach)
{
	return uk_virtio_pci_probe(type, attach) +
	       uk_virtio_mmio_probe(type, attach);
}

/* Attaches every virtio-net device; returns how many were attached. */
int uk_virtio_net_probe(void)
{
	return uk_virtio_probe(UK_VIRTIO_ID_NET, uk_virtio_net_attach);
}
