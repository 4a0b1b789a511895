/*
 * Misuse that the region allocator must catch: run by crash.sh, which
 * expects each mode to end in a panic (status 126, "assertion failed").
 * Modes: double (a small object freed twice), double_large, interior (a
 * pointer inside a block), wild (outside the region), ok (no misuse).
 */
#include <string.h>

#include <uk/alloc.h>
#include <uk/print.h>

static char cmem[1u << 20] __attribute__((aligned(4096)));

int main(int argc, char **argv)
{
	struct uk_alloc *a = uk_alloc_region_create(cmem, sizeof(cmem));
	const char *mode = argc > 1 ? argv[1] : "ok";
	char *p = uk_malloc(a, 100), *big = uk_malloc(a, 3 * 4096);
	static char outside[64];

	if (!strcmp(mode, "double")) {
		uk_free(a, p);
		uk_free(a, p);
	} else if (!strcmp(mode, "double_large")) {
		uk_free(a, big);
		uk_free(a, big);
	} else if (!strcmp(mode, "interior")) {
		uk_free(a, big + 4096);
	} else if (!strcmp(mode, "interior_small")) {
		uk_free(a, p + 8);
	} else if (!strcmp(mode, "wild")) {
		uk_free(a, outside);
	} else {
		uk_free(a, p);
		uk_free(a, big);
		uk_pr_info("no misuse\n");
		return 0;
	}
	uk_pr_info("misuse %s was not caught\n", mode);
	return 1;
}
