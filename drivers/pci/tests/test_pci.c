/*
 * PCI scan tests over a fake configuration space: a host bridge, a
 * virtio-net function with an I/O BAR and an interrupt line, a
 * multi-function device, and a PCI-to-PCI bridge leading to bus 1.
 */
#include <string.h>

#include <uk/pci.h>
#include <uk/test.h>

#define NFN 8

struct fake_fn {
	uint8_t bus, dev, fn;
	uint32_t cfg[64];
};

static struct fake_fn fns[NFN];
static int nfns;

static struct fake_fn *find(uint8_t bus, uint8_t dev, uint8_t fn)
{
	int i;

	for (i = 0; i < nfns; i++)
		if (fns[i].bus == bus && fns[i].dev == dev && fns[i].fn == fn)
			return &fns[i];
	return NULL;
}

static uint32_t fake_read(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off)
{
	struct fake_fn *f = find(bus, dev, fn);

	return f ? f->cfg[off / 4] : 0xffffffffu;
}

static void fake_write(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off,
		       uint32_t val)
{
	struct fake_fn *f = find(bus, dev, fn);

	if (f)
		f->cfg[off / 4] = val;
}

static const struct uk_pci_cfg_ops fake_ops = { fake_read, fake_write };

static struct fake_fn *add(uint8_t bus, uint8_t dev, uint8_t fn,
			   uint16_t ven, uint16_t did, uint32_t cls,
			   uint8_t hdr)
{
	struct fake_fn *f = &fns[nfns++];

	memset(f, 0, sizeof(*f));
	f->bus = bus;
	f->dev = dev;
	f->fn = fn;
	f->cfg[0] = (uint32_t)did << 16 | ven;
	f->cfg[2] = cls;
	f->cfg[3] = (uint32_t)hdr << 16;
	return f;
}

static void setup(void)
{
	struct fake_fn *f;

	nfns = 0;
	add(0, 0, 0, 0x8086, 0x1237, 0x06000000, 0);          /* host bridge */
	f = add(0, 3, 0, 0x1af4, 0x1000, 0x02000000, 0);      /* virtio-net */
	f->cfg[4] = 0xc041;                                   /* I/O BAR */
	f->cfg[11] = 0x00011af4;                              /* subsys 1 */
	f->cfg[15] = 0x0000010b;                              /* INTA, 11 */
	add(0, 4, 0, 0x1234, 0x0001, 0x01000000, 0x80);       /* multi-fn */
	add(0, 4, 2, 0x1234, 0x0002, 0x01000000, 0x00);
	f = add(0, 5, 0, 0x1b36, 0x0001, 0x06040000, 0x01);   /* p2p bridge */
	f->cfg[6] = 0x00010100;                               /* sec bus 1 */
	add(1, 0, 0, 0x1af4, 0x1001, 0x01000000, 0);          /* behind it */
}

struct seen {
	int n;
	uint16_t dids[NFN];
	struct uk_pci_dev net;
};

static int collect(void *arg, const struct uk_pci_dev *d)
{
	struct seen *s = arg;

	s->dids[s->n++] = d->device_id;
	if (d->vendor_id == 0x1af4 && d->device_id == 0x1000)
		s->net = *d;
	return 0;
}

UK_TEST(pci_scan_finds_all_functions_in_order)
{
	struct seen s = { 0 };

	setup();
	UK_TEST_EQ(uk_pci_scan(&fake_ops, collect, &s), 0);
	UK_TEST_EQ(s.n, 6);
	UK_TEST_EQ(s.dids[0], 0x1237);
	UK_TEST_EQ(s.dids[1], 0x1000);
	UK_TEST_EQ(s.dids[2], 0x0001);
	UK_TEST_EQ(s.dids[3], 0x0002); /* function 2 of the multi-fn */
	UK_TEST_EQ(s.dids[4], 0x0001); /* the bridge */
	UK_TEST_EQ(s.dids[5], 0x1001); /* behind the bridge */
}

UK_TEST(pci_scan_reads_bars_irq_and_ids)
{
	struct seen s = { 0 };

	setup();
	uk_pci_scan(&fake_ops, collect, &s);
	UK_TEST_EQ(s.net.class_code, 0x02);
	UK_TEST_EQ(s.net.irq_line, 11);
	UK_TEST_EQ(s.net.irq_pin, 1);
	UK_TEST_EQ(s.net.subsys_id, 1);
	UK_TEST_EQ(uk_pci_bar_io(s.net.bar[0]), 0xc040);
	UK_TEST_EQ(uk_pci_bar_io(0xfebf0000), 0);
}

static int stop_at_net(void *arg, const struct uk_pci_dev *d)
{
	(*(int *)arg)++;
	return d->device_id == 0x1000 ? 42 : 0;
}

UK_TEST(pci_scan_stops_on_callback_result)
{
	int n = 0;

	setup();
	UK_TEST_EQ(uk_pci_scan(&fake_ops, stop_at_net, &n), 42);
	UK_TEST_EQ(n, 2);
	UK_TEST_EQ(uk_pci_scan(NULL, stop_at_net, &n), -22);
}

UK_TEST(pci_enable_sets_io_mem_and_master)
{
	struct seen s = { 0 };

	setup();
	uk_pci_scan(&fake_ops, collect, &s);
	uk_pci_enable(&s.net);
	UK_TEST_EQ(find(0, 3, 0)->cfg[1] & 7, 7);
}

static int count_only(void *arg, const struct uk_pci_dev *d)
{
	(*(int *)arg)++;
	return 0;
}

UK_TEST(pci_bridge_loop_terminates)
{
	struct fake_fn *f;
	int n = 0;

	setup();
	f = find(0, 5, 0);
	f->cfg[6] = 0x00000000; /* secondary bus 0: points back at itself */
	UK_TEST_EQ(uk_pci_scan(&fake_ops, count_only, &n), 0);
	UK_TEST_EQ(n, 5);
}
