/* test_speech_lex.c — the pronunciation lexicon (kiosk/speech_lex.c) heard
 * through espeak-ng itself: for every entry, the text the kiosk gives the
 * synthesiser is turned into phonemes (`espeak-ng -q -x -v VOICE`, the
 * kiosk's default voice of that language) and must hold the right syllable
 * (银行 → hang2: "Xa35N"), while the word left to espeak-ng's own dictionary
 * must not (it says xing2) — so each entry is both right and needed.  TAP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devices/speech.h"
#include "kiosk/speech_lex.h"
#include "tests/tap.h"

/* The syllable each entry is for, in espeak-ng's phoneme mnemonics (stress
 * marks removed).  A new lexicon entry needs its line here. */
static const struct {
    const char *word, *phonemes;
} expect[] = {
    {"银行", "Xa35N"},   {"行业", "Xa35N"},   {"排行", "Xa35N"},    {"长者", "ts.a35N"},
    {"家长", "ts.a214N"}, {"重新", "ts.hong35"}, {"重复", "ts.hong35"}, {"还款", "Xua35n"},
    {"归还", "Xua35n"},  {"调整", "thjAu35"}, {"处理", "ts.hu35"},  {"更新", "k@55N"},
};
static const char *expect_yue[][2] = {{"排行", "hong4"}};

/* espeak-ng's phonemes for text, stress marks removed. */
static void phonemes(const char *voice, const char *text, char *out, size_t cap)
{
    char path[] = "/tmp/kiosk-lex-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    out[0] = 0;
    if (!f)
        return;
    fputs(text, f);
    fclose(f);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "espeak-ng -q -x -v %s -f %s 2>&1", voice, path);
    FILE *p = popen(cmd, "r");
    size_t n = 0;
    int c;
    while (p && (c = fgetc(p)) != EOF && n + 1 < cap)
        if (c != '\'' && c != ',' && c != '\n')
            out[n++] = (char)c;
    out[n] = 0;
    if (p)
        pclose(p);
    unlink(path);
}

static void check(enum speech_lang l, const char *word, const char *want)
{
    const char *voice = speech_default_voice(l);
    char text[256], got[1024], plain[1024];
    int err = speech_lex_apply(l, word, text, sizeof text);
    phonemes(voice, text, got, sizeof got);
    phonemes(voice, word, plain, sizeof plain);
    ok(!err && strstr(got, want) != NULL, "%s %s: \"%s\" is spoken %s (wanted %s)", voice, word,
       text, got, want);
    ok(strstr(plain, want) == NULL, "%s %s: without the lexicon espeak-ng says %s (so the entry is needed)",
       voice, word, plain);
}

int main(void)
{
    char probe[256];
    phonemes("en", "test", probe, sizeof probe);
    if (!probe[0] || strstr(probe, "not found")) {
        printf("Bail out! espeak-ng is not installed (install/deps.sh check)\n");
        return 1;
    }
    for (int l = 0; l < SPL__COUNT; l++)
        for (int i = 0; i < speech_lex_count((enum speech_lang)l); i++) {
            const char *w, *r;
            speech_lex_entry((enum speech_lang)l, i, &w, &r);
            const char *want = NULL;
            if (l == SPL_ZH) {
                for (size_t j = 0; j < sizeof expect / sizeof expect[0]; j++)
                    if (!strcmp(expect[j].word, w))
                        want = expect[j].phonemes;
            } else if (l == SPL_YUE) {
                for (size_t j = 0; j < sizeof expect_yue / sizeof expect_yue[0]; j++)
                    if (!strcmp(expect_yue[j][0], w))
                        want = expect_yue[j][1];
            }
            if (!want) {
                ok(false, "%s: lexicon entry %s has no expected phonemes in this test", speech_lang_name(l), w);
                continue;
            }
            check((enum speech_lang)l, w, want);
        }
    /* the Mandarin voice reads characters, not "pinyin + tone number" in English
     * (espeak-ng issues #1236/#1370: plain cmn says "nin two" for 您) */
    char got[512];
    phonemes(speech_default_voice(SPL_ZH), "您好", got, sizeof got);
    ok(strstr(got, "(en)") == NULL && strstr(got, "ni35n") != NULL,
       "cmn-latn-pinyin reads 您好 as Mandarin: %s", got);
    /* a spelled receipt letter in Mandarin is its Chinese-style name, not pinyin "b" */
    char text[128];
    speech_lex_apply(SPL_ZH, "BHJ0000001", text, sizeof text);
    phonemes(speech_default_voice(SPL_ZH), text, got, sizeof got);
    ok(strstr(got, "(en)") == NULL && strstr(got, "li35N") != NULL, "BHJ0000001 spelled in Mandarin: %s → %s",
       text, got);
    return tap_done();
}
