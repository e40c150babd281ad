# tests/console/rules.mk — the staff console in a real terminal.
#   $(BUILD)/tests/console/test_console_tui   forkpty + libvterm (tests/screen/vt.o, another
#        suite's harness, linked as is) driving build/asan/kiosk --staff / --admin against a
#        demo database made with build/kioskctl.  TAP output; built without sanitizers (it
#        is the terminal, not the thing under test).

CONSOLE_TUI := $(BUILD)/tests/console/test_console_tui

$(CONSOLE_TUI): $(BUILD)/obj/tests/console/test_console_tui.o $(BUILD)/obj/tests/screen/vt.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ -lvterm -lutil

.SECONDARY: $(BUILD)/obj/tests/console/test_console_tui.o

TESTS       += $(CONSOLE_TUI)
CHECK_BUILD += $(CONSOLE_TUI)

# make bench: tests/bench/console_bench.sh runs this (never part of make check).
# It drives the console's core API, and `kiosk --admin` in tests/screen/vt.o's terminal.
$(BUILD)/bench/bench_console: $(call obj,tests/console/bench_console.c) $(BUILD)/obj/tests/screen/vt.o \
                              $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -lvterm -lutil

# make bench: tests/bench/find_bench.sh runs this on a copy of the demo database.
$(BUILD)/bench/bench_find: $(call obj,tests/console/bench_find.c) $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

# make bench: tests/bench/report_bench.sh runs this on the demo database (read only).
$(BUILD)/bench/bench_report: $(call obj,tests/console/bench_report.c) $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

# make bench: tests/bench/work_bench.sh runs this on a copy of the demo database.
$(BUILD)/bench/bench_work: $(call obj,tests/console/bench_work.c) $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)
