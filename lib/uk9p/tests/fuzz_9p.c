/*
 * libFuzzer target for the 9P client's reply handling.  The input is a
 * sequence of replies, each [flags][len: 2 bytes LE][len bytes]; flags
 * bit 0 patches in the request's tag, bit 1 the reply's own size, bit 2
 * makes the transport fail.  A fixed session (version, attach, walk,
 * open, read, write, getattr, readdir with every entry decoded, statfs,
 * the tree operations, clunks) runs against those replies through the
 * scripted transport.  Besides surviving any input under ASan/UBSan, the
 * client must keep its contract: reads and writes never report more
 * than asked, every fid it hands out is released (no leak, checked by
 * LeakSanitizer and by the client's own fid count), and a decoded entry
 * name is a usable file name.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uk/9p.h>

#include "fake_trans.h"

static struct fake_trans ft;
static uint8_t buf[20000];

static void feed(const uint8_t *data, size_t size)
{
	size_t pos = 0;

	while (pos + 3 <= size && fake_pending(&ft) < FAKE_SCRIPT_MAX - 1) {
		uint8_t fl = data[pos];
		uint32_t len = (uint32_t)(data[pos + 1] | data[pos + 2] << 8);
		int flags = 0;

		pos += 3;
		if (len > size - pos)
			len = (uint32_t)(size - pos);
		if (fl & 1)
			flags |= FAKE_TAG;
		if (fl & 2)
			flags |= FAKE_SIZE;
		if (fl & 4)
			flags |= FAKE_FAIL;
		fake_reply(&ft, data + pos, len, flags);
		pos += len;
	}
}

static void check_name(const struct uk_9p_dirent *de)
{
	if (!de->name[0] || strchr(de->name, '/') ||
	    strlen(de->name) > UK_9P_NAME_MAX)
		abort();
}

static void session(struct uk_9p_client *c)
{
	const char *names[] = { "a", "b" };
	struct uk_9p_fid *root, *f, *nf;
	struct uk_9p_attr a;
	struct uk_9p_statfs st;
	struct uk_9p_setattr sa = { .valid = UK_9P_SETATTR_SIZE };
	struct uk_9p_dirent de;
	int64_t n;
	uint32_t pos;
	int r;

	if (uk_9p_attach(c, "u", 0, "", &root))
		return;
	if (!uk_9p_walk(root, names, 2, &f)) {
		uk_9p_lopen(f, UK_9P_O_RDWR);
		n = uk_9p_read(f, 0, buf, sizeof(buf));
		if (n > (int64_t)sizeof(buf))
			abort();
		n = uk_9p_write(f, 0, buf, 10000);
		if (n > 10000)
			abort();
		uk_9p_getattr(f, UK_9P_GETATTR_ALL, &a);
		uk_9p_setattr(f, &sa);
		uk_9p_fsync(f, 0);
		uk_9p_clunk(f);
	}
	r = uk_9p_readdir(root, 0, buf, 4096);
	if (r > 4096)
		abort();
	for (pos = 0; r > 0 && uk_9p_dirent_next(buf, (uint32_t)r, &pos,
						  &de) == 1;)
		check_name(&de);
	uk_9p_statfs(root, &st);
	uk_9p_mkdir(root, "d", 0755, UK_9P_NOGID, NULL);
	uk_9p_renameat(root, "d", root, "e");
	uk_9p_unlinkat(root, "e", UK_9P_AT_REMOVEDIR);
	if (!uk_9p_lcreate(root, "n", UK_9P_O_CREAT, 0644, UK_9P_NOGID, &nf))
		uk_9p_clunk(nf);
	if (!uk_9p_walk_path(root, "x/y/z", &f))
		uk_9p_clunk(f);
	uk_9p_clunk(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uk_9p_client_cfg cfg = { .msize = 8192 };
	struct uk_9p_client *c;
	struct uk_9p_dirent de;
	uint32_t pos = 0;

	/* The entry decoder straight on the input, too. */
	while (size <= UINT32_MAX &&
	       uk_9p_dirent_next(data, (uint32_t)size, &pos, &de) == 1)
		check_name(&de);
	fake_init(&ft, "fz", 0, 2);
	feed(data, size);
	if (!uk_9p_client_create(&ft.t, &cfg, &c)) {
		if (uk_9p_client_msize(c) > 8192 ||
		    uk_9p_client_msize(c) < UK_9P_MSIZE_MIN)
			abort();
		session(c);
		uk_9p_client_destroy(c);
	}
	fake_fini(&ft);
	return 0;
}
