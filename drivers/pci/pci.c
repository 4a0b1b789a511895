/*
 * PCI bus scan.  Every function of every device on bus 0 is probed by its
 * vendor ID (0xffff: absent); multi-function devices are probed on all
 * eight functions, and PCI-to-PCI bridges (header type 1) are followed to
 * their secondary bus.  The scan reads everything a driver needs (IDs,
 * class, BARs, interrupt line) once, so drivers never touch config space
 * for discovery.
 */
#include <errno.h>
#include <stddef.h>

#include <uk/pci.h>

#define CFG_ID 0x00
#define CFG_CMD 0x04
#define CFG_CLASS 0x08
#define CFG_HDR 0x0c
#define CFG_BAR0 0x10
#define CFG_SUBSYS 0x2c
#define CFG_BUSES 0x18 /* bridges: primary, secondary, subordinate */
#define CFG_IRQ 0x3c

#define CMD_IO 0x1u
#define CMD_MEM 0x2u
#define CMD_MASTER 0x4u

static int scan_bus(const struct uk_pci_cfg_ops *ops, uint8_t bus,
		    uk_pci_scan_fn fn, void *arg, unsigned int depth);

static void read_fn(const struct uk_pci_cfg_ops *ops, struct uk_pci_dev *d)
{
	uint32_t id = ops->read32(d->bus, d->dev, d->fn, CFG_ID);
	uint32_t cls = ops->read32(d->bus, d->dev, d->fn, CFG_CLASS);
	uint32_t hdr = ops->read32(d->bus, d->dev, d->fn, CFG_HDR);
	uint32_t irq = ops->read32(d->bus, d->dev, d->fn, CFG_IRQ);
	unsigned int i, nbars;

	d->ops = ops;
	d->vendor_id = (uint16_t)id;
	d->device_id = (uint16_t)(id >> 16);
	d->revision = (uint8_t)cls;
	d->prog_if = (uint8_t)(cls >> 8);
	d->subclass = (uint8_t)(cls >> 16);
	d->class_code = (uint8_t)(cls >> 24);
	d->header_type = (uint8_t)(hdr >> 16);
	d->irq_line = (uint8_t)irq;
	d->irq_pin = (uint8_t)(irq >> 8);
	/* Header type 0 has six BARs and a subsystem ID; bridges have two. */
	nbars = (d->header_type & 0x7f) == 0 ? 6 : 2;
	for (i = 0; i < 6; i++)
		d->bar[i] = i < nbars ? ops->read32(d->bus, d->dev, d->fn,
						    (uint8_t)(CFG_BAR0 + 4 * i))
				      : 0;
	if ((d->header_type & 0x7f) == 0) {
		uint32_t ss = ops->read32(d->bus, d->dev, d->fn, CFG_SUBSYS);

		d->subsys_vendor_id = (uint16_t)ss;
		d->subsys_id = (uint16_t)(ss >> 16);
	} else {
		d->subsys_vendor_id = d->subsys_id = 0;
	}
}

static int scan_fn(const struct uk_pci_cfg_ops *ops, uint8_t bus,
		   uint8_t dev, uint8_t f, uk_pci_scan_fn fn, void *arg,
		   unsigned int depth)
{
	struct uk_pci_dev d = { .bus = bus, .dev = dev, .fn = f };
	int rc;

	read_fn(ops, &d);
	rc = fn(arg, &d);
	if (rc)
		return rc;
	/* A PCI-to-PCI bridge: its secondary bus holds more devices. */
	if ((d.header_type & 0x7f) == 1 && d.class_code == 0x06 &&
	    d.subclass == 0x04) {
		uint8_t sec = (uint8_t)(ops->read32(bus, dev, f, CFG_BUSES) >> 8);

		/* A bridge pointing back at its own bus would loop forever. */
		if (sec > bus)
			return scan_bus(ops, sec, fn, arg, depth + 1);
	}
	return 0;
}

static int scan_bus(const struct uk_pci_cfg_ops *ops, uint8_t bus,
		    uk_pci_scan_fn fn, void *arg, unsigned int depth)
{
	uint8_t dev, f;
	int rc;

	if (depth > 8)
		return 0;
	for (dev = 0; dev < 32; dev++) {
		uint32_t id = ops->read32(bus, dev, 0, CFG_ID);
		uint8_t hdr;

		if ((id & 0xffff) == 0xffff)
			continue;
		rc = scan_fn(ops, bus, dev, 0, fn, arg, depth);
		if (rc)
			return rc;
		hdr = (uint8_t)(ops->read32(bus, dev, 0, CFG_HDR) >> 16);
		if (!(hdr & 0x80))
			continue;
		for (f = 1; f < 8; f++) {
			id = ops->read32(bus, dev, f, CFG_ID);
			if ((id & 0xffff) == 0xffff)
				continue;
			rc = scan_fn(ops, bus, dev, f, fn, arg, depth);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/*
 * Scans from bus 0 and calls fn for each function present.  Returns 0,
 * fn's first non-zero result, or -EINVAL for missing ops or fn.
 */
int uk_pci_scan(const struct uk_pci_cfg_ops *ops, uk_pci_scan_fn fn,
		void *arg)
{
	if (!ops || !ops->read32 || !fn)
		return -EINVAL;
	return scan_bus(ops, 0, fn, arg, 0);
}

/* Turns on I/O and memory decoding and bus mastering (DMA) for d. */
void uk_pci_enable(const struct uk_pci_dev *d)
{
	uint32_t cmd = d->ops->read32(d->bus, d->dev, d->fn, CFG_CMD);

	cmd |= CMD_IO | CMD_MEM | CMD_MASTER;
	d->ops->write32(d->bus, d->dev, d->fn, CFG_CMD, cmd & 0xffff);
}
