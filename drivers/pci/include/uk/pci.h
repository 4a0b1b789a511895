/*
 * uk/pci.h: PCI enumeration through configuration space.
 *
 * The scan walks every bus/device/function reachable from bus 0 (following
 * PCI-to-PCI bridges), and hands each function found to a callback with
 * its IDs, class, BARs and legacy interrupt line.  Config-space access goes
 * through a small ops table: the platform provides the real one (I/O ports
 * 0xCF8/0xCFC on x86), and tests inject a fake config space, so the scan
 * logic runs on linuxu.
 *
 * Errors: 0 or a negative errno.
 */
#ifndef UK_PCI_H
#define UK_PCI_H

#include <stdint.h>

/** Config-space accessors (dword granularity, off multiple of 4). */
struct uk_pci_cfg_ops {
	uint32_t (*read32)(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off);
	void (*write32)(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off,
			uint32_t val);
};

/** One PCI function, as found by the scan. */
struct uk_pci_dev {
	const struct uk_pci_cfg_ops *ops;
	uint8_t bus, dev, fn;
	uint16_t vendor_id, device_id;
	uint16_t subsys_vendor_id, subsys_id;
	uint8_t class_code, subclass, prog_if, revision;
	uint8_t header_type;
	uint8_t irq_line;      /**< legacy INTx line (0xff: none) */
	uint8_t irq_pin;       /**< 1..4 = INTA..INTD, 0: none */
	uint32_t bar[6];       /**< raw BAR registers */
};

#define UK_PCI_BAR_IO 0x1u
/** The I/O port base of an I/O-space BAR, or 0 if bar is memory. */
static inline uint16_t uk_pci_bar_io(uint32_t bar)
{
	return (bar & UK_PCI_BAR_IO) ? (uint16_t)(bar & ~0x3u) : 0;
}

/** Stops the scan with this value when non-zero. */
typedef int (*uk_pci_scan_fn)(void *arg, const struct uk_pci_dev *d);

/**
 * Calls fn for every function present, in bus/device/function order.
 * Returns 0 after a full scan, or fn's first non-zero result.
 */
int uk_pci_scan(const struct uk_pci_cfg_ops *ops, uk_pci_scan_fn fn,
		void *arg);

/**
 * The platform's config-space accessors (kvm: ports 0xCF8/0xCFC), or NULL
 * when the machine has no PCI (QEMU's microvm).
 */
const struct uk_pci_cfg_ops *uk_pci_cfg_default(void);

/** Enables I/O space, memory space and bus mastering for d. */
void uk_pci_enable(const struct uk_pci_dev *d);

#endif
