# tests/fleet/rules.mk — fleet health over SSH (issue 12), included by the top Makefile.
#
#   test_fleet   TAP: build/asan/kiosk in a real terminal (tests/screen/vt.c) with a
#                one-second heartbeat, read by the real build/kioskctl kiosks (text, --json,
#                --prometheus); SIGSTOP → SILENT after [fleet] silent_after, watchdog pings stop.
#                Built without sanitizers (it is the terminal); the kiosk under test has ASan.

FLEET_TEST := $(BUILD)/tests/fleet/test_fleet

$(FLEET_TEST): $(BUILD)/obj/tests/fleet/test_fleet.o $(BUILD)/obj/tests/screen/vt.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ -lvterm -lutil

.SECONDARY: $(BUILD)/obj/tests/fleet/test_fleet.o

TESTS       += $(FLEET_TEST)
CHECK_BUILD += $(FLEET_TEST)
