/*
 * The benchmark series set shared by bench-enc (the encoder benchmark)
 * and bench-server (the exporter benchmark): library "bench" with n
 * dynamic folders labelled id="0".."n-1", each holding a counter
 * "counter" (u64, value i: bench_counter_total{id="i"} i) and a gauge
 * "gauge" (double, value i * 0.25: bench_gauge{id="i"}), so 2n series.
 */
#ifndef BENCHSET_H
#define BENCHSET_H

/** The default number of folders (20,000 series). */
#define BENCHSET_DEFAULT_N 10000

/**
 * Creates the n folders.  Returns 0, -EBUSY if the set exists, -EINVAL
 * for n == 0, or the store's error (-ENOMEM...), in which case nothing
 * is left behind.
 */
int bench_set_create(unsigned int n);

/** Removes every folder of the set (no-op if there is none). */
void bench_set_destroy(void);

/** Number of series in the set (2n), 0 when it does not exist. */
unsigned int bench_set_series(void);

#endif
