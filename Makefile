# Makefile — the street-office kiosk.
#   make          build/kiosk and build/kioskctl
#   make check    install what is missing, build, run every test (ASan + UBSan)
#   make demo     install what is missing, build, create demo.db, start the kiosk with simulated devices
#   make bench    the PERF.md figures, one line each
#   make install  DESTDIR= PREFIX=
# Test directories add their own rules in tests/<dir>/rules.mk (see tests/README.md).

PREFIX  ?= /usr/local
CC      ?= gcc
BUILD   := build
PKGS    := ncursesw sqlite3 libsodium libqrencode libusb-1.0 inih libpng libpq

# Deferred (=) so pkg-config runs after install/deps.sh has installed the packages.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lm

WARN     := -Wall -Wextra -Wshadow -Wno-unused-parameter -Wformat=2 -Wvla
CSTD     := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -D_GNU_SOURCE
CFLAGS   ?= -O2 -g
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) -I. $(PKG_CFLAGS) -MMD -MP
SAN       := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SAN_CFLAGS = $(CSTD) $(WARN) -O1 -g $(SAN) -I. $(PKG_CFLAGS) -MMD -MP -DKIOSK_SANITIZED

# The schema migrations are compiled in (install/embed_sql.sh), so the programs carry them.
GEN_SQL  := $(BUILD)/gen/migrations.c
CORE_SRC := $(filter-out kiosk/cli/main_%.c,$(wildcard kiosk/*.c kiosk/*/*.c kiosk/*/*/*.c)) $(GEN_SQL)
DEV_SRC  := $(wildcard devices/*.c)
SCR_SRC  := $(wildcard screens/*.c)

obj      = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
sanobj   = $(patsubst %.c,$(BUILD)/asan/obj/%.o,$(1))

CORE_OBJ := $(call obj,$(CORE_SRC))
DEV_OBJ  := $(call obj,$(DEV_SRC))
SCR_OBJ  := $(call obj,$(SCR_SRC))
SAN_CORE_OBJ := $(call sanobj,$(CORE_SRC))
SAN_DEV_OBJ  := $(call sanobj,$(DEV_SRC))
SAN_SCR_OBJ  := $(call sanobj,$(SCR_SRC))

.PHONY: all deps check-deps check test demo bench fuzz install clean
all: deps $(BUILD)/kiosk $(BUILD)/kioskctl

deps:
	@sh install/deps.sh build

check-deps:
	@sh install/deps.sh check

$(GEN_SQL): $(sort $(wildcard data/migrations/*.sql)) install/embed_sql.sh
	@mkdir -p $(dir $@)
	sh install/embed_sql.sh $(sort $(wildcard data/migrations/*.sql)) > $@

$(BUILD)/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/asan/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(SAN_CFLAGS) -c $< -o $@

$(BUILD)/kioskctl: $(call obj,kiosk/cli/main_kioskctl.c) $(CORE_OBJ) $(DEV_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/kiosk: $(call obj,kiosk/cli/main_kiosk.c) $(CORE_OBJ) $(DEV_OBJ) $(SCR_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

# Sanitized builds of both programs: the tests run these.
$(BUILD)/asan/kioskctl: $(call sanobj,kiosk/cli/main_kioskctl.c) $(SAN_CORE_OBJ) $(SAN_DEV_OBJ)
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS)

$(BUILD)/asan/kiosk: $(call sanobj,kiosk/cli/main_kiosk.c) $(SAN_CORE_OBJ) $(SAN_DEV_OBJ) $(SAN_SCR_OBJ)
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS)

# ---- tests -----------------------------------------------------------------
# Each tests/<dir>/rules.mk appends executables or scripts to TESTS (run by
# tests/run.sh, which prints the closing "N passed, N failed" line) and may
# append to CHECK_BUILD (things to build before the run).
TESTS       :=
CHECK_BUILD := $(BUILD)/kioskctl $(BUILD)/kiosk $(BUILD)/asan/kioskctl $(BUILD)/asan/kiosk
-include $(wildcard tests/*/rules.mk)

check test: check-deps
	@$(MAKE) --no-print-directory $(CHECK_BUILD)
	@KIOSK_BUILD=$(BUILD) sh tests/run.sh $(TESTS)

bench: all
	@$(MAKE) --no-print-directory $(BUILD)/bench/bench_position
	@sh tests/bench/run.sh

demo: all
	@sh install/demo.sh

# The kiosk looks for its catalogue beside its binary (build/locale), then in
# KIOSK_LOCALEDIR, compiled in as $(PREFIX)/share/locale (kiosk/i18n.c).
CFLAGS_i18n = -DKIOSK_LOCALEDIR='"$(PREFIX)/share/locale"'
$(BUILD)/obj/kiosk/i18n.o $(BUILD)/asan/obj/kiosk/i18n.o: CFLAGS += $(CFLAGS_i18n)
$(BUILD)/asan/obj/kiosk/i18n.o: SAN_CFLAGS += $(CFLAGS_i18n)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/kiosk
	install -m 0755 $(BUILD)/kiosk $(BUILD)/kioskctl $(DESTDIR)$(PREFIX)/bin/
	for mo in $(BUILD)/locale/*/LC_MESSAGES/kiosk.mo; do \
	    lang=$${mo#$(BUILD)/locale/}; lang=$${lang%%/*}; \
	    install -d $(DESTDIR)$(PREFIX)/share/locale/$$lang/LC_MESSAGES; \
	    install -m 0644 $$mo $(DESTDIR)$(PREFIX)/share/locale/$$lang/LC_MESSAGES/kiosk.mo; \
	done
	install -m 0644 install/kiosk.conf.example $(DESTDIR)$(PREFIX)/share/kiosk/
	install -d $(DESTDIR)$(PREFIX)/share/kiosk/udev $(DESTDIR)$(PREFIX)/share/kiosk/systemd \
	    $(DESTDIR)$(PREFIX)/share/kiosk/ssh
	install -m 0644 install/udev/* $(DESTDIR)$(PREFIX)/share/kiosk/udev/
	install -m 0644 install/systemd/* $(DESTDIR)$(PREFIX)/share/kiosk/systemd/
	install -m 0644 install/ssh/* $(DESTDIR)$(PREFIX)/share/kiosk/ssh/

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
