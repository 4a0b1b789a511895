/* The fake-but-real producers of node's and procfs' tests (fixture.c). */
#ifndef NODE_TEST_FIXTURE_H
#define NODE_TEST_FIXTURE_H

/** Sets everything up once (later calls do nothing).  Returns 0 or -errno. */
int fixture_setup(void);

#endif
