# tests/devices/rules.mk — device-layer tests, included by the top Makefile.
#
#   test_sam, test_escpos, test_receipt, test_drivers, test_sim   cmocka, ASan + UBSan,
#        against golden bytes (tests/devices/golden/) and the in-memory transport;
#   test_receipt_perf   the same receipt tests built like the product (-O2, no
#        sanitizer) so the "built in ≤ 1 ms" assertion measures the real thing;
#   test_umockdev       the libusb transport and both drivers against umockdev
#        testbeds (fake reader in split- and single-pipe mode, fake printer).
#        Built WITHOUT ASan: umockdev's preload library intercepts open/ioctl
#        and ASan wants to be first in the link order; the two do not mix.
#        The preload is linked in (--no-as-needed -lumockdev-preload) the way
#        libusb's own tests/umockdev.c does, so it runs as a plain program;
#   test_cli.sh         kioskctl end to end (needs build/kioskctl);
#   test_card_wipe.sh   the real kiosk's memory after a card is removed holds no ID or name.
# The tests link only the device objects and the two core files they need
# (err, followup), so a half-written core file elsewhere does not stop them.

DEVT_SRC   := devices/sam.c devices/escpos.c devices/qr.c devices/receipt.c \
              devices/receipt_render.c devices/mem_transport.c devices/usb_transport.c \
              devices/idcard.c devices/printer.c devices/sim.c devices/devmgr.c \
              kiosk/err.c kiosk/fmt_conv.c kiosk/followup.c kiosk/linebreak.c
DEVT_SAN   := $(call sanobj,$(DEVT_SRC))
DEVT_OBJ   := $(call obj,$(DEVT_SRC))
DEVT_NAMES := test_sam test_escpos test_receipt test_drivers test_sim
DEVT_TESTS := $(addprefix $(BUILD)/asan/tests/devices/,$(DEVT_NAMES))

$(BUILD)/asan/tests/devices/test_%: $(BUILD)/asan/obj/tests/devices/test_%.o $(DEVT_SAN)
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $< $(DEVT_SAN) $(PKG_LIBS) -lcmocka -lpthread

$(BUILD)/tests/devices/test_receipt_perf: $(BUILD)/obj/tests/devices/test_receipt.o $(DEVT_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -lcmocka -lpthread

UMOCK_CFLAGS = $(shell pkg-config --cflags umockdev-1.0 glib-2.0 gobject-2.0)
UMOCK_LIBS   = $(shell pkg-config --libs umockdev-1.0 glib-2.0 gobject-2.0)

$(BUILD)/umock/test_umockdev.o: tests/devices/test_umockdev.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -O1 -g -I. $(PKG_CFLAGS) $(UMOCK_CFLAGS) -MMD -MP -c $< -o $@

# test_umockdev also runs `kioskctl devices list|test-read` (devices_cli.c) on the fake reader.
# (devices_cli.c prints through gettext: i18n.c)
UMOCKT_OBJ := $(call obj,devices/devices_cli.c kiosk/idnum.c kiosk/i18n.c)

$(BUILD)/tests/devices/test_umockdev: $(BUILD)/umock/test_umockdev.o $(DEVT_OBJ) $(UMOCKT_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ -Wl,--push-state,--no-as-needed -lumockdev-preload -Wl,--pop-state \
	    $(UMOCK_LIBS) $(PKG_LIBS) -lcmocka -lpthread

.SECONDARY: $(patsubst %,$(BUILD)/asan/obj/tests/devices/%.o,$(DEVT_NAMES)) \
            $(BUILD)/obj/tests/devices/test_receipt.o

DEVT_ALL := $(DEVT_TESTS) $(BUILD)/tests/devices/test_receipt_perf \
            $(BUILD)/tests/devices/test_umockdev
TESTS       += $(DEVT_ALL) tests/devices/test_cli.sh tests/devices/test_card_wipe.sh
CHECK_BUILD += $(DEVT_ALL)
