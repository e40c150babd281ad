# tests/bench/rules.mk — benchmark programs (make bench; never part of make check).
BENCH_PROGS := $(BUILD)/bench/bench_position

$(BUILD)/bench/bench_position: $(call obj,tests/bench/bench_position.c) $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)
