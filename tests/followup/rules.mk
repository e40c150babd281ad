# tests/followup/rules.mk — the follow-up page (issue 10 items 4–5), included by the
# top Makefile:
#   test_followup (cmocka, ASan)  the page model, HTML escaping, the wrong-code limiter
#                                 and the read-only store, against the core directly
#   test_http.sh                  build/asan/kiosk-followup over HTTP with curl
#   test_receipt_qr.sh            a receipt printed by the real kiosk (simulated printer),
#                                 its QR decoded (zbarimg) and opened against the listener
#   test_pg.sh                    the server on PostgreSQL as a SELECT-only role
#   test_concurrency.sh           64 concurrent clients, a new connection per request (ab) and
#                                 keep-alive: every request answered, no reset
#   test_next_agree.sh            every queue status and bed stage, zh and en: the kiosk screen (libvterm),
#                                 its speech, its printed receipt and the page (HTTP) give the
#                                 same next steps and contact; a clerk's reason reaches all four
#   test_browser.sh               headless Chromium at 390×844: text, no sideways scroll,
#                                 a screenshot kept in build/test-artefacts/
FU_UNIT := $(BUILD)/asan/tests/followup/test_followup

$(FU_UNIT): $(BUILD)/asan/obj/tests/followup/test_followup.o $(SAN_CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $< $(SAN_CORE_OBJ) $(PKG_LIBS) -lcmocka

.SECONDARY: $(BUILD)/asan/obj/tests/followup/test_followup.o

TESTS       += $(FU_UNIT) tests/followup/test_http.sh tests/followup/test_receipt_qr.sh \
               tests/followup/test_browser.sh tests/followup/test_pg.sh tests/followup/test_concurrency.sh \
               tests/followup/test_next_agree.sh
CHECK_BUILD += $(FU_UNIT) $(BUILD)/kiosk-followup $(BUILD)/asan/kiosk-followup

# the terminal half of test_next_agree.sh (like tests/speech/test_speech_screen)
$(BUILD)/tests/followup/ns_drive: $(BUILD)/obj/tests/followup/ns_drive.o $(BUILD)/obj/tests/screen/vt.o \
                                  $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -lvterm -lutil

.SECONDARY: $(BUILD)/obj/tests/followup/ns_drive.o
CHECK_BUILD += $(BUILD)/tests/followup/ns_drive
