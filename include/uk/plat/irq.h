/*
 * Platform contract: interrupts (kvm).  Drivers register a handler for a
 * legacy IRQ line (as read from PCI config space); handlers run with
 * interrupts disabled and must only record work and wake threads (see
 * uksched).  irq_save/restore bracket data shared with handlers.
 */
#ifndef UK_PLAT_IRQ_H
#define UK_PLAT_IRQ_H

typedef int (*uk_plat_irq_fn)(void *arg);

/*
 * Routes IRQ line `irq` (0..15) to fn(arg) and unmasks it.  Several
 * handlers may share a line.  Returns 0, -EINVAL or -ENOMEM.
 */
int uk_plat_irq_register(unsigned int irq, uk_plat_irq_fn fn, void *arg);

unsigned long uk_plat_irq_save(void);
void uk_plat_irq_restore(unsigned long flags);

#endif
