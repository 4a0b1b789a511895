/*
 * PCI configuration mechanism #1 for the kvm platform: the address of a
 * dword goes to port 0xCF8 and the data moves through port 0xCFC.  The two
 * port accesses must not be split by another access, which holds here
 * because threads are cooperative and no interrupt handler touches config
 * space.  A machine without PCI (QEMU's microvm) does not decode 0xCF8:
 * the address written there does not read back, which the first call of
 * uk_pci_cfg_default() checks once (as Linux's pci_check_type1 does).
 */
#include <stddef.h>

#include <uk/arch/io.h>
#include <uk/pci.h>

#define PCI_CFG_ADDR 0xcf8
#define PCI_CFG_DATA 0xcfc

static uint32_t cfg_addr(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off)
{
	return 0x80000000u | (uint32_t)bus << 16 | (uint32_t)(dev & 31) << 11 |
	       (uint32_t)(fn & 7) << 8 | (off & 0xfc);
}

static uint32_t cfg_read32(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off)
{
	outl(PCI_CFG_ADDR, cfg_addr(bus, dev, fn, off));
	return inl(PCI_CFG_DATA);
}

static void cfg_write32(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off,
			uint32_t val)
{
	outl(PCI_CFG_ADDR, cfg_addr(bus, dev, fn, off));
	outl(PCI_CFG_DATA, val);
}

static const struct uk_pci_cfg_ops port_cfg = {
	.read32 = cfg_read32,
	.write32 = cfg_write32,
};

/* The port-I/O config-space accessors, or NULL on a machine without PCI. */
const struct uk_pci_cfg_ops *uk_pci_cfg_default(void)
{
	static int present = -1;

	if (present < 0) {
		uint32_t old = inl(PCI_CFG_ADDR);

		outl(PCI_CFG_ADDR, 0x80000000u);
		present = inl(PCI_CFG_ADDR) == 0x80000000u;
		outl(PCI_CFG_ADDR, old);
	}
	return present ? &port_cfg : NULL;
}
