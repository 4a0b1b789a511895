/*
 * lwIP's operating-system types over ukmon: a semaphore is a uklock
 * semaphore, a mutex a uklock mutex, a mailbox the bounded ring of
 * uk/lwip_mbox.h (its slots from a static pool), a thread a uk_thread, and the "lightweight protection"
 * level is the saved interrupt flag (kvm has one CPU and cooperative
 * threads, so masking interrupts excludes everything else).  Each object
 * carries a valid flag because lwIP tests and clears validity itself.
 */
#ifndef UK_LWIP_ARCH_SYS_ARCH_H
#define UK_LWIP_ARCH_SYS_ARCH_H

#include <uk/lock.h>
#include <uk/lwip_mbox.h>
#include <uk/thread.h>

typedef struct {
	struct uk_semaphore sem;
	int valid;
} sys_sem_t;

typedef struct {
	struct uk_mutex mtx;
	int valid;
} sys_mutex_t;

typedef struct {
	struct uk_lwip_mbox mb;
	void **ring;     /* from the ring pool (sys_arch.c), or NULL */
	int valid;
} sys_mbox_t;

typedef struct uk_thread *sys_thread_t;
typedef unsigned long sys_prot_t;

#define sys_sem_valid(s)          ((s) != NULL && (s)->valid)
#define sys_sem_set_invalid(s)    do { if (s) (s)->valid = 0; } while (0)
#define sys_mutex_valid(m)        ((m) != NULL && (m)->valid)
#define sys_mutex_set_invalid(m)  do { if (m) (m)->valid = 0; } while (0)
#define sys_mbox_valid(b)         ((b) != NULL && (b)->valid)
#define sys_mbox_set_invalid(b)   do { if (b) (b)->valid = 0; } while (0)

#endif /* UK_LWIP_ARCH_SYS_ARCH_H */
