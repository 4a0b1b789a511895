/*
 * linuxu tests of lib/lwip's platform-independent glue: the bounded
 * mailbox under sys_mbox_t (ordering, full and empty behaviour, timeouts,
 * the interrupt-safe post, and many producers against one consumer on
 * real threads), the err_t to errno table, and the parsing of the
 * net.ip/net.gw/net.dns boot options.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <uk/lock.h>
#include <uk/lwip.h>
#include <uk/lwip_mbox.h>
#include <uk/plat/time.h>
#include <uk/test.h>
#include <uk/thread.h>

#define MS (UK_NSEC_PER_MSEC)

static void *tag(uintptr_t v)
{
	return (void *)v;
}

UK_TEST(mbox_fifo_full_and_empty)
{
	struct uk_lwip_mbox mb;
	void *m;
	uintptr_t i;

	UK_TEST_EQ(uk_lwip_mbox_init(&mb, 0), -EINVAL);
	UK_TEST_EQ(uk_lwip_mbox_init(&mb, 4), 0);
	UK_TEST_EQ(uk_lwip_mbox_tryfetch(&mb, &m), -EAGAIN);
	/* Wrap the ring several times. */
	for (i = 1; i <= 10; i++) {
		UK_TEST_EQ(uk_lwip_mbox_trypost(&mb, tag(i)), 0);
		UK_TEST_EQ(uk_lwip_mbox_trypost(&mb, tag(100 + i)), 0);
		UK_TEST_EQ(uk_lwip_mbox_tryfetch(&mb, &m), 0);
		UK_TEST_ASSERT(m == tag(i));
		UK_TEST_EQ(uk_lwip_mbox_tryfetch(&mb, &m), 0);
		UK_TEST_ASSERT(m == tag(100 + i));
	}
	for (i = 0; i < 4; i++)
		UK_TEST_EQ(uk_lwip_mbox_trypost(&mb, tag(i)), 0);
	UK_TEST_EQ(uk_lwip_mbox_count(&mb), 4);
	UK_TEST_EQ(uk_lwip_mbox_trypost(&mb, tag(9)), -EAGAIN);
	UK_TEST_EQ(uk_lwip_mbox_trypost_fromisr(&mb, tag(9)), -EAGAIN);
	for (i = 0; i < 4; i++) {
		UK_TEST_EQ(uk_lwip_mbox_fetch(&mb, &m, 0), 0);
		UK_TEST_ASSERT(m == tag(i));
	}
	/* NULL messages are messages too (lwIP posts them), and a NULL
	 * destination discards. */
	UK_TEST_EQ(uk_lwip_mbox_trypost_fromisr(&mb, NULL), 0);
	UK_TEST_EQ(uk_lwip_mbox_tryfetch(&mb, NULL), 0);
	UK_TEST_EQ(uk_lwip_mbox_count(&mb), 0);
	uk_lwip_mbox_fini(&mb);
}

UK_TEST(mbox_on_the_callers_ring)
{
	static void *ring[3];
	struct uk_lwip_mbox mb;
	void *m;
	uintptr_t i;

	UK_TEST_EQ(uk_lwip_mbox_init_ring(&mb, NULL, 3), -EINVAL);
	UK_TEST_EQ(uk_lwip_mbox_init_ring(&mb, ring, 0), -EINVAL);
	UK_TEST_EQ(uk_lwip_mbox_init_ring(&mb, ring, 3), 0);
	for (i = 1; i <= 3; i++)
		UK_TEST_EQ(uk_lwip_mbox_trypost(&mb, tag(i)), 0);
	UK_TEST_EQ(uk_lwip_mbox_trypost(&mb, tag(4)), -EAGAIN);
	UK_TEST_ASSERT(ring[0] == tag(1) && ring[2] == tag(3));
	UK_TEST_EQ(uk_lwip_mbox_tryfetch(&mb, &m), 0);
	UK_TEST_ASSERT(m == tag(1));
	/* The ring is the caller's: fini leaves it (ASan would see a free
	 * of static memory). */
	uk_lwip_mbox_fini(&mb);
	UK_TEST_ASSERT(ring[1] == tag(2));
}

UK_TEST(mbox_fetch_times_out)
{
	struct uk_lwip_mbox mb;
	uint64_t t0, dt;
	void *m = tag(1);

	UK_TEST_EQ(uk_lwip_mbox_init(&mb, 2), 0);
	t0 = uk_plat_time_mono_ns();
	UK_TEST_EQ(uk_lwip_mbox_fetch(&mb, &m, t0 + 30 * MS), -ETIMEDOUT);
	dt = uk_plat_time_mono_ns() - t0;
	UK_TEST_EXPECT(dt >= 30 * MS);
	UK_TEST_EXPECT(dt < 2000 * MS);
	UK_TEST_ASSERT(m == tag(1)); /* untouched on timeout */
	uk_lwip_mbox_fini(&mb);
}

UK_TEST(mbox_fromisr_never_waits_for_the_lock)
{
	struct uk_lwip_mbox mb;

	UK_TEST_EQ(uk_lwip_mbox_init(&mb, 2), 0);
	uk_mutex_lock(&mb.lock); /* as if a thread were interrupted */
	UK_TEST_EQ(uk_lwip_mbox_trypost_fromisr(&mb, tag(1)), -EAGAIN);
	uk_mutex_unlock(&mb.lock);
	UK_TEST_EQ(uk_lwip_mbox_trypost_fromisr(&mb, tag(1)), 0);
	UK_TEST_EQ(uk_lwip_mbox_count(&mb), 1);
	uk_lwip_mbox_fini(&mb);
}

#define PRODUCERS 4
#define PER_PRODUCER 20000

struct prod {
	struct uk_lwip_mbox *mb;
	unsigned int id;
};

static void producer(void *arg)
{
	struct prod *p = arg;
	uintptr_t i;

	for (i = 1; i <= PER_PRODUCER; i++) {
		void *m = tag((uintptr_t)p->id << 32 | i);

		/* Mix blocking and non-blocking posts. */
		if (i % 3 == 0) {
			while (uk_lwip_mbox_trypost(p->mb, m))
				uk_thread_yield();
		} else {
			uk_lwip_mbox_post(p->mb, m);
		}
	}
}

UK_TEST(mbox_many_producers_one_consumer)
{
	struct uk_lwip_mbox mb;
	struct uk_thread *t[PRODUCERS];
	struct prod p[PRODUCERS];
	uintptr_t last[PRODUCERS] = { 0 };
	unsigned int i, got = 0, timeouts = 0;

	/* A small ring, so producers block often. */
	UK_TEST_EQ(uk_lwip_mbox_init(&mb, 8), 0);
	for (i = 0; i < PRODUCERS; i++) {
		p[i].mb = &mb;
		p[i].id = i;
		UK_TEST_EQ(uk_thread_create(&t[i], "prod", producer, &p[i],
					      0), 0);
	}
	while (got < PRODUCERS * PER_PRODUCER) {
		void *m;
		uintptr_t v, id, seq;
		/* A liveness bound: a loaded host may stall a producer for
		 * seconds, which is no timeout of the mailbox's. */
		int rc = uk_lwip_mbox_fetch(&mb, &m, uk_plat_time_mono_ns() +
					    60000 * MS);

		if (rc) {
			timeouts++;
			break;
		}
		v = (uintptr_t)m;
		id = v >> 32;
		seq = v & 0xffffffffu;
		UK_TEST_ASSERT(id < PRODUCERS);
		/* Each producer's messages arrive in its order. */
		UK_TEST_EQ(seq, last[id] + 1);
		last[id] = seq;
		got++;
	}
	for (i = 0; i < PRODUCERS; i++)
		UK_TEST_EQ(uk_thread_join(t[i]), 0);
	UK_TEST_EQ(timeouts, 0);
	UK_TEST_EQ(got, PRODUCERS * PER_PRODUCER);
	UK_TEST_EQ(uk_lwip_mbox_count(&mb), 0);
	uk_lwip_mbox_fini(&mb);
}

static void slow_poster(void *arg)
{
	uk_thread_sleep_ns(20 * MS);
	uk_lwip_mbox_post(arg, tag(42));
}

UK_TEST(mbox_fetch_wakes_on_post)
{
	struct uk_lwip_mbox mb;
	struct uk_thread *t;
	void *m = NULL;

	UK_TEST_EQ(uk_lwip_mbox_init(&mb, 1), 0);
	UK_TEST_EQ(uk_thread_create(&t, "poster", slow_poster, &mb, 0), 0);
	UK_TEST_EQ(uk_lwip_mbox_fetch(&mb, &m, 0), 0);
	UK_TEST_ASSERT(m == tag(42));
	UK_TEST_EQ(uk_thread_join(t), 0);
	uk_lwip_mbox_fini(&mb);
}

UK_TEST(err_to_errno_table)
{
	UK_TEST_EQ(uk_lwip_err_to_errno(0), 0);          /* ERR_OK */
	UK_TEST_EQ(uk_lwip_err_to_errno(-1), -ENOMEM);   /* ERR_MEM */
	UK_TEST_EQ(uk_lwip_err_to_errno(-2), -ENOBUFS);  /* ERR_BUF */
	UK_TEST_EQ(uk_lwip_err_to_errno(-3), -ETIMEDOUT);
	UK_TEST_EQ(uk_lwip_err_to_errno(-4), -EHOSTUNREACH);
	UK_TEST_EQ(uk_lwip_err_to_errno(-5), -EINPROGRESS);
	UK_TEST_EQ(uk_lwip_err_to_errno(-6), -EINVAL);
	UK_TEST_EQ(uk_lwip_err_to_errno(-7), -EWOULDBLOCK);
	UK_TEST_EQ(uk_lwip_err_to_errno(-8), -EADDRINUSE);
	UK_TEST_EQ(uk_lwip_err_to_errno(-9), -EALREADY);
	UK_TEST_EQ(uk_lwip_err_to_errno(-10), -EISCONN);
	UK_TEST_EQ(uk_lwip_err_to_errno(-11), -ENOTCONN);
	UK_TEST_EQ(uk_lwip_err_to_errno(-12), -EIO);
	UK_TEST_EQ(uk_lwip_err_to_errno(-13), -ECONNABORTED);
	UK_TEST_EQ(uk_lwip_err_to_errno(-14), -ECONNRESET);
	UK_TEST_EQ(uk_lwip_err_to_errno(-15), -ENOTCONN);
	UK_TEST_EQ(uk_lwip_err_to_errno(-16), -EINVAL);
	UK_TEST_EQ(uk_lwip_err_to_errno(-17), -EIO);
	UK_TEST_EQ(uk_lwip_err_to_errno(-128), -EIO);
	UK_TEST_EQ(uk_lwip_err_to_errno(1), -EIO);
}

UK_TEST(ipv4_parse_strict)
{
	static const char *const bad[] = {
		"", "1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4",
		"1.2.3.4 ", " 1.2.3.4", "1..3.4", "1.2.3.-4", "a.b.c.d",
		"1.2.3.4/24", "4294967297.0.0.0", "1.2.3.0x4",
	};
	uint32_t a = 7;
	unsigned int i;

	UK_TEST_EQ(uk_lwip_ipv4_parse("10.0.2.15", &a), 0);
	UK_TEST_EQ(a, 0x0a00020f);
	UK_TEST_EQ(uk_lwip_ipv4_parse("0.0.0.0", &a), 0);
	UK_TEST_EQ(a, 0);
	UK_TEST_EQ(uk_lwip_ipv4_parse("255.255.255.255", &a), 0);
	UK_TEST_EQ(a, 0xffffffffu);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a = 7;
		if (uk_lwip_ipv4_parse(bad[i], &a) != -EINVAL || a != 7) {
			uk_test_log("accepted \"%s\"", bad[i]);
			UK_TEST_ASSERT(0);
		}
	}
	UK_TEST_EQ(uk_lwip_ipv4_parse(NULL, &a), -EINVAL);
}

UK_TEST(ipcfg_from_options)
{
	struct uk_lwip_ipcfg c;

	UK_TEST_EQ(uk_lwip_ipcfg_parse(&c, NULL, "10.0.2.2", NULL), 0);
	UK_TEST_EQ(c.dhcp, 1);
	UK_TEST_EQ(c.addr, 0);

	UK_TEST_EQ(uk_lwip_ipcfg_parse(&c, "10.0.2.15/24", "10.0.2.2",
					 "10.0.2.3"), 0);
	UK_TEST_EQ(c.dhcp, 0);
	UK_TEST_EQ(c.addr, 0x0a00020f);
	UK_TEST_EQ(c.prefix, 24);
	UK_TEST_EQ(c.netmask, 0xffffff00u);
	UK_TEST_EQ(c.gw, 0x0a000202);
	UK_TEST_EQ(c.dns, 0x0a000203);

	UK_TEST_EQ(uk_lwip_ipcfg_parse(&c, "192.168.1.9", NULL, NULL), 0);
	UK_TEST_EQ(c.prefix, 24);
	UK_TEST_EQ(c.gw, 0);
	UK_TEST_EQ(c.dns, 0);
	UK_TEST_EQ(uk_lwip_ipcfg_parse(&c, "172.16.0.1/12", NULL, NULL), 0);
	UK_TEST_EQ(c.netmask, 0xfff00000u);
	UK_TEST_EQ(uk_lwip_ipcfg_parse(&c, "1.2.3.4/32", NULL, NULL), 0);
	UK_TEST_EQ(c.netmask, 0xffffffffu);
	UK_TEST_EQ(uk_lwip_ipcfg_parse(&c, "1.2.3.4/0", NULL, NULL), 0);
	UK_TEST_EQ(c.netmask, 0);

	/* Errors leave cfg alone. */
	c.addr = 99;
	UK_TEST_EQ(uk_lwip_ipcfg_parse(&c, "1.2.3.4/33", NULL, NULL),
		     -EINVAL);
	UK_TEST_EQ(uk_lwip_ipcfg_parse(&c, "1.2.3.4/", NULL, NULL), -EINVAL);
	UK_TEST_EQ(uk_lwip_ipcfg_parse(&c, "1.2.3.4/024", NULL, NULL),
		     -EINVAL);
	UK_TEST_EQ(uk_lwip_ipcfg_parse(&c, "1.2.3.4/24x", NULL, NULL),
		     -EINVAL);
	UK_TEST_EQ(uk_lwip_ipcfg_parse(&c, "1.2.3.4/24", "gw", NULL),
		     -EINVAL);
	UK_TEST_EQ(uk_lwip_ipcfg_parse(&c, "1.2.3.4/24", NULL, "1.2.3"),
		     -EINVAL);
	UK_TEST_EQ(uk_lwip_ipcfg_parse(NULL, NULL, NULL, NULL), -EINVAL);
	UK_TEST_EQ(c.addr, 99);
}
