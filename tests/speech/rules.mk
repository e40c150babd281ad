# tests/speech/rules.mk — speech (issue 9), beyond the unit test tests/unit/test_speech.c:
#   test_speech_lex     the lexicon through espeak-ng's phoneme output (TAP)
#   test_speech_screen  the real kiosk in a real terminal (libvterm, tests/screen/vt.c)
#                       with --speech-dir: the text per screen, privacy, keys, tones,
#                       the WAVs hold sound, a key leaves NNNN.stopped (TAP)
# `make bench` runs $(BUILD)/bench/speech_bench (tests/bench/speech_bench.sh).

$(BUILD)/tests/speech/test_speech_lex: $(BUILD)/obj/tests/speech/test_speech_lex.o $(CORE_OBJ) \
                                       $(BUILD)/obj/devices/speech.o $(BUILD)/obj/devices/speech_espeak.o \
                                       $(BUILD)/obj/devices/speech_alsa.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/speech/test_speech_screen: $(BUILD)/obj/tests/speech/test_speech_screen.o \
                                          $(BUILD)/obj/tests/screen/vt.o $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -lvterm -lutil

$(BUILD)/bench/speech_bench: $(BUILD)/obj/tests/speech/speech_bench.o \
                             $(BUILD)/obj/tests/screen/vt.o $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -lvterm -lutil

.SECONDARY: $(BUILD)/obj/tests/speech/test_speech_lex.o $(BUILD)/obj/tests/speech/test_speech_screen.o \
            $(BUILD)/obj/tests/speech/speech_bench.o

TESTS       += $(BUILD)/tests/speech/test_speech_lex $(BUILD)/tests/speech/test_speech_screen
CHECK_BUILD += $(BUILD)/tests/speech/test_speech_lex $(BUILD)/tests/speech/test_speech_screen
