# User-facing targets: all, check, bench, fuzz, run, clean.

CHECK_SCRIPTS ?=
BENCH_SCRIPTS ?=

.PHONY: all linuxu kvm tests fuzz fuzz-long check bench run plot fleet \
	fleet-scale deps clean layers

all: linuxu tests kvm
linuxu: $(ALLPROGS-linuxu)
tests: $(ALLPROGS-asan) $(ALLPROGS-tsan)
kvm: $(ALLPROGS-kvm)
fuzz: $(ALLPROGS-fuzz)

# deps installs missing Debian packages (as root) or names them and stops.
deps:
	@bash scripts/deps.sh

# Every test prints "N passed, N failed" last; scripts/check.sh runs them
# all and sums those lines into the final one.
# The layering check runs first: it needs no build.
CHECK_LIST = scripts/check-layers.py $(addprefix $(BUILD)/asan/,$(TESTS-asan)) \
	$(addprefix $(BUILD)/tsan/,$(TESTS-tsan)) \
	$(addprefix kvm:$(BUILD)/kvm/,$(addsuffix .elf,$(TESTS-kvm))) \
	$(CHECK_SCRIPTS)

check: deps
	@$(MAKE) --no-print-directory all fuzz
	@bash scripts/check.sh $(CHECK_LIST)

bench: deps
	@$(MAKE) --no-print-directory all
	@bash scripts/bench.sh $(BENCH_SCRIPTS)

run: deps
	@$(MAKE) --no-print-directory kvm linuxu
	@bash scripts/run.sh

# make plot: PNG plots (CPU by mode, memory, network, file systems, disk
# I/O, scrape duration) of a running make run in build/plots/, drawn by
# gnuplot over Prometheus' query_range (scripts/plot.py; the Prometheus
# of UKMON_PROM_PORT, the last UKMON_PLOT_MINUTES minutes).
plot:
	@/usr/bin/python3 scripts/plot.py

# make fuzz-long: every libFuzzer target of the tree for FUZZ_SECONDS
# (default 600) each, corpora kept in build/fuzz-corpus/<target>/
# (scripts/fuzz-long.sh).  make check runs each for seconds only.
.PHONY: fuzz-long
fuzz-long: fuzz
	@bash scripts/fuzz-long.sh $(ALLPROGS-fuzz)

# What the fragments declare against what the sources include, and the
# layers bottom up (scripts/check-layers.py; also the first test of check).
layers:
	@/usr/bin/python3 scripts/check-layers.py

# N demo VMs found by Prometheus through file_sd, remote-written to
# VictoriaMetrics (scripts/fleet.sh); fleet-scale resizes a running fleet.
fleet: deps
	@$(MAKE) --no-print-directory kvm
	@N=$(or $(N),4) bash scripts/fleet.sh

fleet-scale:
	@bash scripts/fleet.sh scale $(N)

clean:
	rm -rf $(BUILD)
