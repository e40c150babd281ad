# tests/pg/rules.mk — the storage contract suite on a throwaway PostgreSQL cluster
# (tests/pg/run_contract.sh).  It runs the sanitized unit tests and kioskctl, which
# CHECK_BUILD already builds; the cluster costs a few seconds.
TESTS += tests/pg/run_contract.sh

# The PostgreSQL position benchmark (tests/bench/pg_bench.sh builds and runs it
# under make bench; never part of make check).
$(BUILD)/bench/bench_pg: $(call obj,tests/pg/bench_pg.c) $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)
TESTS += tests/pg/test_outage.sh
TESTS += tests/pg/test_replica.sh
TESTS += tests/pg/test_pgbouncer.sh
TESTS += tests/pg/test_failover.sh
# Failover under load (issue 13 item 4): build/bench/pg_load's failover mode.
TESTS       += tests/pg/test_failover_load.sh
CHECK_BUILD += $(BUILD)/bench/pg_load

# Concurrent writers on PostgreSQL (issue 13): tests/pg/pg_writers.c is one
# writer per process, tests/pg/test_writers.sh runs them side by side.
PG_WRITERS := $(BUILD)/asan/tests/pg/pg_writers
$(PG_WRITERS): $(BUILD)/asan/obj/tests/pg/pg_writers.o $(SAN_CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $< $(SAN_CORE_OBJ) $(PKG_LIBS)
.SECONDARY: $(BUILD)/asan/obj/tests/pg/pg_writers.o
TESTS       += tests/pg/test_writers.sh
# Audited writers in separate audit lanes (issue 13 item 2), on the same helper.
TESTS       += tests/pg/test_lanes.sh
CHECK_BUILD += $(PG_WRITERS)

# The same writer without sanitizers, for the audited-commit figures
# (tests/bench/pg_lanes_bench.sh; never part of make check).
$(BUILD)/bench/pg_writers: $(call obj,tests/pg/pg_writers.c) $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)
