/*
 * main() for test programs (linuxu and kernel test images): runs the linked cases, optionally
 * filtered by argv[1], and exits non-zero if any failed.
 */
#include <uk/test.h>

int main(int argc, char **argv)
{
	return uk_test_run(argc > 1 ? argv[1] : NULL) ? 1 : 0;
}
