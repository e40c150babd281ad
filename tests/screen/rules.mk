# tests/screen/rules.mk — the resident kiosk in a real terminal, and its translations.
#
#   $(BUILD)/locale/zh/LC_MESSAGES/kiosk.mo   msgfmt of data/po/zh.po; the kiosk finds it
#        beside its own binary (build/locale), so `build/kiosk` speaks Chinese uninstalled.
#        Order-only prerequisite of both kiosk binaries, so plain `make` builds it.
#   $(BUILD)/tests/screen/test_screen   forkpty + libvterm driving build/asan/kiosk (TAP).
#        Built without sanitizers (it is the terminal, not the thing under test) and linked
#        with the core for demo_resident()/name_mask(): the test names real demo people.

MO_FILES := $(patsubst data/po/%.po,$(BUILD)/locale/%/LC_MESSAGES/kiosk.mo,$(wildcard data/po/*.po))

$(BUILD)/locale/%/LC_MESSAGES/kiosk.mo: data/po/%.po
	@mkdir -p $(dir $@)
	msgfmt -c -o $@ $<

$(BUILD)/kiosk $(BUILD)/asan/kiosk: | $(MO_FILES)

SCREEN_TEST := $(BUILD)/tests/screen/test_screen

$(BUILD)/tests/screen/test_screen: $(BUILD)/obj/tests/screen/test_screen.o \
                                   $(BUILD)/obj/tests/screen/vt.o $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -lvterm -lutil

.SECONDARY: $(BUILD)/obj/tests/screen/test_screen.o $(BUILD)/obj/tests/screen/vt.o

TESTS       += $(SCREEN_TEST)
CHECK_BUILD += $(SCREEN_TEST) $(MO_FILES)

# `make bench` (tests/bench/kiosk_bench.sh) builds this itself: the kiosk's PERF.md figures
# measured through the same terminal harness.
$(BUILD)/bench/kiosk_bench: $(BUILD)/obj/tests/screen/kiosk_bench.o \
                            $(BUILD)/obj/tests/screen/vt.o $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -lvterm -lutil

.SECONDARY: $(BUILD)/obj/tests/screen/kiosk_bench.o

# Golden screen dumps (tests/screen/golden.c): each golden/NAME.script replayed in zh and
# en at 80×24 against golden/NAME.LANG.screen.  `make goldens` rewrites the .screen files
# (UPDATE_GOLDENS=1); review the diff with git before committing them.
GOLDEN_TEST := $(BUILD)/tests/screen/golden

$(GOLDEN_TEST): $(BUILD)/obj/tests/screen/golden.o $(BUILD)/obj/tests/screen/vt.o $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -lvterm -lutil

.SECONDARY: $(BUILD)/obj/tests/screen/golden.o

TESTS       += $(GOLDEN_TEST)
CHECK_BUILD += $(GOLDEN_TEST) $(MO_FILES)

.PHONY: goldens
goldens: $(GOLDEN_TEST) $(BUILD)/kioskctl $(BUILD)/asan/kiosk $(MO_FILES)
	UPDATE_GOLDENS=1 KIOSK_BUILD=$(BUILD) $(GOLDEN_TEST)

# The contrast of every colour pair, from screens/palette.c and install/display/foot.ini.
CONTRAST_TEST := $(BUILD)/tests/screen/test_contrast

$(CONTRAST_TEST): $(BUILD)/obj/tests/screen/test_contrast.o $(BUILD)/obj/screens/palette.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ -lm

.SECONDARY: $(BUILD)/obj/tests/screen/test_contrast.o

TESTS       += $(CONTRAST_TEST)
CHECK_BUILD += $(CONTRAST_TEST)

# Screenshots at real panel sizes (tests/screen/shots.sh: sway headless + foot + grim),
# measured by shot_measure (libpng): the CJK ink height, the row pitch, not blank.
# The PNGs stay in $(BUILD)/test-logs/shots/ as artefacts.
SHOT_MEASURE := $(BUILD)/tests/screen/shot_measure

$(SHOT_MEASURE): $(BUILD)/obj/tests/screen/shot_measure.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

.SECONDARY: $(BUILD)/obj/tests/screen/shot_measure.o

TESTS       += tests/screen/shots.sh
CHECK_BUILD += $(SHOT_MEASURE) $(BUILD)/kiosk $(BUILD)/kioskctl $(MO_FILES)
