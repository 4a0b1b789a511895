# The ukprom exposition encoder: the store-to-text encoder (enc.c,
# enc_render.c; numbers come from uknum), content negotiation
# (negotiate.c), their tests, fuzzer and benchmark.  Included by
# lib/ukprom/Makefile.uk.
ukprom_SRCS += lib/ukprom/enc.c lib/ukprom/enc_render.c lib/ukprom/enc_prefix.c \
	lib/ukprom/negotiate.c

# Goldens, chunking, failures, allocation and negotiation.
TESTS-asan += test-ukprom-enc
test-ukprom-enc_SRCS := lib/ukprom/tests/test_enc.c \
	lib/ukprom/tests/test_enc_fixture.c
test-ukprom-enc_LIBS := ukprom uktest linuxu linuxu_threads
test-ukprom-enc_LDLIBS := -lm

# enc-dump prints the fixture's encoding for enc_promtool.sh.
PROGS-asan += enc-dump
enc-dump_SRCS := lib/ukprom/tests/test_enc_dump.c \
	lib/ukprom/tests/test_enc_fixture.c
enc-dump_LIBS := ukprom linuxu linuxu_threads
CHECK_SCRIPTS += lib/ukprom/tests/enc_promtool.sh

# libFuzzer on the encoder (chunking, line syntax, # EOF), about 20 s in
# make check.
PROGS-fuzz += fuzz-enc
fuzz-enc_SRCS := lib/ukprom/fuzz/fuzz_enc.c
fuzz-enc_LIBS := ukprom linuxu linuxu_threads
CHECK_SCRIPTS += lib/ukprom/tests/fuzz_enc.sh

# Encoding while other threads add and remove folders (ThreadSanitizer).
TESTS-tsan += test-ukprom-enc-stress
test-ukprom-enc-stress_SRCS := lib/ukprom/tests/test_enc_stress.c
test-ukprom-enc-stress_LIBS := ukprom uktest linuxu linuxu_threads

# The golden tests again in a kernel image: the freestanding build of the
# encoder and formatter (kernel flags, nolibc), booted by qemu-test.sh.
TESTS-kvm += ukprom-enc-test
ukprom-enc-test_SRCS := lib/ukprom/tests/test_enc.c \
	lib/ukprom/tests/test_enc_fixture.c
ukprom-enc-test_LIBS := kvm uksched uklock ukstore ukprom ukalloc uktest \
	nolibc kvm_stats ukalloc_stats uksched_stats uklock_stats
