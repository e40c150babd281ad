/* speech_lex.c — the pronunciation lexicon and the spelling of codes
 * (speech_lex.h).  Two passes over the text, both pure:
 *   1. a token of Latin letters and digits that mixes both (a receipt
 *      number, "BHJ0000001"), or that holds a mask's '*' (an ID fragment,
 *      "4403**********001X"), is spelled one character at a time — read as
 *      a whole it would be a number in the billions or an English word;
 *      runs of '*' are skipped; plain numbers (positions) stay numbers, so
 *      the synthesiser says them in words;
 *   2. at each position the longest lexicon word is replaced by its reading;
 *      a lone '*' (a masked name, "韩*红") is skipped — espeak-ng would say
 *      "asterisk" in English — and the screen's symbols that carry meaning
 *      ("→", "·") become words or pauses.
 * The Mandarin voice reads Latin letters as pinyin, so a spelled letter is
 * written as the characters Chinese speakers use for its English name. */
#include "kiosk/speech_lex.h"

#include <stdbool.h>
#include <string.h>

#include "kiosk/err.h"

struct lex_entry {
    const char *word;
    const char *reading;
};

/* Mandarin: pinyin with tone numbers, read by the cmn-latn-pinyin voice.
 * Each entry is a word whose default reading in espeak-ng 1.51 is wrong
 * (tests/unit/test_speech.c and tests/screen/speech_lex.sh check them). */
static const struct lex_entry lex_zh[] = {
    {"银行", "yin2hang2"},     /* default xing2 */
    {"行业", "hang2ye4"},
    {"排行", "pai2hang2"},
    {"长者", "zhang3zhe3"},    /* default chang2 */
    {"家长", "jia1zhang3"},
    {"重新", "chong2xin1"},    /* default zhong4 */
    {"重复", "chong2fu4"},
    {"还款", "huan2kuan3"},    /* default hai2 */
    {"归还", "gui1huan2"},
    {"调整", "tiao2zheng3"},   /* default diao4 */
    {"处理", "chu3li3"},       /* default chu4 */
    {"更新", "geng1xin1"},     /* default geng4 */
};

/* Cantonese: the yue voice reads characters in jyutping, Latin as English,
 * so a correction is a homophone character. */
static const struct lex_entry lex_yue[] = {
    {"排行", "排杭"},          /* default hang4; hong4 as in 银行 */
};

/* Symbols the screens use for meaning: reading is "English\0Chinese". */
static const struct lex_entry symbols[] = {
    {"→", " to \0变为"},
    {"·", ", \0，"},
    {"▶", "\0"},
};

/* The English names of the letters in characters, for the Mandarin voice. */
static const char *const letters_zh[26] = {
    "诶", "比", "西", "迪", "伊", "艾弗", "吉", "艾尺", "艾", "杰", "开", "艾勒", "艾姆",
    "恩", "欧", "披", "丘", "阿尔", "艾斯", "提", "优", "维", "达布溜", "艾克斯", "歪", "贼德",
};

static const struct lex_entry *lex_of(enum speech_lang l, int *n)
{
    switch (l) {
    case SPL_ZH: *n = (int)(sizeof lex_zh / sizeof lex_zh[0]); return lex_zh;
    case SPL_YUE: *n = (int)(sizeof lex_yue / sizeof lex_yue[0]); return lex_yue;
    default: *n = 0; return NULL;
    }
}

const char *speech_lang_name(enum speech_lang l)
{
    switch (l) {
    case SPL_ZH: return "zh";
    case SPL_YUE: return "yue";
    default: return "en";
    }
}

int speech_lex_count(enum speech_lang l)
{
    int n;
    lex_of(l, &n);
    return n;
}

void speech_lex_entry(enum speech_lang l, int i, const char **word, const char **reading)
{
    int n;
    const struct lex_entry *e = lex_of(l, &n);
    *word = i >= 0 && i < n ? e[i].word : "";
    *reading = i >= 0 && i < n ? e[i].reading : "";
}

/* ---- output buffer ------------------------------------------------------------- */

struct obuf {
    char *p;
    size_t cap, len;
    bool full;
};

static void put(struct obuf *o, const char *s, size_t n)
{
    if (o->len + n + 1 > o->cap) {
        o->full = true;
        n = o->len + 1 < o->cap ? o->cap - o->len - 1 : 0;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = 0;
}

static void puts_(struct obuf *o, const char *s) { put(o, s, strlen(s)); }

static bool is_alnum_ascii(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

/* A code token: ASCII letters, digits and '*', mixing letters and digits, or
 * digits and '*' (a masked ID).  Letters and '*' alone are a masked name. */
static size_t code_token(const char *s, bool *spell)
{
    size_t n = 0;
    bool letter = false, digit = false, star = false;
    while (is_alnum_ascii(s[n]) || s[n] == '*') {
        letter |= is_letter(s[n]);
        digit |= s[n] >= '0' && s[n] <= '9';
        star |= s[n] == '*';
        n++;
    }
    *spell = (letter && digit) || (star && digit);
    return n;
}

/* Spell a code token, one character at a time. */
static void spell(struct obuf *o, enum speech_lang l, const char *s, size_t n)
{
    bool first = true, skipped = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '*') {
            skipped = true;     /* a masked run is left out, with a pause */
            continue;
        }
        if (!first)
            puts_(o, skipped ? ", " : " ");
        skipped = false;
        first = false;
        if (is_letter(c) && l == SPL_ZH) {
            puts_(o, letters_zh[(c | 0x20) - 'a']);
        } else {
            char up = (char)(is_letter(c) ? (c & ~0x20) : c);
            put(o, &up, 1);
        }
    }
}

int speech_lex_spell(enum speech_lang l, const char *code, char *out, size_t cap)
{
    if (!cap)
        return kerr(KERR_INPUT, "speech: no room for the spelled code");
    struct obuf o = {.p = out, .cap = cap};
    out[0] = 0;
    /* runs of letters, digits and '*' are spelled; anything else ("-", "_",
     * ".") is a pause, never read out as a symbol */
    const char *s = code;
    while (*s) {
        size_t n = 0;
        while (is_alnum_ascii(s[n]) || s[n] == '*')
            n++;
        if (n) {
            if (o.len)
                puts_(&o, " ");
            spell(&o, l, s, n);
            s += n;
        } else {
            if (o.len && out[o.len - 1] != ',')
                puts_(&o, ",");
            s++;
        }
    }
    return o.full ? kerr(KERR_INPUT, "speech: the spelled code does not fit in %zu bytes", cap) : 0;
}

int speech_lex_apply(enum speech_lang l, const char *in, char *out, size_t cap)
{
    if (!cap)
        return kerr(KERR_INPUT, "speech: no room for the text");
    struct obuf o = {.p = out, .cap = cap};
    out[0] = 0;
    int n_lex;
    const struct lex_entry *lex = lex_of(l, &n_lex);
    const char *s = in;
    while (*s) {
        /* a code starts at a token boundary only */
        if ((is_alnum_ascii(*s) || *s == '*') && (s == in || !is_alnum_ascii(s[-1]))) {
            bool sp;
            size_t n = code_token(s, &sp);
            if (sp) {
                spell(&o, l, s, n);
                s += n;
                continue;
            }
            for (size_t i = 0; i < n; i++)   /* a word; a masked name loses its stars */
                if (s[i] != '*')
                    put(&o, s + i, 1);
            s += n;
            continue;
        }
        if (*s == '*') {
            s++;            /* a lone mask star (a run of them is a code, above) */
            continue;
        }
        const struct lex_entry *sym = NULL;
        for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++)
            if (!strncmp(s, symbols[i].word, strlen(symbols[i].word)))
                sym = &symbols[i];
        if (sym) {
            puts_(&o, l == SPL_EN ? sym->reading : sym->reading + strlen(sym->reading) + 1);
            s += strlen(sym->word);
            continue;
        }
        const struct lex_entry *best = NULL;
        size_t best_len = 0;
        for (int i = 0; i < n_lex; i++) {
            size_t w = strlen(lex[i].word);
            if (w > best_len && !strncmp(s, lex[i].word, w)) {
                best = &lex[i];
                best_len = w;
            }
        }
        if (best) {
            /* pinyin must not run into the neighbouring text */
            bool latin = is_letter(best->reading[0]);
            if (latin && o.len && out[o.len - 1] != ' ')
                puts_(&o, " ");
            puts_(&o, best->reading);
            if (latin)
                puts_(&o, " ");
            s += best_len;
            continue;
        }
        put(&o, s, 1);
        s++;
    }
    return o.full ? kerr(KERR_INPUT, "speech: the text does not fit in %zu bytes", cap) : 0;
}
