/*
 * Shared between the request path (blkdev.c) and the statistics folder
 * (stats.c) of ukblkdev; not for drivers.
 */
#ifndef UK_BLKDEV_IMPL_H
#define UK_BLKDEV_IMPL_H

#include <stdint.h>

#include <uk/blkdev.h>

/* dev's clock (clock_ns, or the platform's monotonic clock). */
uint64_t _uk_blkdev_now(const struct uk_blkdev *dev);
/* Folds the time since the last in-flight change into io_ns and
 * io_weighted_ns as of now (device lock held). */
void _uk_blkdev_account_time(struct uk_blkdev *dev, uint64_t now);
/* Publishes blk/<dev->name> and sets dev->_folder: 0 or the store's
 * error. */
int _uk_blkdev_publish(struct uk_blkdev *dev);

#endif
