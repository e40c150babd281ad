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
