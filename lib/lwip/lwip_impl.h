/*
 * Private declarations shared by lib/lwip's kvm glue files.
 */
#ifndef UK_LWIP_IMPL_H
#define UK_LWIP_IMPL_H

/* Publishes lwIP's statistics in ukstore; see stats.c. */
int uk_lwip_stats_init(void);

#endif
