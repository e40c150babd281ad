/* speech_text.c — the utterance for a view model (speech_text.h).
 *
 * Order: the countdown warning first when it runs (it is why we speak now),
 * then the title, the message (an error or a confirmation), the big position
 * caption, the lines, the fields, the QR caption, and last the keys that work
 * here.  Lines end in a full stop so the synthesiser pauses between them.
 * On a personal screen in public audio only the title (a generic one where
 * the title names a reference), the message and the keys are said, with a
 * line saying how to hear the rest. */
#include "kiosk/speech_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/i18n.h"

bool speech_screen_personal(int screen)
{
    switch (screen) {
    case SS_ATTRACT:
    case SS_READING:
    case SS_HELP:
    case SS_END:
        return false;
    default:
        return true;
    }
}

/* The raw text before the lexicon, with its own overflow flag. */
struct tbuf {
    char s[SPEECH_TEXT_MAX];
    size_t len;
    bool full;
};

static bool zh_text(const char *lang) { return lang && !strcmp(lang, "zh"); }

/* Append one sentence: trimmed, ended with a full stop unless it has one. */
static void sentence(struct tbuf *b, bool zh, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void sentence(struct tbuf *b, bool zh, const char *fmt, ...)
{
    char one[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(one, sizeof one, fmt, ap);
    va_end(ap);
    char *p = one;
    while (*p == ' ')
        p++;
    size_t n = strlen(p);
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\n'))
        p[--n] = 0;
    if (!n)
        return;
    static const char *const ends[] = {".", "?", "!", ":", "。", "？", "！", "：", "…"};
    bool ended = false;
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        size_t e = strlen(ends[i]);
        if (n >= e && !strcmp(p + n - e, ends[i]))
            ended = true;
    }
    int w = snprintf(b->s + b->len, sizeof b->s - b->len, "%s%s%s", b->len ? (zh ? "" : " ") : "",
                     p, ended ? "" : (zh ? "。" : "."));
    if (w < 0 || (size_t)w >= sizeof b->s - b->len) {
        b->full = true;
        b->s[b->len] = 0;   /* drop the sentence that did not fit whole */
        return;
    }
    b->len += (size_t)w;
}

/* Spoken names of keys that are not single characters or F-keys. */
static const struct {
    const char *name, *en, *zh;
} key_words[] = {
    {"Enter", "Enter", "回车"},      {"Esc", "Escape", "退出"},
    {"Backspace", "Backspace", "退格"}, {"Delete", "Delete", "删除"},
    {"Up", "Up arrow", "上箭头"},    {"Down", "Down arrow", "下箭头"},
    {"Left", "Left arrow", "左箭头"}, {"Right", "Right arrow", "右箭头"},
    {"Space", "Space", "空格"},      {"Tab", "Tab", "Tab"},
};

static const char *key_word(const char *name, bool zh)
{
    for (size_t i = 0; i < sizeof key_words / sizeof key_words[0]; i++)
        if (!strcmp(key_words[i].name, name))
            return zh ? key_words[i].zh : key_words[i].en;
    return name;    /* "F1", "5": the lexicon spells them */
}

/* The keys of the actions offered: "Press Enter: OK." */
static void say_keys(struct tbuf *b, const struct sess_view *v, const struct keytab *kt, bool zh)
{
    for (int i = 0; i < v->n_acts; i++) {
        /* moving the cursor is said by the selection itself; keep the list short */
        if (v->acts[i] == ACT_UP || v->acts[i] == ACT_DOWN || v->acts[i] == ACT_LEFT ||
            v->acts[i] == ACT_RIGHT || v->acts[i] == ACT_BACKSPACE)
            continue;
        const struct action_def *d = keytab_def(KS_RESIDENT, v->acts[i]);
        const char *keys[KEYTAB_MAX_KEYS];
        if (!d || keytab_keys(kt, KS_RESIDENT, v->acts[i], keys) < 1)
            continue;
        sentence(b, zh, _("Press %s: %s"), key_word(keys[0], zh), d->label[zh ? 1 : 0]);
    }
}

static int finish(const struct tbuf *b, const char *view_lang, const struct speech_prefs *p,
                  struct utterance *out)
{
    out->lang = zh_text(view_lang) ? p->chinese : SPL_EN;
    out->private_audio = p->private_audio;
    int err = speech_lex_apply(out->lang, b->s, out->text, sizeof out->text);
    if (!err && b->full)
        err = kerr(KERR_INPUT, "speech: the utterance was cut to %zu bytes", sizeof b->s);
    return err;
}

int speech_text(const struct sess_view *v, const struct speech_prefs *p, struct utterance *out)
{
    struct keytab defaults;
    const struct keytab *kt = p->keys;
    if (!kt) {
        keytab_defaults(&defaults);
        kt = &defaults;
    }
    bool zh = zh_text(v->lang);
    bool personal = speech_screen_personal(v->screen);
    bool say_all = !personal || p->private_audio;
    bool held_back = false;
    static struct tbuf b;   /* one utterance at a time, from the UI thread */
    memset(&b, 0, sizeof b);

    if (v->countdown > 0)
        sentence(&b, zh, "%s", v->countdown_text);
    if (v->screen == SS_BED && !say_all) {
        sentence(&b, zh, "%s", _("Your home care bed application"));   /* the title names it */
        held_back = true;
    } else {
        sentence(&b, zh, "%s", v->title);
    }
    if (v->message[0])
        sentence(&b, zh, "%s", v->message);
    if (v->big && v->big_caption[0]) {
        if (say_all)
            sentence(&b, zh, "%s", v->big_caption);
        else
            held_back = true;
    }
    for (int i = 0; i < v->n_lines; i++) {
        const struct sv_line *l = &v->line[i];
        if (!l->text[0])
            continue;
        if (!say_all) {
            held_back = true;
            continue;
        }
        if (l->kind == SVL_ITEM && i == v->selected)
            sentence(&b, zh, _("Selected: %s"), l->text);
        else if (l->done == 2)
            sentence(&b, zh, _("Now: %s"), l->text);
        else
            sentence(&b, zh, "%s", l->text);
    }
    for (int i = 0; i < v->n_fields; i++) {
        const struct sv_field *f = &v->field[i];
        /* what was typed is personal (a receipt number, an ID ending) */
        if (f->value[0] && p->private_audio)
            sentence(&b, zh, "%s: %s", f->label, f->value);
        else if (f->active)
            sentence(&b, zh, "%s", f->label);
        if (f->value[0] && !p->private_audio)
            held_back = true;
    }
    if (v->qr_caption[0]) {
        if (say_all)
            sentence(&b, zh, "%s", v->qr_caption);
        else
            held_back = true;
    }
    if (held_back) {
        const char *keys[KEYTAB_MAX_KEYS];
        if (keytab_keys(kt, KS_RESIDENT, ACT_ACCESS, keys) > 0)
            sentence(&b, zh, _("Personal details are read aloud only in headphone mode. "
                               "Press %s for headphone mode."), key_word(keys[0], zh));
        else
            sentence(&b, zh, "%s", _("Personal details are read aloud only in headphone mode."));
    }
    say_keys(&b, v, kt, zh);
    return finish(&b, v->lang, p, out);
}

int speech_text_notice(const char *view_lang, const struct speech_prefs *p, const char *text,
                       struct utterance *out)
{
    static struct tbuf b;
    memset(&b, 0, sizeof b);
    sentence(&b, zh_text(view_lang), "%s", text);
    return finish(&b, view_lang, p, out);
}

int speech_text_receipt(const struct receipt_model *r, const struct speech_prefs *p,
                        const char *lead, struct utterance *out)
{
    struct keytab defaults;
    const struct keytab *kt = p->keys;
    if (!kt) {
        keytab_defaults(&defaults);
        kt = &defaults;
    }
    bool zh = zh_text(r->language);
    enum speech_lang l = zh ? p->chinese : SPL_EN;
    static struct tbuf b;
    memset(&b, 0, sizeof b);
    if (lead && lead[0])
        sentence(&b, zh, "%s", lead);
    if (r->title[0])
        sentence(&b, zh, "%s", r->title);
    if (!p->private_audio) {
        const char *keys[KEYTAB_MAX_KEYS];
        if (keytab_keys(kt, KS_RESIDENT, ACT_ACCESS, keys) > 0)
            sentence(&b, zh, _("Personal details are read aloud only in headphone mode. "
                               "Press %s for headphone mode."), key_word(keys[0], zh));
        else
            sentence(&b, zh, "%s", _("Personal details are read aloud only in headphone mode."));
        return finish(&b, r->language, p, out);
    }
    if (r->program[0])
        sentence(&b, zh, "%s", r->program);
    /* not the masked name: "韩*红" said without its star is another name */
    if (r->position[0] && r->total[0])
        sentence(&b, zh, _("Position %s of %s"), r->position, r->total);
    else if (r->stage[0])
        sentence(&b, zh, _("Stage: %s"), r->stage);
    if (r->status_line[0])
        sentence(&b, zh, "%s", r->status_line);
    if (r->next_step[0])
        sentence(&b, zh, _("%s: %s"), r->next_label[0] ? r->next_label : _("What you need to do"),
                 r->next_step);
    if (r->deadline[0])
        sentence(&b, zh, _("By %s"), r->deadline);
    if (r->contact[0])
        sentence(&b, zh, _("%s: %s"), r->contact_label[0] ? r->contact_label : _("Who to contact"),
                 r->contact);
    if (r->reference[0]) {
        /* spelled here, not left to the lexicon: a reference of letters only
         * would be read as a word, one of digits only as a number */
        char spelled[256];
        if (speech_lex_spell(l, r->reference, spelled, sizeof spelled) != 0)
            b.full = true;
        sentence(&b, zh, _("Receipt number: %s"), spelled);
    }
    return finish(&b, r->language, p, out);
}
