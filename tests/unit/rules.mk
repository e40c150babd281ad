# tests/unit/rules.mk — core unit tests (cmocka), included by the top Makefile.
# Every tests/unit/test_NAME.c becomes $(BUILD)/asan/tests/unit/test_NAME,
# built with ASan + UBSan and linked against the whole sanitized core, so a
# new test file needs no edit here: drop it in and `make check` runs it.

UNIT_TEST_SRC := $(wildcard tests/unit/test_*.c)
UNIT_TESTS    := $(patsubst tests/unit/%.c,$(BUILD)/asan/tests/unit/%,$(UNIT_TEST_SRC))

$(BUILD)/asan/tests/unit/test_%: $(BUILD)/asan/obj/tests/unit/test_%.o $(SAN_CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $< $(SAN_CORE_OBJ) $(PKG_LIBS) -lcmocka

# Keep the objects (make would delete them as intermediates and rebuild them).
.SECONDARY: $(patsubst tests/unit/%.c,$(BUILD)/asan/obj/tests/unit/%.o,$(UNIT_TEST_SRC))

TESTS       += $(UNIT_TESTS)
CHECK_BUILD += $(UNIT_TESTS)
