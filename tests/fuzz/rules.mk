# tests/fuzz/rules.mk — libFuzzer targets for the device parsers.
#   fuzz_sam      SAM reply frames (devices/sam.c)
#   fuzz_render   ESC/POS streams into the receipt renderer (devices/receipt_render.c)
# `make check` runs each for a few seconds from the seed corpus (tests/fuzz/run.sh
# prints TAP lines); `make fuzz` runs each for FUZZ_SECONDS (default 600) with a
# growing corpus in $(BUILD)/fuzz/corpus-*.  clang builds them with
# -fsanitize=fuzzer,address,undefined; only the sources under test are linked.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 600
FUZZ_FLAGS    = $(CSTD) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
                -I. $(PKG_CFLAGS)
FUZZ_BINS    := $(BUILD)/fuzz/fuzz_sam $(BUILD)/fuzz/fuzz_render

$(BUILD)/fuzz/fuzz_sam: tests/fuzz/fuzz_sam.c devices/sam.c kiosk/err.c kiosk/fmt_conv.c | deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $^

$(BUILD)/fuzz/fuzz_render: tests/fuzz/fuzz_render.c devices/receipt_render.c kiosk/err.c kiosk/fmt_conv.c | deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $^ $(PKG_LIBS)

fuzz: $(FUZZ_BINS)
	@for t in sam render; do \
	    mkdir -p $(BUILD)/fuzz/corpus-$$t $(BUILD)/fuzz/artifacts-$$t; \
	    echo "fuzz_$$t: $(FUZZ_SECONDS) s"; \
	    $(BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
	        -artifact_prefix=$(BUILD)/fuzz/artifacts-$$t/ \
	        $(BUILD)/fuzz/corpus-$$t tests/fuzz/corpus/$$t || exit 1; \
	done

TESTS       += tests/fuzz/run.sh
CHECK_BUILD += $(FUZZ_BINS)
