/*
 * Kernel tests of the command line: the splitter as a pure function
 * (words, quotes, options, "--", overflow) and the line this image was
 * actually booted with (crash.sh boots it with a known -append and the
 * expected argv in the option kvmtest.args).
 */
#include <string.h>

#include <uk/plat/cmdline.h>
#include <uk/test.h>

#include <kvm/plat.h>

static struct uk_kvm_cmdline cl;

UK_TEST(cmdline_words_and_options)
{
	char line[] = "  serve ukprom.port=9200\tnet.ip=10.0.2.15/24 -v x=1 ";

	UK_TEST_EQ(uk_kvm_cmdline_parse(line, "img", &cl), 0);
	UK_TEST_EQ(cl.argc, 4);
	UK_TEST_STREQ(cl.argv[0], "img");
	UK_TEST_STREQ(cl.argv[1], "serve");
	UK_TEST_STREQ(cl.argv[2], "-v");
	UK_TEST_STREQ(cl.argv[3], "x=1"); /* no dot in the key */
	UK_TEST_ASSERT(cl.argv[4] == NULL);
	UK_TEST_EQ(cl.nopts, 2);
	UK_TEST_STREQ(uk_kvm_cmdline_option(&cl, "ukprom.port"), "9200");
	UK_TEST_STREQ(uk_kvm_cmdline_option(&cl, "net.ip"), "10.0.2.15/24");
	UK_TEST_ASSERT(uk_kvm_cmdline_option(&cl, "ukprom") == NULL);
	UK_TEST_ASSERT(uk_kvm_cmdline_option(&cl, "x") == NULL);
	UK_TEST_ASSERT(uk_kvm_cmdline_option(&cl, NULL) == NULL);
}

UK_TEST(cmdline_empty)
{
	char empty[] = "", blanks[] = " \t \n";

	UK_TEST_EQ(uk_kvm_cmdline_parse(empty, "img", &cl), 0);
	UK_TEST_EQ(cl.argc, 1);
	UK_TEST_EQ(cl.nopts, 0);
	UK_TEST_ASSERT(cl.argv[1] == NULL);
	UK_TEST_EQ(uk_kvm_cmdline_parse(blanks, "img", &cl), 0);
	UK_TEST_EQ(cl.argc, 1);
	UK_TEST_EQ(uk_kvm_cmdline_parse(NULL, "img", &cl), 0);
	UK_TEST_EQ(cl.argc, 1);
}

UK_TEST(cmdline_quotes)
{
	char line[] = "\"two words\" app.msg=\"hello world\" a\"b c\"d \"\"";

	UK_TEST_EQ(uk_kvm_cmdline_parse(line, "img", &cl), 0);
	UK_TEST_EQ(cl.argc, 4);
	UK_TEST_STREQ(cl.argv[1], "two words");
	UK_TEST_STREQ(cl.argv[2], "ab cd");
	UK_TEST_STREQ(cl.argv[3], "");
	UK_TEST_STREQ(uk_kvm_cmdline_option(&cl, "app.msg"), "hello world");
}

UK_TEST(cmdline_double_dash_and_repeats)
{
	char line[] = "a.b=1 a.b=2 =x .=y -- c.d=3 --";

	UK_TEST_EQ(uk_kvm_cmdline_parse(line, "img", &cl), 0);
	/* The last value wins; "=x" has an empty key, so it is a word. */
	UK_TEST_STREQ(uk_kvm_cmdline_option(&cl, "a.b"), "2");
	/* Every value of a repeated key, in line order. */
	UK_TEST_STREQ(uk_kvm_cmdline_option_nth(&cl, "a.b", 0), "1");
	UK_TEST_STREQ(uk_kvm_cmdline_option_nth(&cl, "a.b", 1), "2");
	UK_TEST_ASSERT(uk_kvm_cmdline_option_nth(&cl, "a.b", 2) == NULL);
	UK_TEST_ASSERT(uk_kvm_cmdline_option_nth(&cl, "c.d", 0) == NULL);
	UK_TEST_ASSERT(uk_kvm_cmdline_option_nth(&cl, NULL, 0) == NULL);
	UK_TEST_STREQ(uk_kvm_cmdline_option(&cl, "."), "y");
	UK_TEST_ASSERT(uk_kvm_cmdline_option(&cl, "c.d") == NULL);
	UK_TEST_EQ(cl.argc, 4);
	UK_TEST_STREQ(cl.argv[1], "=x");
	UK_TEST_STREQ(cl.argv[2], "c.d=3");
	UK_TEST_STREQ(cl.argv[3], "--");
}

/* QEMU's microvm appends one virtio_mmio.device= per device, after "--"
 * too; each is read in turn. */
UK_TEST(cmdline_repeated_and_machine_words)
{
	char line[] = "a -- b x.y=1 virtio_mmio.device=512@0xfeb00e00:12 "
		      "virtio_mmio.device=512@0xfeb00c00:11";

	UK_TEST_EQ(uk_kvm_cmdline_parse(line, "img", &cl), 0);
	UK_TEST_EQ(cl.argc, 4);
	UK_TEST_STREQ(cl.argv[1], "a");
	UK_TEST_STREQ(cl.argv[2], "b");
	UK_TEST_STREQ(cl.argv[3], "x.y=1");
	UK_TEST_STREQ(uk_kvm_cmdline_option_nth(&cl, "virtio_mmio.device", 0),
		      "512@0xfeb00e00:12");
	UK_TEST_STREQ(uk_kvm_cmdline_option_nth(&cl, "virtio_mmio.device", 1),
		      "512@0xfeb00c00:11");
	UK_TEST_ASSERT(uk_kvm_cmdline_option_nth(&cl, "virtio_mmio.device",
						 2) == NULL);
	UK_TEST_STREQ(uk_kvm_cmdline_option(&cl, "virtio_mmio.device"),
		      "512@0xfeb00c00:11");
	UK_TEST_ASSERT(uk_kvm_cmdline_option_nth(&cl, "x.y", 0) == NULL);
	UK_TEST_ASSERT(uk_kvm_cmdline_option_nth(&cl, NULL, 0) == NULL);
}

UK_TEST(cmdline_overflow)
{
	static char line[UK_KVM_CMDLINE_MAX];
	int i, n = 0;

	for (i = 0; i < UK_KVM_ARGV_MAX + 10; i++) {
		line[n++] = 'w';
		line[n++] = ' ';
	}
	for (i = 0; i < UK_KVM_OPT_MAX + 5; i++) {
		memcpy(line + n, "k.k=v ", 6);
		n += 6;
	}
	line[n] = '\0';
	/* argv[0] takes one of the argv slots. */
	UK_TEST_EQ(uk_kvm_cmdline_parse(line, "img", &cl), 11 + 5);
	UK_TEST_EQ(cl.argc, UK_KVM_ARGV_MAX);
	UK_TEST_ASSERT(cl.argv[UK_KVM_ARGV_MAX] == NULL);
	UK_TEST_EQ(cl.nopts, UK_KVM_OPT_MAX);
}

/*
 * The real boot line.  Without kvmtest.args (a plain boot) argv is just
 * the image name; with it, argv[1..] joined by '|' must equal it.
 */
UK_TEST(cmdline_boot_args)
{
	const char *want = uk_plat_option("kvmtest.args");
	const struct uk_kvm_cmdline *b = &_uk_kvm_cmdline;
	char got[256];
	size_t n = 0;
	int i;

	UK_TEST_ASSERT(b->argc >= 1);
	UK_TEST_STREQ(b->argv[0], "ukmon");
	UK_TEST_ASSERT(b->argv[b->argc] == NULL);
	if (!want) {
		UK_TEST_EQ(b->argc, 1);
		/* Only the machine's own words (microvm's devices), if any. */
		for (i = 0; i < b->nopts; i++)
			UK_TEST_STREQ(b->opt_key[i], "virtio_mmio.device");
		return;
	}
	got[0] = '\0';
	for (i = 1; i < b->argc; i++) {
		size_t l = strlen(b->argv[i]);

		UK_TEST_ASSERT(n + l + 2 < sizeof(got));
		if (i > 1)
			got[n++] = '|';
		memcpy(got + n, b->argv[i], l + 1);
		n += l;
	}
	uk_test_log("argv[1..] = %s", got);
	UK_TEST_STREQ(got, want);
	UK_TEST_STREQ(uk_plat_option("kvmtest.other"), "x=y");
}
