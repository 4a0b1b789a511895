/*
 * Platform contract: interrupts (kvm).  Drivers register a handler for a
 * legacy IRQ line (as read from PCI config space); handlers run with
 * interrupts disabled and must only record work and wake threads (see
 * uksched).  irq_save/restore bracket data shared with handlers.
 */
#ifndef UK_PLAT_IRQ_H
#define UK_PLAT_IRQ_H

#include <stdint.h>

typedef int (*uk_plat_irq_fn)(void *arg);

/*
 * Routes IRQ line `irq` (0..15) to fn(arg) and unmasks it.  Several
 * handlers may share a line.  Returns 0, -EINVAL or -ENOMEM.
 */
int uk_plat_irq_register(unsigned int irq, uk_plat_irq_fn fn, void *arg);

/*
 * Makes line `irq` level-triggered (level != 0) or edge-triggered.  The
 * firmware sets the lines of the devices it knows (PCI); a transport
 * whose interrupts are level and that no firmware described (virtio-mmio
 * on QEMU's microvm) sets its own before registering.  Returns 0,
 * -EINVAL (a line whose trigger is fixed: 0, 1, 2, 8, 13 on the 8259s),
 * or -ENOSYS (no interrupts: linuxu).
 */
int uk_plat_irq_set_level(unsigned int irq, int level);

unsigned long uk_plat_irq_save(void);
void uk_plat_irq_restore(unsigned long flags);

/*
 * Interrupt accounting, for the scheduler's CPU time by mode (irq) and
 * node_intr_total.  uk_plat_irq_time_ns(): the time spent in interrupt
 * handlers since boot, in ns on the scale of uk_plat_time_mono_ns(),
 * stamped at entry to and exit from the platform's dispatch (on kvm two
 * TSC reads per interrupt; the entry stub's register save and iretq are
 * left out).  uk_plat_irq_count(): the interrupts taken since boot, every
 * vector (device lines, timer, spurious and unexpected ones).  Both are
 * 0 on linuxu, which has no interrupts.  Never block; any context.
 */
uint64_t uk_plat_irq_time_ns(void);
uint64_t uk_plat_irq_count(void);

#endif
