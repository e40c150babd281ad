# Makefile — the street-office kiosk.
#   make          build/kiosk, build/kioskctl and the PostgreSQL plugin build/lib/kiosk-store-pg.so
#   make check    install what is missing, build, run every test (ASan + UBSan)
#   make demo     install what is missing, build, create demo.db, start the kiosk with simulated devices
#   make bench    the PERF.md figures, one line each
#   make install  DESTDIR= PREFIX=
# Test directories add their own rules in tests/<dir>/rules.mk (see tests/README.md).

PREFIX  ?= /usr/local
CC      ?= gcc
BUILD   := build

# Each program links only the libraries it uses (pkg-config names):
PKGS_CORE  := sqlite3 libsodium inih            # kiosk/: SQLite backend, site secret, config
PKGS_DEV   := libqrencode libusb-1.0            # devices/: QR, reader and printer
PKGS_SPEECH := espeak-ng alsa                   # devices/speech*: the kiosk only (issue 9)
PKGS_SD    := libsystemd                        # sd_notify: the kiosk's watchdog (issue 12)
PKGS_KIOSK := ncursesw $(PKGS_CORE) $(PKGS_DEV) $(PKGS_SPEECH) $(PKGS_SD)
PKGS_CTL   := $(PKGS_CORE) $(PKGS_DEV) libpng   # no curses; `kioskctl receipt` renders PNG
PKGS_PG    := libpq                             # only the plugin build/lib/kiosk-store-pg.so
PKGS_FU    := $(PKGS_CORE) libmicrohttpd        # build/kiosk-followup: no devices, no curses
PKGS       := ncursesw $(PKGS_CORE) $(PKGS_DEV) libpng $(PKGS_PG) $(PKGS_SPEECH) $(PKGS_SD)

# Deferred (=) so pkg-config runs after install/deps.sh has installed the packages.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
KIOSK_LIBS = $(shell pkg-config --libs $(PKGS_KIOSK)) -lm -lpthread
CTL_LIBS   = $(shell pkg-config --libs $(PKGS_CTL)) -lm
PG_LIBS    = $(shell pkg-config --libs $(PKGS_PG))
FU_LIBS    = $(shell pkg-config --libs $(PKGS_FU)) -lm
# Tests and benchmarks that link the whole core (CORE_OBJ, the PostgreSQL backend included).
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lm -lpthread

WARN     := -Wall -Wextra -Wshadow -Wno-unused-parameter -Wformat=2 -Wvla
CSTD     := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -D_GNU_SOURCE
CFLAGS   ?= -O2 -g
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) -I. $(PKG_CFLAGS) -MMD -MP
SAN       := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SAN_CFLAGS = $(CSTD) $(WARN) -O1 -g $(SAN) -I. $(PKG_CFLAGS) -MMD -MP -DKIOSK_SANITIZED

# The schema migrations are compiled in (install/embed_sql.sh), so the programs carry them.
#
# What goes where (wildcards, so a new file lands in the right place by its folder):
#   PG_SRC     kiosk/store/pg/*.c: the PostgreSQL backend, built into the plugin
#              build/lib/kiosk-store-pg.so (linked with libpq), loaded by store_open
#              only for a postgresql:// URL (kiosk/store/store.c)
#   APP_SRC    the rest of kiosk/ but the two mains: the programs' core, archived
#              (build/ar/libcore.a) so each program pulls only the files it calls
#   DEV_SRC    devices/ but the test-only in-memory transport (tests/devices link it)
#   CORE_SRC   APP_SRC + PG_SRC: what tests and benchmarks link whole (with PKG_LIBS);
#              store_open then calls the linked-in backend instead of the plugin
GEN_SQL  := $(BUILD)/gen/migrations.c
GEN_NS   := $(BUILD)/gen/next_steps_ini.c
PG_SRC   := $(wildcard kiosk/store/pg/*.c)
APP_SRC  := $(filter-out kiosk/cli/main_%.c $(PG_SRC),$(wildcard kiosk/*.c kiosk/*/*.c kiosk/*/*/*.c)) $(GEN_SQL) $(GEN_NS)
CORE_SRC := $(APP_SRC) $(PG_SRC)
DEV_TEST_SRC := devices/mem_transport.c
DEV_SRC  := $(filter-out $(DEV_TEST_SRC),$(wildcard devices/*.c))
SCR_SRC  := $(wildcard screens/*.c)

obj      = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
sanobj   = $(patsubst %.c,$(BUILD)/asan/obj/%.o,$(1))

CORE_OBJ := $(call obj,$(CORE_SRC))
APP_OBJ  := $(call obj,$(APP_SRC))
PG_OBJ   := $(call obj,$(PG_SRC))
DEV_OBJ  := $(call obj,$(DEV_SRC))
SCR_OBJ  := $(call obj,$(SCR_SRC))
SAN_CORE_OBJ := $(call sanobj,$(CORE_SRC))
SAN_APP_OBJ  := $(call sanobj,$(APP_SRC))
SAN_PG_OBJ   := $(call sanobj,$(PG_SRC))
SAN_DEV_OBJ  := $(call sanobj,$(DEV_SRC))
SAN_SCR_OBJ  := $(call sanobj,$(SCR_SRC))

PG_PLUGIN     := $(BUILD)/lib/kiosk-store-pg.so
SAN_PG_PLUGIN := $(BUILD)/asan/lib/kiosk-store-pg.so

.PHONY: all deps check-deps check test demo bench fuzz install clean
all: deps $(BUILD)/kiosk $(BUILD)/kioskctl $(BUILD)/kiosk-followup $(PG_PLUGIN)

deps:
	@sh install/deps.sh build

check-deps:
	@sh install/deps.sh check

$(GEN_SQL): $(sort $(wildcard data/migrations/*.sql)) install/embed_sql.sh
	@mkdir -p $(dir $@)
	sh install/embed_sql.sh $(sort $(wildcard data/migrations/*.sql)) > $@
# The next-step texts (data/next_steps.ini) are the compiled-in default of [kiosk] next_steps.
$(GEN_NS): data/next_steps.ini install/embed_text.sh
	@mkdir -p $(dir $@)
	sh install/embed_text.sh next_steps_ini_default data/next_steps.ini > $@

$(BUILD)/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/asan/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(SAN_CFLAGS) -c $< -o $@

# ---- the programs ----------------------------------------------------------
# Objects go into archives and each program names its main: the linker takes from
# an archive only the members the program calls, so kioskctl carries no screens
# and no curses, the kiosk no kioskctl commands, neither the in-memory transport.
# $(1) = build/ar or build/asan/ar, $(2) = the objects.
define archive
	@mkdir -p $(dir $(1))
	@rm -f $(1)
	ar rcs $(1) $(2)
endef
$(BUILD)/ar/libcore.a: $(APP_OBJ)
	$(call archive,$@,$^)
$(BUILD)/ar/libdevices.a: $(DEV_OBJ)
	$(call archive,$@,$^)
$(BUILD)/ar/libscreens.a: $(SCR_OBJ)
	$(call archive,$@,$^)
$(BUILD)/asan/ar/libcore.a: $(SAN_APP_OBJ)
	$(call archive,$@,$^)
$(BUILD)/asan/ar/libdevices.a: $(SAN_DEV_OBJ)
	$(call archive,$@,$^)
$(BUILD)/asan/ar/libscreens.a: $(SAN_SCR_OBJ)
	$(call archive,$@,$^)

# The plugin calls back into the program for the core (err, the store engine,
# rank_layout, …).  install/plugin_imports.sh lists the core symbols the plugin's
# objects use; each program exports exactly those (--dynamic-list) and takes them
# from the core archive even if it does not call them itself (-u), so the plugin
# and the program share one copy of each (one error detail buffer, …).
$(BUILD)/gen/pg-imports.syms: $(PG_OBJ) $(APP_OBJ) install/plugin_imports.sh
	sh install/plugin_imports.sh $@ $(PG_OBJ) -- $(APP_OBJ)
$(BUILD)/asan/gen/pg-imports.syms: $(SAN_PG_OBJ) $(SAN_APP_OBJ) install/plugin_imports.sh
	sh install/plugin_imports.sh $@ $(SAN_PG_OBJ) -- $(SAN_APP_OBJ)
# $(1) = the .syms file (its .dynlist is written beside it)
pg_exports = -Wl,--dynamic-list=$(1:.syms=.dynlist) $$(sed 's/^/-Wl,-u,/' $(1))

# $(1) = main object, $(2) = archives, $(3) = imports list
link_program = $(1) $(call pg_exports,$(3)) -Wl,--start-group $(2) -Wl,--end-group

$(BUILD)/kioskctl: $(call obj,kiosk/cli/main_kioskctl.c) $(BUILD)/ar/libdevices.a \
                   $(BUILD)/ar/libcore.a $(BUILD)/gen/pg-imports.syms
	$(CC) $(CFLAGS) -o $@ $(call link_program,$<,$(filter %.a,$^),$(filter %.syms,$^)) $(CTL_LIBS)

$(BUILD)/kiosk: $(call obj,kiosk/cli/main_kiosk.c) $(BUILD)/ar/libscreens.a $(BUILD)/ar/libdevices.a \
                $(BUILD)/ar/libcore.a $(BUILD)/gen/pg-imports.syms
	$(CC) $(CFLAGS) -o $@ $(call link_program,$<,$(filter %.a,$^),$(filter %.syms,$^)) $(KIOSK_LIBS)

# The follow-up page's server (kiosk/cli/main_followup.c): the core archive and
# libmicrohttpd; only its main includes microhttpd.h (kiosk/web/ renders the page).
FU_CFLAGS = $(shell pkg-config --cflags libmicrohttpd)
$(call obj,kiosk/cli/main_followup.c): ALL_CFLAGS += $(FU_CFLAGS)
$(call sanobj,kiosk/cli/main_followup.c): SAN_CFLAGS += $(FU_CFLAGS)

$(BUILD)/kiosk-followup: $(call obj,kiosk/cli/main_followup.c) $(BUILD)/ar/libcore.a \
                         $(BUILD)/gen/pg-imports.syms | $(BUILD)/locale/zh/LC_MESSAGES/kiosk.mo
	$(CC) $(CFLAGS) -o $@ $(call link_program,$<,$(filter %.a,$^),$(filter %.syms,$^)) $(FU_LIBS)

$(BUILD)/asan/kiosk-followup: $(call sanobj,kiosk/cli/main_followup.c) $(BUILD)/asan/ar/libcore.a \
                              $(BUILD)/asan/gen/pg-imports.syms | $(BUILD)/locale/zh/LC_MESSAGES/kiosk.mo
	$(CC) $(SAN) -o $@ $(call link_program,$<,$(filter %.a,$^),$(filter %.syms,$^)) $(FU_LIBS)

# The PostgreSQL backend: position-independent objects, one exported symbol
# (store_pg_open, install/kiosk-store-pg.map), libpq and its tree only here.
$(PG_OBJ) $(SAN_PG_OBJ): ALL_CFLAGS += -fPIC
$(SAN_PG_OBJ): SAN_CFLAGS += -fPIC

$(PG_PLUGIN): $(PG_OBJ) install/kiosk-store-pg.map
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -shared -o $@ $(PG_OBJ) -Wl,--version-script=install/kiosk-store-pg.map $(PG_LIBS)

# Sanitized builds of both programs and the plugin: the tests run these.
$(BUILD)/asan/kioskctl: $(call sanobj,kiosk/cli/main_kioskctl.c) $(BUILD)/asan/ar/libdevices.a \
                        $(BUILD)/asan/ar/libcore.a $(BUILD)/asan/gen/pg-imports.syms
	$(CC) $(SAN) -o $@ $(call link_program,$<,$(filter %.a,$^),$(filter %.syms,$^)) $(CTL_LIBS)

$(BUILD)/asan/kiosk: $(call sanobj,kiosk/cli/main_kiosk.c) $(BUILD)/asan/ar/libscreens.a \
                     $(BUILD)/asan/ar/libdevices.a $(BUILD)/asan/ar/libcore.a \
                     $(BUILD)/asan/gen/pg-imports.syms
	$(CC) $(SAN) -o $@ $(call link_program,$<,$(filter %.a,$^),$(filter %.syms,$^)) $(KIOSK_LIBS)

$(SAN_PG_PLUGIN): $(SAN_PG_OBJ) install/kiosk-store-pg.map
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -shared -o $@ $(SAN_PG_OBJ) -Wl,--version-script=install/kiosk-store-pg.map $(PG_LIBS)

# ---- tests -----------------------------------------------------------------
# Each tests/<dir>/rules.mk appends executables or scripts to TESTS (run by
# tests/run.sh, which prints the closing "N passed, N failed" line) and may
# append to CHECK_BUILD (things to build before the run).
TESTS       :=
CHECK_BUILD := $(BUILD)/kioskctl $(BUILD)/kiosk $(PG_PLUGIN) \
               $(BUILD)/asan/kioskctl $(BUILD)/asan/kiosk $(SAN_PG_PLUGIN)
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

# store_open looks for the PostgreSQL plugin in lib/ beside its binary (build/lib),
# then here (kiosk/store/store.c).
CFLAGS_store = -DKIOSK_PLUGINDIR='"$(PREFIX)/lib/kiosk"'
$(BUILD)/obj/kiosk/store/store.o $(BUILD)/asan/obj/kiosk/store/store.o: CFLAGS += $(CFLAGS_store)
$(BUILD)/asan/obj/kiosk/store/store.o: SAN_CFLAGS += $(CFLAGS_store)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/kiosk
	install -m 0755 $(BUILD)/kiosk $(BUILD)/kioskctl $(BUILD)/kiosk-followup $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$(PREFIX)/lib/kiosk
	install -m 0755 $(PG_PLUGIN) $(DESTDIR)$(PREFIX)/lib/kiosk/
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
	install -m 0755 install/display/kiosk-display.sh $(DESTDIR)$(PREFIX)/lib/kiosk/
	install -m 0644 install/display/foot.ini $(DESTDIR)$(PREFIX)/share/kiosk/

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
