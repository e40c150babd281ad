/* test_speech.c — what the kiosk says (kiosk/speech_text.c) and how
 * (kiosk/speech_lex.c): pure, no synthesiser.  The utterance follows the
 * view model; on the loudspeaker a result screen says its title and keys
 * but no name, ID fragment, position or receipt number; in private audio
 * it says them; codes are spelled, '*' skipped, 多音字 replaced by pinyin. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/keytab.h"
#include "kiosk/speech_lex.h"
#include "kiosk/speech_text.h"

static void lex(enum speech_lang l, const char *in, char *out, size_t cap)
{
    assert_int_equal(speech_lex_apply(l, in, out, cap), 0);
}

static void codes_are_spelled_and_stars_skipped(void **state)
{
    (void)state;
    char out[512];
    lex(SPL_ZH, "回执号：BHJ0000001", out, sizeof out);
    assert_string_equal(out, "回执号：比 艾尺 杰 0 0 0 0 0 0 1");
    lex(SPL_EN, "Receipt: BHJ0000001.", out, sizeof out);
    assert_string_equal(out, "Receipt: B H J 0 0 0 0 0 0 1.");
    lex(SPL_YUE, "KP8GAJCDQG", out, sizeof out);
    assert_string_equal(out, "K P 8 G A J C D Q G");
    /* a masked ID: the visible digits one by one, the mask a pause */
    lex(SPL_EN, "ID: 4403**********001X", out, sizeof out);
    assert_string_equal(out, "ID: 4 4 0 3, 0 0 1 X");
    /* a masked name: the star is not said ("asterisk") */
    lex(SPL_ZH, "韩*红", out, sizeof out);
    assert_string_equal(out, "韩红");
    /* a plain number stays a number: the synthesiser says it in words */
    lex(SPL_ZH, "第 168 位，共 919 位", out, sizeof out);
    assert_string_equal(out, "第 168 位，共 919 位");
    lex(SPL_EN, "Position 168 of 919 · waiting", out, sizeof out);
    assert_string_equal(out, "Position 168 of 919 ,  waiting");
    lex(SPL_ZH, "第 32 位 → 第 30 位", out, sizeof out);
    assert_string_equal(out, "第 32 位 变为 第 30 位");
}

static void polyphones_become_pinyin(void **state)
{
    (void)state;
    char out[512];
    lex(SPL_ZH, "请到银行重新办理。长者还款后调整。", out, sizeof out);
    assert_string_equal(out, "请到 yin2hang2 chong2xin1 办理。 zhang3zhe3 huan2kuan3 后 tiao2zheng3 。");
    /* every entry applies to its own word */
    for (int l = 0; l < SPL__COUNT; l++)
        for (int i = 0; i < speech_lex_count((enum speech_lang)l); i++) {
            const char *w, *r;
            speech_lex_entry((enum speech_lang)l, i, &w, &r);
            lex((enum speech_lang)l, w, out, sizeof out);
            assert_non_null(strstr(out, r));
        }
    assert_true(speech_lex_count(SPL_ZH) >= 6);
    /* Cantonese reads characters itself: no pinyin there */
    lex(SPL_YUE, "银行", out, sizeof out);
    assert_string_equal(out, "银行");
}

static void too_small_is_an_error(void **state)
{
    (void)state;
    char out[8];
    assert_int_equal(speech_lex_apply(SPL_EN, "a long sentence", out, sizeof out), KERR_INPUT);
    assert_string_equal(out, "a long ");
}

/* A queue detail view in English, as the session builds it. */
static void queue_view(struct sess_view *v)
{
    memset(v, 0, sizeof *v);
    v->screen = SS_QUEUE;
    snprintf(v->lang, sizeof v->lang, "en");
    snprintf(v->title, sizeof v->title, "Public rental housing");
    v->big = true;
    snprintf(v->big_caption, sizeof v->big_caption, "Position 168 of 919");
    v->n_lines = 2;
    snprintf(v->line[0].text, SV_TEXT, "Status: waiting    Receipt: BHJ0000001");
    snprintf(v->line[1].text, SV_TEXT, "Name: Han*hong    ID: 4403**********0001");
    v->selected = -1;
    v->n_acts = 2;
    v->acts[0] = ACT_PRINT;
    v->acts[1] = ACT_ESCAPE;
}

static void loudspeaker_says_prompts_only(void **state)
{
    (void)state;
    struct sess_view v;
    queue_view(&v);
    struct speech_prefs p = {.chinese = SPL_ZH, .private_audio = false};
    static struct utterance u;
    assert_int_equal(speech_text(&v, &p, &u), 0);
    assert_int_equal(u.lang, SPL_EN);
    assert_false(u.private_audio);
    assert_non_null(strstr(u.text, "Public rental housing."));
    assert_null(strstr(u.text, "168"));
    assert_null(strstr(u.text, "Han"));
    assert_null(strstr(u.text, "4 4 0 3"));
    assert_null(strstr(u.text, "B H J"));
    assert_non_null(strstr(u.text, "only in headphone mode. Press F 6 for headphone mode."));
    assert_non_null(strstr(u.text, "Press F 3: Print receipt. Press Escape: Back."));
}

static void headphones_say_everything(void **state)
{
    (void)state;
    struct sess_view v;
    queue_view(&v);
    struct speech_prefs p = {.chinese = SPL_ZH, .private_audio = true};
    static struct utterance u;
    assert_int_equal(speech_text(&v, &p, &u), 0);
    assert_true(u.private_audio);
    assert_string_equal(u.text,
                        "Public rental housing. Position 168 of 919. Status: waiting    Receipt: "
                        "B H J 0 0 0 0 0 0 1. Name: Hanhong    ID: 4 4 0 3, 0 0 0 1. "
                        "Press F 3: Print receipt. Press Escape: Back.");
}

static void public_screens_are_said_whole(void **state)
{
    (void)state;
    struct sess_view v;
    memset(&v, 0, sizeof v);
    v.screen = SS_ATTRACT;
    snprintf(v.lang, sizeof v.lang, "zh");
    snprintf(v.title, sizeof v.title, "住房轮候与家庭养老床位查询");
    v.n_lines = 1;
    snprintf(v.line[0].text, SV_TEXT, "请将身份证放在读卡区。");
    v.n_fields = 1;
    snprintf(v.field[0].label, sizeof v.field[0].label, "备案回执号");
    snprintf(v.field[0].value, sizeof v.field[0].value, "BHJ00");
    v.field[0].active = true;
    snprintf(v.message, sizeof v.message, "未找到。");
    v.countdown = 20;
    snprintf(v.countdown_text, sizeof v.countdown_text, "您还在吗？");
    struct speech_prefs p = {.chinese = SPL_YUE, .private_audio = false};
    static struct utterance u;
    assert_int_equal(speech_text(&v, &p, &u), 0);
    assert_int_equal(u.lang, SPL_YUE);
    /* the warning first, then title, message, lines; what was typed is personal */
    assert_string_equal(u.text, "您还在吗？住房轮候与家庭养老床位查询。未找到。请将身份证放在读卡区。备案回执号。"
                                "Personal details are read aloud only in headphone mode. Press F 6 for "
                                "headphone mode.");
    p.private_audio = true;
    assert_int_equal(speech_text(&v, &p, &u), 0);
    assert_non_null(strstr(u.text, "备案回执号: B H J 0 0。"));
}

static void speech_keys_are_in_the_one_table(void **state)
{
    (void)state;
    struct keytab kt;
    keytab_defaults(&kt);
    const char *keys[KEYTAB_MAX_KEYS];
    assert_int_equal(keytab_keys(&kt, KS_RESIDENT, ACT_SAY_AGAIN, keys), 1);
    assert_string_equal(keys[0], "5");
    assert_int_equal(keytab_keys(&kt, KS_RESIDENT, ACT_ACCESS, keys), 2);
    assert_int_equal(keytab_keys(&kt, KS_RESIDENT, ACT_VOLUME_UP, keys), 1);
    assert_int_equal(keytab_keys(&kt, KS_RESIDENT, ACT_VOLUME_DOWN, keys), 1);
    assert_int_equal(keytab_keys(&kt, KS_RESIDENT, ACT_SPEECH, keys), 1);
    /* rebinding the accessibility key changes what speech tells residents to press */
    assert_int_equal(keytab_bind(&kt, "accessibility", "F7"), 0);
    struct sess_view v;
    queue_view(&v);
    struct speech_prefs p = {.chinese = SPL_ZH, .keys = &kt};
    static struct utterance u;
    assert_int_equal(speech_text(&v, &p, &u), 0);
    assert_non_null(strstr(u.text, "Press F 7 for headphone mode."));
}

/* A receipt reference of letters only or digits only is still spelled (the
 * lexicon alone would read a word or a number); the printed receipt's
 * utterance holds personal parts only in private audio. */
static void receipt_is_said_from_its_model(void **state)
{
    (void)state;
    char out[256];
    assert_int_equal(speech_lex_spell(SPL_EN, "ABCDEFGHJK", out, sizeof out), 0);
    assert_string_equal(out, "A B C D E F G H J K");
    assert_int_equal(speech_lex_spell(SPL_ZH, "0012", out, sizeof out), 0);
    assert_string_equal(out, "0 0 1 2");
    assert_int_equal(speech_lex_spell(SPL_ZH, "AB-7", out, sizeof out), 0);
    assert_string_equal(out, "诶 比, 7");
    assert_int_not_equal(speech_lex_spell(SPL_EN, "ABCDEFGHJK", out, 8), 0);

    struct receipt_model r = {0};
    snprintf(r.title, sizeof r.title, "Housing queue receipt");
    snprintf(r.program, sizeof r.program, "Public rental housing");
    snprintf(r.name_masked, sizeof r.name_masked, "Z*San");
    snprintf(r.position, sizeof r.position, "12");
    snprintf(r.total, sizeof r.total, "3400");
    snprintf(r.status_line, sizeof r.status_line, "You are in the queue, waiting for a home.");
    snprintf(r.next_step, sizeof r.next_step, "Keep your phone on.");
    snprintf(r.reference, sizeof r.reference, "QWERTYUPAS");
    snprintf(r.language, sizeof r.language, "en");
    struct speech_prefs p = {.chinese = SPL_ZH, .private_audio = true};
    static struct utterance u;
    assert_int_equal(speech_text_receipt(&r, &p, "Receipt printed. Please take it.", &u), 0);
    assert_int_equal(u.lang, SPL_EN);
    assert_true(u.private_audio);
    assert_string_equal(u.text, "Receipt printed. Please take it. Housing queue receipt. Public rental housing. "
                                "Position 12 of 3400. You are in the queue, waiting for a home. "
                                "What you need to do: Keep your phone on. "
                                "Receipt number: Q W E R T Y U P A S.");
    p.private_audio = false;
    assert_int_equal(speech_text_receipt(&r, &p, "Receipt printed. Please take it.", &u), 0);
    assert_false(u.private_audio);
    assert_null(strstr(u.text, "Q W E"));
    assert_null(strstr(u.text, "12"));
    assert_null(strstr(u.text, "waiting"));
    assert_non_null(strstr(u.text, "Housing queue receipt."));
    assert_non_null(strstr(u.text, "headphone mode"));
}

int main(void)
{
    i18n_set_lang("en");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes_are_spelled_and_stars_skipped),
        cmocka_unit_test(polyphones_become_pinyin),
        cmocka_unit_test(too_small_is_an_error),
        cmocka_unit_test(loudspeaker_says_prompts_only),
        cmocka_unit_test(headphones_say_everything),
        cmocka_unit_test(public_screens_are_said_whole),
        cmocka_unit_test(speech_keys_are_in_the_one_table),
        cmocka_unit_test(receipt_is_said_from_its_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
