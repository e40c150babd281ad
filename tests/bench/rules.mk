# tests/bench/rules.mk — benchmark programs (make bench; never part of make check).
BENCH_PROGS := $(BUILD)/bench/bench_position

$(BUILD)/bench/bench_position: $(call obj,tests/bench/bench_position.c tests/bench/bench_import.c \
                                          tests/bench/bench_lookup.c) $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

# The district load figure and the PostgreSQL import vs its floor
# (tests/bench/pg_load_bench.sh builds and runs it; never part of make check).
$(BUILD)/bench/pg_load: $(call obj,tests/bench/pg_load.c) $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -lpthread
