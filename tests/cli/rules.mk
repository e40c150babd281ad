# tests/cli/rules.mk — kioskctl bed/user and the resident notices of staff actions from the
# shell (test_notice_cli.sh), and a kill -9 during
# home-care-bed submissions (tests/cli/bed_submit_loop.c is the submitter); streets
# (test_street.sh: SQLite and PostgreSQL, kioskctl, the real kiosk and console).
BED_SUBMIT_LOOP := $(BUILD)/asan/tests/cli/bed_submit_loop

$(BED_SUBMIT_LOOP): $(BUILD)/asan/obj/tests/cli/bed_submit_loop.o $(SAN_CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $< $(SAN_CORE_OBJ) $(PKG_LIBS)

.SECONDARY: $(BUILD)/asan/obj/tests/cli/bed_submit_loop.o

TESTS       += tests/cli/test_bed_cli.sh tests/cli/test_bed_kill.sh tests/cli/test_notice_cli.sh \
               tests/cli/test_street.sh
CHECK_BUILD += $(BED_SUBMIT_LOOP)
