/* next_steps.c — the next-step model (next_steps.h): parse data/next_steps.ini
 * with inih, then fill the lines of one status or stage from the facts a
 * front end passes in.
 *
 * The texts are templates with {placeholders}; the code only picks the
 * section, computes the dates (the status date + the configured days) and
 * fills in the blanks, so a street office changes what residents read
 * without a new build.  inih reads lines of at most 198 bytes, so long texts
 * continue on indented lines; the parser joins them (nothing between
 * Chinese pieces, a space between English ones). */
#include "kiosk/next_steps.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/queue_types.h"

/* The compiled-in default (build/gen/next_steps_ini.c from data/next_steps.ini). */
extern const char next_steps_ini_default[];

enum { LZH = 0, LEN = 1 };
enum { T_MEANS = 0, T_TODO, T_NEXT, T_FUTURE, T__N };   /* T_FUTURE: bed stages only */
enum { C_OFFICE = 0, C_OFFER, C_PROVIDER, C_NONE };
enum { L_MEANS = 0, L_REASON, L_REFUSALS, L_TODO, L_BY, L_PLACE, L_CONTACT, L_NEXT, L_USUALLY,
       L_APPEAL, L_NOTHING, L_NO_DEADLINE, L_NO_PLACE, L__N };
static const char *const label_key[L__N] = {
    "means", "reason", "refusals", "todo", "by", "place", "contact", "next", "usually",
    "appeal", "nothing", "no_deadline", "no_place",
};
static const char *const text_key[T__N] = {"means", "todo", "next", "future"};

/* The queue sections in enum entry_status order, plus the refusal note. */
static const char *const queue_sec[ST__COUNT] = {
    [ST_WAITING] = "queue.waiting", [ST_FROZEN] = "queue.frozen", [ST_OFFERED] = "queue.offered",
    [ST_HOUSED] = "queue.housed", [ST_WITHDRAWN] = "queue.withdrawn", [ST_REMOVED] = "queue.removed",
};

struct ns_section {
    char text[T__N][2][NS_TEXT];
    int contact, deadline_days, days;
    bool appeal;
    bool seen;
};

struct ns_reason {
    char code[NS_CODE];
    char text[2][NS_TEXT];
};

struct ns_config {
    char office_name[2][NS_TEXT], office_addr[2][NS_TEXT], office_hours[2][NS_TEXT];
    char phone[64];
    char label[L__N][2][NS_TEXT];
    int appeal_days;
    char appeal_text[2][NS_TEXT];
    char refused_text[2][NS_TEXT];
    int n_reasons;
    struct ns_reason reason[NS_MAX_REASONS];
    struct ns_section queue[ST__COUNT];
    struct ns_section bed[BS__COUNT];
};

/* ---- parsing ------------------------------------------------------------------ */

struct parse_ctx {
    struct ns_config *cfg;
    struct kerr_why why;     /* the line just refused, in both languages ("" when none said) */
    struct kerr_why first;   /* the first refused (inih reports its line) */
    bool failed;
    char prev[96];      /* "section\nname" of the last value: a repeat is a continuation */
};

static int li(const char *lang) { return lang && !strcmp(lang, "zh") ? LZH : LEN; }

/* Split "name.zh" into name and a language index; -1 when there is no suffix. */
static int lang_suffix(const char *name, char *base, size_t cap)
{
    const char *dot = strrchr(name, '.');
    if (!dot || (strcmp(dot, ".zh") && strcmp(dot, ".en")) || (size_t)(dot - name) >= cap)
        return -1;
    memcpy(base, name, (size_t)(dot - name));
    base[dot - name] = '\0';
    return li(dot + 1);
}

/* Set or (a continuation line) append a text. */
static int put_text(struct parse_ctx *c, char *dst, int lang, const char *val, bool cont)
{
    size_t have = cont ? strlen(dst) : 0;
    const char *sep = cont && lang == LEN && have ? " " : "";
    if (have + strlen(sep) + strlen(val) >= NS_TEXT) {
        kerr_why(&c->why, "text longer than %d bytes", NS_TEXT - 1);
        return 0;
    }
    snprintf(dst + have, NS_TEXT - have, "%s%s", sep, val);
    return 1;
}

static int put_int(struct parse_ctx *c, const char *val, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(val, &end, 10);
    if (end == val || *end || v < lo || v > hi) {
        kerr_why(&c->why, "must be an integer from %d to %d (got \"%s\")", lo, hi, val);
        return 0;
    }
    *out = (int)v;
    return 1;
}

static struct ns_section *section_of(struct ns_config *cfg, const char *section)
{
    for (int i = 0; i < ST__COUNT; i++)
        if (!strcmp(section, queue_sec[i]))
            return &cfg->queue[i];
    if (!strncmp(section, "bed.", 4)) {
        int st;
        if (bed_stage_parse(section + 4, &st) == 0)
            return &cfg->bed[st];
    }
    return NULL;
}

static int on_section_value(struct parse_ctx *c, struct ns_section *sec, const char *name,
                            int lang, const char *base, const char *val, bool cont)
{
    sec->seen = true;
    if (lang >= 0) {
        for (int t = 0; t < T__N; t++)
            if (!strcmp(base, text_key[t]))
                return put_text(c, sec->text[t][lang], lang, val, cont);
    } else if (!strcmp(name, "contact")) {
        static const char *const names[] = {"office", "offer", "provider", "none"};
        for (int i = 0; i < 4; i++)
            if (!strcmp(val, names[i])) {
                sec->contact = i;
                return 1;
            }
        kerr_why(&c->why, "contact must be office, offer, provider or none (got \"%s\")", val);
        return 0;
    } else if (!strcmp(name, "deadline_days")) {
        return put_int(c, val, 0, 3650, &sec->deadline_days);
    } else if (!strcmp(name, "days")) {
        return put_int(c, val, 0, 3650, &sec->days);
    } else if (!strcmp(name, "appeal")) {
        if (!strcmp(val, "yes") || !strcmp(val, "no")) {
            sec->appeal = val[0] == 'y';
            return 1;
        }
        kerr_why(&c->why, "appeal must be yes or no (got \"%s\")", val);
        return 0;
    }
    kerr_why(&c->why, "unknown key %s", name);
    return 0;
}

static int on_line(struct parse_ctx *c, const char *section, const char *name, const char *value)
{
    struct ns_config *cfg = c->cfg;
    char key[96], base[64];
    snprintf(key, sizeof key, "%s\n%s", section, name);
    bool cont = !strcmp(key, c->prev);
    snprintf(c->prev, sizeof c->prev, "%s", key);
    int lang = lang_suffix(name, base, sizeof base);
    int ok = 0;

    if (!strcmp(section, "office")) {
        if (!strcmp(name, "phone"))
            ok = snprintf(cfg->phone, sizeof cfg->phone, "%s", value) < (int)sizeof cfg->phone;
        else if (lang >= 0 && !strcmp(base, "name"))
            ok = put_text(c, cfg->office_name[lang], lang, value, cont);
        else if (lang >= 0 && !strcmp(base, "address"))
            ok = put_text(c, cfg->office_addr[lang], lang, value, cont);
        else if (lang >= 0 && !strcmp(base, "hours"))
            ok = put_text(c, cfg->office_hours[lang], lang, value, cont);
    } else if (!strcmp(section, "labels")) {
        for (int i = 0; i < L__N && lang >= 0; i++)
            if (!strcmp(base, label_key[i]))
                ok = put_text(c, cfg->label[i][lang], lang, value, cont);
    } else if (!strcmp(section, "appeal")) {
        if (!strcmp(name, "days"))
            ok = put_int(c, value, 1, 3650, &cfg->appeal_days);
        else if (lang >= 0 && !strcmp(base, "text"))
            ok = put_text(c, cfg->appeal_text[lang], lang, value, cont);
    } else if (!strcmp(section, "queue.refused")) {
        if (lang >= 0 && !strcmp(base, "text"))
            ok = put_text(c, cfg->refused_text[lang], lang, value, cont);
    } else if (!strcmp(section, "reasons")) {
        if (lang < 0 || strlen(base) >= NS_CODE) {
            kerr_why(&c->why, "a reason is CODE.zh or CODE.en (code ≤ %d bytes)", NS_CODE - 1);
            return 0;
        }
        int i = 0;
        while (i < cfg->n_reasons && strcmp(cfg->reason[i].code, base))
            i++;
        if (i == cfg->n_reasons) {
            if (i == NS_MAX_REASONS) {
                kerr_why(&c->why, "more than %d reasons", NS_MAX_REASONS);
                return 0;
            }
            memcpy(cfg->reason[cfg->n_reasons++].code, base, strlen(base) + 1);   /* < NS_CODE: checked */
        }
        ok = put_text(c, cfg->reason[i].text[lang], lang, value, cont);
    } else {
        struct ns_section *sec = section_of(cfg, section);
        if (!sec) {
            kerr_why(&c->why, "unknown section [%s]", section);
            return 0;
        }
        ok = on_section_value(c, sec, name, lang, base, value, cont);
    }
    return ok;
}

/* inih calls this for each name=value; returning 0 marks the line as an error. */
static int on_value(void *user, const char *section, const char *name, const char *value)
{
    struct parse_ctx *c = user;
    c->why.text[0] = c->why.local[0] = '\0';
    if (on_line(c, section, name, value))
        return 1;
    if (!c->why.text[0]) {
        /* one word, so a section named like a status ("waiting") is not translated */
        char where[160];
        snprintf(where, sizeof where, "[%s] %s", section, name);
        kerr_why(&c->why, "unknown key %s", where);
    }
    if (!c->failed) {
        c->failed = true;
        c->first = c->why;
    }
    return 0;
}

/* The line a section header is on, for "missing" errors (the last line when absent). */
static int line_of(const char *text, const char *section)
{
    char want[80];
    snprintf(want, sizeof want, "[%s]", section);
    int line = 1, last = 1;
    for (const char *p = text; *p; line++) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len >= strlen(want) && !strncmp(p, want, strlen(want)))
            return line;
        last = line;
        if (!nl)
            break;
        p = nl + 1;
    }
    return last;
}

static int check_complete(const char *name, const char *text, const struct ns_config *cfg)
{
    for (int l = 0; l < 2; l++) {
        const char *ln = l == LZH ? "zh" : "en";
        if (!cfg->office_name[l][0])
            return kerr(KERR_CONFIG, "%s:%d: [office] name.%s is missing", name, line_of(text, "office"), ln);
        /* a key's name formatted first ("[labels] next.zh"): names like "next" or
         * "contact" are not taken for message ids and translated */
        char what[120];
        for (int i = 0; i < L__N; i++)
            if (!cfg->label[i][l][0]) {
                snprintf(what, sizeof what, "[labels] %s.%s", label_key[i], ln);
                return kerr(KERR_CONFIG, "%s:%d: %s is missing", name, line_of(text, "labels"), what);
            }
        if (!cfg->appeal_text[l][0])
            return kerr(KERR_CONFIG, "%s:%d: [appeal] text.%s is missing", name, line_of(text, "appeal"), ln);
        if (!cfg->refused_text[l][0])
            return kerr(KERR_CONFIG, "%s:%d: [queue.refused] text.%s is missing", name,
                        line_of(text, "queue.refused"), ln);
        for (int r = 0; r < cfg->n_reasons; r++)
            if (!cfg->reason[r].text[l][0]) {
                snprintf(what, sizeof what, "[reasons] %s.%s", cfg->reason[r].code, ln);
                return kerr(KERR_CONFIG, "%s:%d: %s is missing", name, line_of(text, "reasons"), what);
            }
        for (int s = 0; s < ST__COUNT + BS__COUNT; s++) {
            const struct ns_section *sec = s < ST__COUNT ? &cfg->queue[s] : &cfg->bed[s - ST__COUNT];
            char sname[48];
            if (s < ST__COUNT)
                snprintf(sname, sizeof sname, "%s", queue_sec[s]);
            else
                snprintf(sname, sizeof sname, "bed.%s", bed_stage_name(s - ST__COUNT));
            if (!sec->seen) {
                snprintf(what, sizeof what, "[%s]", sname);
                return kerr(KERR_CONFIG, "%s:%d: section %s is missing", name, line_of(text, sname), what);
            }
            for (int t = 0; t < (s < ST__COUNT ? T_FUTURE : T__N); t++)
                if (!sec->text[t][l][0]) {
                    snprintf(what, sizeof what, "[%s] %s.%s", sname, text_key[t], ln);
                    return kerr(KERR_CONFIG, "%s:%d: %s is missing", name, line_of(text, sname), what);
                }
        }
    }
    if (!cfg->appeal_days)
        return kerr(KERR_CONFIG, "%s:%d: [appeal] days is missing", name, line_of(text, "appeal"));
    return 0;
}

int next_steps_parse(const char *name, const char *text, struct ns_config **out)
{
    *out = NULL;
    /* inih reads at most INI_MAX_LINE (200) bytes a line and would split a
     * longer one silently: say so instead */
    int line = 1;
    for (const char *p = text; *p; line++) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len > 198)
            return kerr(KERR_CONFIG, "%s:%d: line longer than 198 bytes; continue the text on an "
                        "indented next line", name, line);
        if (!nl)
            break;
        p = nl + 1;
    }
    struct ns_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg)
        return KERR_NOMEM;
    struct parse_ctx c = {.cfg = cfg};
    int bad = ini_parse_string(text, on_value, &c);
    int err = 0;
    if (bad > 0)
        err = c.failed ? kerr_with(KERR_CONFIG, &c.first, "%s:%d: ", name, bad)
                       : kerr(KERR_CONFIG, "%s:%d: not a valid INI line", name, bad);
    else if (bad < 0)
        err = kerr(KERR_NOMEM, "%s: out of memory", name);
    else
        err = check_complete(name, text, cfg);
    if (err) {
        free(cfg);
        return err;
    }
    *out = cfg;
    return 0;
}

int next_steps_load(const char *path, struct ns_config **out)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return kerr(KERR_CONFIG, "%s: cannot read the next-steps file", path);
    char *buf = NULL;
    size_t len = 0, cap = 0, got;
    char chunk[4096];
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + got + 1 > cap) {
            cap = (len + got + 1) * 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return KERR_NOMEM;
            }
            buf = nb;
        }
        memcpy(buf + len, chunk, got);
        len += got;
    }
    fclose(f);
    if (!buf)
        return kerr(KERR_CONFIG, "%s:1: the next-steps file is empty", path);
    buf[len] = '\0';
    int err = next_steps_parse(path, buf, out);
    free(buf);
    return err;
}

int next_steps_load_default(struct ns_config **out)
{
    return next_steps_parse("data/next_steps.ini", next_steps_ini_default, out);
}

void next_steps_free(struct ns_config **cfg)
{
    if (cfg && *cfg) {
        free(*cfg);
        *cfg = NULL;
    }
}

/* ---- dates ------------------------------------------------------------------ */

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* since ("YYYY-MM-DD…") + days into out; "" when since is not a date. */
static void add_days(const char *since, int days, char out[16])
{
    int y, m, d;
    out[0] = '\0';
    if (!since || sscanf(since, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
        return;
    civil_from_days(days_from_civil(y, m, d) + days, &y, &m, &d);
    snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
}

/* ---- building the lines --------------------------------------------------------- */

struct var { const char *name, *value; };

/* tmpl with {name} replaced from vars (unknown names are kept as written). */
static void expand(char *out, size_t cap, const char *tmpl, const struct var *vars, int n)
{
    size_t o = 0;
    for (const char *p = tmpl; *p && o + 1 < cap;) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            bool done = false;
            for (int i = 0; close && i < n; i++)
                if (strlen(vars[i].name) == (size_t)(close - p - 1) &&
                    !strncmp(p + 1, vars[i].name, (size_t)(close - p - 1))) {
                    o += (size_t)snprintf(out + o, cap - o, "%s", vars[i].value ? vars[i].value : "");
                    if (o >= cap)
                        o = cap - 1;
                    p = close + 1;
                    done = true;
                    break;
                }
            if (done)
                continue;
        }
        out[o++] = *p++;
    }
    out[o < cap ? o : cap - 1] = '\0';
    /* never cut a UTF-8 character in half when the text was too long */
    size_t len = strlen(out);
    if (len + 1 >= cap) {
        while (len > 0 && ((unsigned char)out[len - 1] & 0xC0) == 0x80)
            len--;
        if (len > 0 && ((unsigned char)out[len - 1] & 0x80))
            len--;
        out[len] = '\0';
    }
}

static struct ns_line *add_line(struct next_steps *out, int kind, const char *label)
{
    if (out->n >= NS_MAX_LINES)
        return NULL;
    struct ns_line *l = &out->line[out->n++];
    l->kind = kind;
    snprintf(l->label, sizeof l->label, "%s", label);
    l->text[0] = '\0';
    return l;
}

static bool has(const char *s) { return s && *s; }

/* A sentence with its closing stop removed ("。" or "."), for "…（通常…）。". */
static void strip_stop(char *s)
{
    size_t n = strlen(s);
    if (n >= 3 && !strcmp(s + n - 3, "。"))
        s[n - 3] = '\0';
    else if (n >= 1 && s[n - 1] == '.')
        s[n - 1] = '\0';
}

static void build(const struct ns_config *cfg, const struct ns_section *sec, bool refusal_note,
                  const struct ns_facts *f, struct next_steps *out)
{
    memset(out, 0, sizeof *out);
    int L = li(f->lang);
    const char *lab_no_deadline = cfg->label[L_NO_DEADLINE][L];

    /* the deadline: the offer's own, else the status date + the configured days */
    if (sec->contact == C_OFFER && has(f->offer_deadline))
        snprintf(out->deadline, sizeof out->deadline, "%.10s", f->offer_deadline);
    else if (sec->deadline_days > 0)
        add_days(f->since, sec->deadline_days, out->deadline);
    char appeal_by[16] = "";
    if (sec->appeal)
        add_days(f->since, cfg->appeal_days, appeal_by);

    /* whom to contact */
    char office[NS_TEXT], contact[NS_TEXT];
    snprintf(office, sizeof office, "%s", cfg->office_name[L]);
    if (sec->contact == C_OFFER && has(f->offer_contact)) {
        snprintf(contact, sizeof contact, "%s", f->offer_contact);
        snprintf(out->contact, sizeof out->contact, "%s", f->offer_contact);
    } else if (sec->contact == C_PROVIDER && has(f->provider_name)) {
        snprintf(contact, sizeof contact, "%s%s%s", f->provider_name, has(f->provider_phone) ? " · " : "",
                 has(f->provider_phone) ? f->provider_phone : "");
        snprintf(out->contact, sizeof out->contact, "%s", contact);
    } else {
        char full[NS_TEXT * 3];
        snprintf(full, sizeof full, "%s · %s · %s · %s", cfg->office_name[L], cfg->office_addr[L],
                 cfg->office_hours[L], cfg->phone);
        snprintf(contact, sizeof contact, "%.*s", NS_TEXT - 1, full);
        snprintf(out->contact, sizeof out->contact, "%s · %s", cfg->office_name[L], cfg->phone);
    }

    char refusals[12], limit[12], left[12], days[12], appeal_days[12];
    snprintf(refusals, sizeof refusals, "%d", f->refusals);
    snprintf(limit, sizeof limit, "%d", f->refusal_limit);
    snprintf(left, sizeof left, "%d", f->refusal_limit > f->refusals ? f->refusal_limit - f->refusals : 0);
    snprintf(days, sizeof days, "%d", sec->days);
    snprintf(appeal_days, sizeof appeal_days, "%d", cfg->appeal_days);
    struct var v[] = {
        {"deadline", out->deadline[0] ? out->deadline : lab_no_deadline},
        {"place", has(f->offer_place) ? f->offer_place : cfg->label[L_NO_PLACE][L]},
        {"contact", contact}, {"refusals", refusals}, {"limit", limit}, {"left", left},
        {"days", days}, {"appeal_days", appeal_days}, {"office", office}, {"phone", cfg->phone},
        {"provider", has(f->provider_name) ? f->provider_name : office},
    };
    int nv = (int)(sizeof v / sizeof v[0]);
    struct ns_line *l;

    if ((l = add_line(out, NSL_MEANS, cfg->label[L_MEANS][L])))
        expand(l->text, sizeof l->text, sec->text[T_MEANS][L], v, nv);
    snprintf(out->status, sizeof out->status, "%s", l ? l->text : "");

    const char *reason = NULL;
    for (int i = 0; has(f->reason_code) && i < cfg->n_reasons; i++)
        if (!strcmp(cfg->reason[i].code, f->reason_code))
            reason = cfg->reason[i].text[L];
    if ((reason || has(f->reason_text)) && (l = add_line(out, NSL_REASON, cfg->label[L_REASON][L])))
        snprintf(l->text, sizeof l->text, "%s%s%s", reason ? reason : "",
                 reason && has(f->reason_text) ? (L == LZH ? "：" : ": ") : "",
                 has(f->reason_text) ? f->reason_text : "");

    if (refusal_note && f->refusals > 0 && (l = add_line(out, NSL_REFUSALS, cfg->label[L_REFUSALS][L])))
        expand(l->text, sizeof l->text, cfg->refused_text[L], v, nv);

    if ((l = add_line(out, NSL_TODO, cfg->label[L_TODO][L]))) {
        expand(l->text, sizeof l->text, sec->text[T_TODO][L], v, nv);
        snprintf(out->todo, sizeof out->todo, "%s", l->text);
    }
    if (sec->contact == C_OFFER && has(f->offer_place) && (l = add_line(out, NSL_PLACE, cfg->label[L_PLACE][L])))
        snprintf(l->text, sizeof l->text, "%s", f->offer_place);
    if (sec->contact != C_NONE && (l = add_line(out, NSL_CONTACT, cfg->label[L_CONTACT][L])))
        snprintf(l->text, sizeof l->text, "%s", contact);
    if ((l = add_line(out, NSL_NEXT, cfg->label[L_NEXT][L]))) {
        char next[NS_TEXT];
        expand(next, sizeof next, sec->text[T_NEXT][L], v, nv);
        if (sec->days > 0) {
            char usually[NS_TEXT];
            expand(usually, sizeof usually, cfg->label[L_USUALLY][L], v, nv);
            strip_stop(next);
            snprintf(l->text, sizeof l->text, L == LZH ? "%s（%s）。" : "%s (%s).", next, usually);
        } else {
            snprintf(l->text, sizeof l->text, "%s", next);
        }
    }
    if (sec->appeal && (l = add_line(out, NSL_APPEAL, cfg->label[L_APPEAL][L]))) {
        v[0].value = appeal_by[0] ? appeal_by : lab_no_deadline;
        expand(l->text, sizeof l->text, cfg->appeal_text[L], v, nv);
    }
}

int next_steps_queue(const struct ns_config *cfg, int status, const struct ns_facts *f,
                     struct next_steps *out)
{
    if (!cfg || status < 0 || status >= ST__COUNT)
        return KERR_USAGE;
    build(cfg, &cfg->queue[status], status == ST_WAITING || status == ST_OFFERED, f, out);
    return 0;
}

int next_steps_bed(const struct ns_config *cfg, int stage, const struct ns_facts *f,
                   struct next_steps *out)
{
    if (!cfg || stage < 0 || stage >= BS__COUNT)
        return KERR_USAGE;
    build(cfg, &cfg->bed[stage], false, f, out);
    return 0;
}

const char *next_steps_bed_future(const struct ns_config *cfg, int stage, const char *lang)
{
    if (!cfg || stage < 0 || stage >= BS__COUNT)
        return "";
    return cfg->bed[stage].text[T_FUTURE][li(lang)];
}

int next_steps_reason_count(const struct ns_config *cfg) { return cfg ? cfg->n_reasons : 0; }

const char *next_steps_reason_code(const struct ns_config *cfg, int i)
{
    return cfg && i >= 0 && i < cfg->n_reasons ? cfg->reason[i].code : NULL;
}

const char *next_steps_reason_text(const struct ns_config *cfg, int i, const char *lang)
{
    return cfg && i >= 0 && i < cfg->n_reasons ? cfg->reason[i].text[li(lang)] : NULL;
}

const char *next_steps_reason_lookup(const struct ns_config *cfg, const char *code, const char *lang)
{
    for (int i = 0; cfg && code && i < cfg->n_reasons; i++)
        if (!strcmp(cfg->reason[i].code, code))
            return cfg->reason[i].text[li(lang)];
    return NULL;
}

void next_steps_office(const struct ns_config *cfg, const char *lang, char *out, unsigned long cap)
{
    int L = li(lang);
    snprintf(out, cap, "%s · %s · %s · %s", cfg->office_name[L], cfg->office_addr[L],
             cfg->office_hours[L], cfg->phone);
}
