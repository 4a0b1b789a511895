/*
 * Legacy interrupt lines through the two 8259 PICs, remapped to vectors
 * 32-47 so they cannot be mistaken for exceptions.  Every line starts
 * masked and is unmasked when its first handler is registered; several
 * handlers may share a line (PCI INTx lines are shared and level
 * triggered, so each handler checks its own device).  Handlers come from
 * a static pool, since drivers register them before or without a heap.
 * Spurious IRQ 7/15 (no bit in the PIC's in-service register) are counted
 * and not acknowledged, as the 8259 requires.  Each line's trigger mode
 * is its bit in the edge/level control registers (ELCR, ports 0x4d0 and
 * 0x4d1): the firmware of -M pc sets the PCI lines level; under microvm
 * nothing does, and the virtio-mmio transport sets its lines itself.
 */
#include <errno.h>

#include <uk/arch/cpu.h>
#include <uk/arch/io.h>
#include <uk/plat/irq.h>

#include <kvm/plat.h>

#define PIC1 0x20
#define PIC2 0xa0
#define PIC_EOI 0x20
#define PIC_READ_ISR 0x0b
#define ELCR1 0x4d0
#define ELCR2 0x4d1
/* Lines whose trigger is fixed: timer, keyboard, cascade, RTC, FPU. */
#define ELCR_FIXED ((1u << 0) | (1u << 1) | (1u << 2) | (1u << 8) | \
		    (1u << 13))
#define NLINES 16
#define NHANDLERS 32

struct irq_handler {
	uk_plat_irq_fn fn;
	void *arg;
	struct irq_handler *next;
};

static struct irq_handler pool[NHANDLERS];
static int pool_used;
static struct irq_handler *lines[NLINES];
static uint64_t counts[NLINES], spurious;
static uint16_t mask = 0xffff & ~(1u << 2); /* the cascade stays open */

static void mask_write(void)
{
	outb(PIC1 + 1, (uint8_t)mask);
	outb(PIC2 + 1, (uint8_t)(mask >> 8));
}

/*
 * Stops the firmware's periodic PIT tick (channel 0 waits for a count in
 * one-shot mode) so nothing ticks while the kernel idles, then remaps the
 * PICs to vectors 32..47 with all lines masked; the re-initialisation
 * also drops any request latched before.
 */
void _uk_kvm_irq_init(void)
{
	outb(0x43, 0x30);
	outb(PIC1, 0x11);		/* ICW1: init, ICW4 follows */
	outb(PIC2, 0x11);
	outb(PIC1 + 1, UK_KVM_VEC_IRQ0);	/* ICW2: vector base */
	outb(PIC2 + 1, UK_KVM_VEC_IRQ0 + 8);
	outb(PIC1 + 1, 0x04);		/* ICW3: slave on line 2 */
	outb(PIC2 + 1, 0x02);
	outb(PIC1 + 1, 0x01);		/* ICW4: 8086 mode */
	outb(PIC2 + 1, 0x01);
	mask_write();
}

/* Saves the interrupt flag and disables interrupts. */
unsigned long uk_plat_irq_save(void)
{
	unsigned long f = uk_arch_read_rflags();

	uk_arch_irq_disable();
	return f & UK_ARCH_RFLAGS_IF;
}

/* Re-enables interrupts if flags (from uk_plat_irq_save) had them on. */
void uk_plat_irq_restore(unsigned long flags)
{
	if (flags & UK_ARCH_RFLAGS_IF)
		uk_arch_irq_enable();
}

/* Adds fn(arg) to line irq and unmasks it; 0, -EINVAL or -ENOMEM. */
int uk_plat_irq_register(unsigned int irq, uk_plat_irq_fn fn, void *arg)
{
	struct irq_handler *h, **pp;
	unsigned long f;

	if (irq >= NLINES || irq == 2 || !fn)
		return -EINVAL;
	f = uk_plat_irq_save();
	if (pool_used == NHANDLERS) {
		uk_plat_irq_restore(f);
		return -ENOMEM;
	}
	h = &pool[pool_used++];
	h->fn = fn;
	h->arg = arg;
	h->next = NULL;
	for (pp = &lines[irq]; *pp; pp = &(*pp)->next)
		;
	*pp = h;
	mask &= (uint16_t)~(1u << irq);
	mask_write();
	uk_plat_irq_restore(f);
	return 0;
}

/* Sets line irq level- or edge-triggered; 0 or -EINVAL (fixed line). */
int uk_plat_irq_set_level(unsigned int irq, int level)
{
	uint16_t port = irq < 8 ? ELCR1 : ELCR2;
	uint8_t bit = (uint8_t)(1u << (irq & 7)), v;
	unsigned long f;

	if (irq >= NLINES || (ELCR_FIXED & (1u << irq)))
		return -EINVAL;
	f = uk_plat_irq_save();
	v = inb(port);
	outb(port, (uint8_t)(level ? v | bit : v & ~bit));
	uk_plat_irq_restore(f);
	return 0;
}

static int in_service(uint16_t pic, unsigned int bit)
{
	outb(pic, PIC_READ_ISR);
	return inb(pic) & (1u << bit);
}

/* Runs line irq's handlers, then acknowledges the PIC(s). */
void _uk_kvm_irq_dispatch(unsigned int irq)
{
	struct irq_handler *h;

	if (irq == 7 && !in_service(PIC1, 7)) {
		spurious++;
		return;
	}
	if (irq == 15 && !in_service(PIC2, 7)) {
		spurious++;
		outb(PIC1, PIC_EOI); /* the master did see the cascade */
		return;
	}
	counts[irq]++;
	for (h = lines[irq]; h; h = h->next)
		h->fn(h->arg);
	if (irq >= 8)
		outb(PIC2, PIC_EOI);
	outb(PIC1, PIC_EOI);
}

/* Returns the interrupts taken on line irq since boot (0 if invalid). */
uint64_t uk_kvm_irq_count(unsigned int irq)
{
	return irq < NLINES ? counts[irq] : 0;
}

/* Returns the spurious IRQ 7/15 taken since boot (not acknowledged). */
uint64_t uk_kvm_irq_spurious_count(void)
{
	return spurious;
}
