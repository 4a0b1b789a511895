/*
 * The VFS under ThreadSanitizer: four threads create, write, read,
 * rename, unlink, list and close files of one ramfs, share one open
 * descriptor (writes, reads, seeks, F_SETFL, dup and close of dups),
 * and walk into a second ramfs that a fifth thread mounts and unmounts
 * in a loop (-EBUSY while in use), while a scraper reads every vfs
 * entry of the store and polls the shared descriptor.  At the end every
 * descriptor is closed, both mounts go, and the table is back to the
 * console alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uk/store.h>
#include <uk/test.h>
#include <uk/thread.h>
#include <uk/vfs.h>

#define WORKERS 4
#define ITERS 10000

static int shared_fd;
static int stop;
static unsigned long mounts_done, umount_busy;

static uint32_t next(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

static void worker(void *arg)
{
	uint32_t x = (uint32_t)(uintptr_t)arg * 2654435761u + 1;
	char p[64], q[64], buf[512];
	struct uk_vfs_dirent d;
	struct stat st;
	int i, fd;

	memset(buf, 'w', sizeof(buf));
	for (i = 0; i < ITERS; i++) {
		snprintf(p, sizeof(p), "/s/f%u", next(&x) % 8);
		snprintf(q, sizeof(q), "/s/%c%u", next(&x) % 2 ? 'f' : 'd',
			 next(&x) % 8);
		switch (next(&x) % 12) {
		case 0:
		case 1:
			fd = uk_vfs_open(p, O_CREAT | O_RDWR |
					 (next(&x) % 2 ? O_APPEND : 0), 0644);
			if (fd >= 0) {
				uk_vfs_write(fd, buf, next(&x) % sizeof(buf));
				uk_vfs_pread(fd, buf, sizeof(buf), 0);
				uk_vfs_fstat(fd, &st);
				uk_vfs_close(fd);
			}
			break;
		case 2:
			uk_vfs_unlink(p);
			break;
		case 3:
			uk_vfs_rename(p, q);
			break;
		case 4:
			uk_vfs_mkdir(q, 0755);
			uk_vfs_rmdir(q);
			break;
		case 5:
			fd = uk_vfs_open("/s", O_RDONLY | O_DIRECTORY, 0);
			while (fd >= 0 && uk_vfs_readdir(fd, &d) == 1)
				;
			uk_vfs_close(fd);
			break;
		case 6:
			uk_vfs_write(shared_fd, buf, 64);
			uk_vfs_lseek(shared_fd, 0, SEEK_SET);
			uk_vfs_read(shared_fd, buf, 64);
			break;
		case 7:
			uk_vfs_fcntl(shared_fd, F_SETFL,
				     next(&x) % 2 ? O_APPEND : 0);
			fd = uk_vfs_dup(shared_fd);
			uk_vfs_write(fd, "dup", 3);
			uk_vfs_close(fd);
			break;
		case 8:
			/* Into the other mount, if it is there. */
			fd = uk_vfs_open("/s/m/x", O_CREAT | O_RDWR, 0644);
			if (fd >= 0) {
				uk_vfs_write(fd, buf, 100);
				uk_vfs_close(fd);
			}
			uk_vfs_stat("/s/m/../f1", &st);
			break;
		case 9:
			uk_vfs_truncate(p, next(&x) % 1000);
			break;
		default:
			uk_vfs_stat(p, &st);
			break;
		}
	}
}

static void mounter(void *arg)
{
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		if (!uk_vfs_mount("m", "/s/m", "ramfs", 0, "size=64k", NULL))
			__atomic_add_fetch(&mounts_done, 1, __ATOMIC_RELAXED);
		uk_thread_yield();
		while (uk_vfs_umount("/s/m") == -EBUSY) {
			__atomic_add_fetch(&umount_busy, 1, __ATOMIC_RELAXED);
			uk_thread_yield();
		}
	}
}

static void scraper(void *arg)
{
	struct uk_store_iter it;
	struct uk_store_ref ref;
	struct uk_store_value v;
	struct pollfd p;
	int first;

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		uk_store_iter_init(&it);
		while (uk_store_iter_next(&it, &ref, &first))
			if (!strcmp(ref.lib->name, "vfs"))
				uk_store_read(&ref, &v);
		p = (struct pollfd){ shared_fd, POLLIN | POLLOUT, 0 };
		uk_vfs_poll(&p, 1, 0);
	}
}

UK_TEST(stress_vfs_threads)
{
	struct uk_thread *w[WORKERS], *m, *s;
	int i;

	uk_vfs_umount("/");
	UK_TEST_EQ(uk_vfs_mount("ramfs", "/", "ramfs", 0, NULL, NULL), 0);
	UK_TEST_EQ(uk_vfs_mkdir("/s", 0755), 0);
	UK_TEST_EQ(uk_vfs_mount("s", "/s", "ramfs", 0, "size=4m", NULL), 0);
	UK_TEST_EQ(uk_vfs_mkdir("/s/m", 0755), 0);
	shared_fd = uk_vfs_open("/s/shared", O_CREAT | O_RDWR, 0644);
	UK_TEST_ASSERT(shared_fd >= 3);
	UK_TEST_EQ(uk_thread_create(&m, "mounter", mounter, NULL, 0), 0);
	UK_TEST_EQ(uk_thread_create(&s, "scraper", scraper, NULL, 0), 0);
	for (i = 0; i < WORKERS; i++)
		UK_TEST_EQ(uk_thread_create(&w[i], "worker", worker,
					    (void *)(uintptr_t)(i + 1), 0), 0);
	for (i = 0; i < WORKERS; i++)
		UK_TEST_EQ(uk_thread_join(w[i]), 0);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	UK_TEST_EQ(uk_thread_join(m), 0);
	UK_TEST_EQ(uk_thread_join(s), 0);
	uk_test_log("%lu mounts, %lu busy unmounts", mounts_done,
		    umount_busy);
	UK_TEST_ASSERT(mounts_done > 0);
	UK_TEST_EQ(uk_vfs_close(shared_fd), 0);
	UK_TEST_EQ(uk_vfs_fd_count(), 3);
	UK_TEST_EQ(uk_vfs_umount("/s"), 0);
	UK_TEST_EQ(uk_vfs_umount("/"), 0);
}
