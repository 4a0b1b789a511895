// bench-peer-promcpp: the benchmark's reference exporter.  It serves the
// same series set as bench-server (bench_counter_total{id="i"} = i and
// bench_gauge{id="i"} = i * 0.25 for i in 0..N-1) through prometheus-cpp's
// pull exposer (Debian's prometheus-cpp-dev), so bench-exporter.sh can
// compare a scrape of ukprom with a scrape of a widely used C++ library
// serving identical data.  Usage: bench-peer-promcpp N PORT; it prints
// "listening" once bound and exits cleanly on SIGTERM or SIGINT.
#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <pthread.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		std::fprintf(stderr, "usage: bench-peer-promcpp N PORT\n");
		return 2;
	}
	long n = std::strtol(argv[1], nullptr, 10);
	long port = std::strtol(argv[2], nullptr, 10);
	if (n < 0 || port <= 0 || port > 65535)
		return 2;

	// The exposer's threads inherit this mask, so only sigwait() sees
	// the stop signal and the destructors run.
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, nullptr);

	auto registry = std::make_shared<prometheus::Registry>();
	auto &counters = prometheus::BuildCounter()
		.Name("bench_counter_total")
		.Help("Benchmark counter")
		.Register(*registry);
	// The same help texts as apps/bench/benchset.c: equal payloads.
	auto &gauges = prometheus::BuildGauge()
		.Name("bench_gauge")
		.Help("Benchmark gauge")
		.Register(*registry);
	for (long i = 0; i < n; i++) {
		std::string id = std::to_string(i);
		counters.Add({{"id", id}}).Increment((double)i);
		gauges.Add({{"id", id}}).Set((double)i * 0.25);
	}

	// civetweb closes after each response unless told otherwise;
	// Prometheus keeps its connection open, and so does scrape-lat.
	// Without TCP_NODELAY its separate header and body writes meet
	// Nagle and delayed ACKs (a 40 ms stall per scrape): that would be
	// measuring the configuration, not the library.
	prometheus::Exposer exposer{std::vector<std::string>{
		"listening_ports", "127.0.0.1:" + std::to_string(port),
		"num_threads", "2", "enable_keep_alive", "yes",
		"tcp_nodelay", "1"}};
	exposer.RegisterCollectable(registry);
	std::printf("bench-peer-promcpp: listening on "
		    "http://127.0.0.1:%ld/metrics\n", port);
	std::fflush(stdout);

	int sig;
	while (sigwait(&sigs, &sig) != 0)
		;
	return 0;
}
