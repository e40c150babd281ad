# tests/counter/rules.mk — a card reader at the staff counter (issue 12), included by the top
# Makefile.  test_counter: TAP, build/asan/kiosk --staff with a simulated reader in a real
# terminal (tests/screen/vt.c); linked with the core for demo_resident()/idnum_mask().

COUNTER_TEST := $(BUILD)/tests/counter/test_counter

$(COUNTER_TEST): $(BUILD)/obj/tests/counter/test_counter.o $(BUILD)/obj/tests/screen/vt.o $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -lvterm -lutil

.SECONDARY: $(BUILD)/obj/tests/counter/test_counter.o

TESTS       += $(COUNTER_TEST)
CHECK_BUILD += $(COUNTER_TEST)
