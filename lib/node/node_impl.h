/*
 * node's internals, shared by its parts (node.c and the per-producer
 * libraries node_cpu, node_net, node_lwip, node_fs, node_disk).
 *
 * Each part but the core keeps the folders of what it publishes in sync
 * with its producer through a hook that uk_node_sync() calls.  The core
 * refers to the hooks weakly: a part that is not linked is NULL and
 * skipped.  Hooks return 0 or the first error, and may allocate.
 */
#ifndef NODE_IMPL_H
#define NODE_IMPL_H

#include <uk/store_publish.h>

UK_STORE_LIB_EXTERN(node);
UK_STORE_LIB_EXTERN(process);

int _uk_node_cpu_sync(void);
int _uk_node_net_sync(void);
int _uk_node_fs_sync(void);
int _uk_node_disk_sync(void);

#endif /* NODE_IMPL_H */
