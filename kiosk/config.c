/* config.c — read the INI configuration with inih over built-in defaults. */
#include "kiosk/config.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/eldercare.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"

void config_defaults(struct kiosk_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->database, sizeof cfg->database, "/var/lib/kiosk/kiosk.db");
    snprintf(cfg->language, sizeof cfg->language, "zh");
    cfg->idle_timeout = 60;
    cfg->fleet_heartbeat = 30;
    cfg->fleet_silent_after = 120;
    snprintf(cfg->followup_url, sizeof cfg->followup_url, "https://lh.sz.gov.cn/q");
    snprintf(cfg->kiosk_id, sizeof cfg->kiosk_id, "LH-KIOSK-01");
    cfg->lookup_attempts = 5;
    cfg->lookup_pause = 60;
    cfg->refusal_limit = 2;
    cfg->paper_dots = 384;
    cfg->native_qr = false;
    cfg->reassess_months = 12;
    snprintf(cfg->level_bands, sizeof cfg->level_bands, "90,66,46,30");
    cfg->min_age = 60;
    /* working practice at the street offices (docs/console.md "Work queues"):
     * submitted, street_approved, district_approved, assessed, provider_assigned,
     * built, accepted, in_service (a reassessment is tracked apart) */
    static const int deadlines[] = {5, 10, 15, 5, 30, 10, 5, 0};
    for (int i = 0; i < (int)(sizeof deadlines / sizeof deadlines[0]); i++)
        cfg->stage_deadline_days[i] = deadlines[i];
    cfg->offer_answer_days = 15;
    cfg->frozen_review_days = 90;
    cfg->max_failed_logins = 5;
    snprintf(cfg->report_dir, sizeof cfg->report_dir, "/tmp");
    cfg->report_min_count = 0;
    snprintf(cfg->followup_listen, sizeof cfg->followup_listen, "127.0.0.1:8080");
    cfg->bad_codes_per_minute = 10;
    cfg->followup_threads = 2;
    cfg->connections_per_address = 256;
    cfg->followup_page_cache = 2048;
    cfg->max_removal_share = 0.05;
    cfg->write_wait = 300;
    /* ---- speech (issue 9) ---- */
    cfg->speech_enabled = true;
    cfg->speech_private = false;
    snprintf(cfg->speech_chinese, sizeof cfg->speech_chinese, "zh");
    cfg->speech_volume = 100;
    keytab_defaults(&cfg->keys);
}

struct load_ctx {
    struct kiosk_config *cfg;
    int err;
    int line;
    struct kerr_why why;     /* the value just refused, in both languages */
    struct kerr_why first;   /* the first refused (inih reports its line) */
    char where[160];         /* its "[section] name" */
};

static int set_int(struct load_ctx *c, const char *val, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(val, &end, 10);
    if (errno || end == val || *end || v < lo || v > hi) {
        kerr_why(&c->why, "must be an integer from %d to %d (got \"%s\")", lo, hi, val);
        return 0;
    }
    *out = (int)v;
    return 1;
}

static int set_str(struct load_ctx *c, const char *val, char *out, size_t cap)
{
    if (strlen(val) >= cap) {
        kerr_why(&c->why, "is longer than %zu bytes", cap - 1);
        return 0;
    }
    memcpy(out, val, strlen(val) + 1);
    return 1;
}

static int set_bool(struct load_ctx *c, const char *val, bool *out)
{
    if (!strcmp(val, "1") || !strcasecmp(val, "yes") || !strcasecmp(val, "true") ||
        !strcasecmp(val, "on")) {
        *out = true;
        return 1;
    }
    if (!strcmp(val, "0") || !strcasecmp(val, "no") || !strcasecmp(val, "false") ||
        !strcasecmp(val, "off")) {
        *out = false;
        return 1;
    }
    kerr_why(&c->why, "must be yes or no (got \"%s\")", val);
    return 0;
}

/* A share: a fraction from 0 to 1 ("0.05") or a percentage ("5%"). */
static int set_share(struct load_ctx *c, const char *val, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(val, &end);
    if (end != val && *end == '%' && end[1] == '\0') {
        v /= 100;
        end++;
    }
    if (errno || end == val || *end || !(v >= 0 && v <= 1)) {
        kerr_why(&c->why, "must be a share like 0.05 or 5%% (got \"%s\")", val);
        return 0;
    }
    *out = v;
    return 1;
}

static int set_usb(struct load_ctx *c, const char *val, char *out, size_t cap)
{
    unsigned vid, pid;
    char extra;
    if (*val && (sscanf(val, "%4x:%4x%c", &vid, &pid, &extra) != 2 || strlen(val) != 9)) {
        kerr_why(&c->why, "must be VID:PID in hex, like 0400:c35a (got \"%s\")", val);
        return 0;
    }
    return set_str(c, val, out, cap);
}

/* A street name's own shape (config_street_check without the list): what is
 * wrong with it (a message id), or NULL. */
static const char *street_shape(const char *s)
{
    if (strlen(s) >= CONFIG_STREET_MAX)
        return N_("is longer than 63 bytes");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == ',')
            return N_("holds a control character or a comma");
    return NULL;
}

/* [kiosk] street: its shape now; against [district] streets once the whole
 * file is read (the sections may come in either order: config_load). */
static int set_street(struct load_ctx *c, const char *val)
{
    const char *why = street_shape(val);
    if (why) {
        kerr_why(&c->why, "%s (got \"%s\")", why, val);   /* why: a message id */
        return 0;
    }
    return set_str(c, val, c->cfg->street, sizeof c->cfg->street);
}

/* [district] streets = a, b, c: kept as "a,b,c" (spaces around the names
 * dropped); every name must have a street's shape, none twice. */
static int set_streets(struct load_ctx *c, const char *val)
{
    char out[sizeof c->cfg->streets] = "";
    size_t len = 0;
    for (const char *p = val; *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        while (n && (*p == ' ' || *p == '\t')) {
            p++;
            n--;
        }
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        char name[CONFIG_STREET_MAX + 1];
        if (!n || n >= CONFIG_STREET_MAX) {
            kerr_why(&c->why, "%s", n ? N_("has a street name longer than 63 bytes")
                                      : N_("has an empty street name"));
            return 0;
        }
        snprintf(name, sizeof name, "%.*s", (int)n, p);
        const char *why = street_shape(name);
        if (why) {
            kerr_why(&c->why, "\"%s\" %s", name, why);
            return 0;
        }
        for (const char *q = out; *q;) {
            size_t m = strcspn(q, ",");
            if (m == n && !memcmp(q, name, n)) {
                kerr_why(&c->why, "names \"%s\" twice", name);
                return 0;
            }
            q += m + (q[m] == ',');
        }
        if (len + n + 2 > sizeof out) {
            kerr_why(&c->why, "is longer than %zu bytes", sizeof out - 1);
            return 0;
        }
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%s", len ? "," : "", name);
        p += n;
        while (*p && *p != ',')
            p++;
        if (*p == ',')
            p++;
    }
    memcpy(c->cfg->streets, out, len + 1);
    return 1;
}

int config_street_check(const struct kiosk_config *cfg, const char *street)
{
    if (!street[0])
        return 0;
    const char *why = street_shape(street);
    if (why)
        return kerr(KERR_INPUT, "street \"%s\": %s", street, why);
    if (!cfg || !cfg->streets[0])
        return 0;
    size_t n = strlen(street);
    for (const char *q = cfg->streets; *q;) {
        size_t m = strcspn(q, ",");
        if (m == n && !memcmp(q, street, n))
            return 0;
        q += m + (q[m] == ',');
    }
    return kerr(KERR_INPUT, "street \"%s\" is not one of the district's streets ([district] "
                "streets: %s)", street, cfg->streets);
}

/* s without its leading "NAME: " (or "NAME：", a translation's colon), into out. */
static void after_name(char *out, size_t cap, const char *s, const char *name)
{
    size_t n = strlen(name);
    if (!strncmp(s, name, n) && !strncmp(s + n, ": ", 2))
        s += n + 2;
    else if (!strncmp(s, name, n) && !strncmp(s + n, "：", strlen("：")))
        s += n + strlen("：");
    snprintf(out, cap, "%s", s);
}

/* inih calls this for each name=value; returning 0 marks the line as an error. */
static int on_value(void *user, const char *section, const char *name, const char *value)
{
    struct load_ctx *c = user;
    struct kiosk_config *cfg = c->cfg;
#define IS(s, k) (!strcmp(section, s) && !strcmp(name, k))
    int ok;
    if (IS("kiosk", "database"))          ok = set_str(c, value, cfg->database, sizeof cfg->database);
    else if (IS("kiosk", "write_wait"))   ok = set_int(c, value, 1, 3600, &cfg->write_wait);
    else if (IS("kiosk", "secret_file"))  ok = set_str(c, value, cfg->secret_file, sizeof cfg->secret_file);
    else if (IS("kiosk", "language")) {
        ok = !strcmp(value, "zh") || !strcmp(value, "en");
        if (ok)
            set_str(c, value, cfg->language, sizeof cfg->language);
        else
            kerr_why(&c->why, "must be zh or en (got \"%s\")", value);
    }
    else if (IS("kiosk", "idle_timeout")) ok = set_int(c, value, 5, 3600, &cfg->idle_timeout);
    else if (IS("kiosk", "followup_url")) ok = set_str(c, value, cfg->followup_url, sizeof cfg->followup_url);
    else if (IS("kiosk", "kiosk_id"))     ok = set_str(c, value, cfg->kiosk_id, sizeof cfg->kiosk_id);
    else if (IS("kiosk", "lookup_attempts")) ok = set_int(c, value, 1, 100, &cfg->lookup_attempts);
    else if (IS("kiosk", "lookup_pause")) ok = set_int(c, value, 1, 86400, &cfg->lookup_pause);
    else if (IS("kiosk", "next_steps"))   ok = set_str(c, value, cfg->next_steps, sizeof cfg->next_steps);
    else if (IS("kiosk", "database_read")) ok = set_str(c, value, cfg->database_read, sizeof cfg->database_read);
    else if (IS("kiosk", "outbox"))       ok = set_str(c, value, cfg->outbox, sizeof cfg->outbox);
    else if (IS("kiosk", "street"))       ok = set_street(c, value);
    else if (IS("district", "streets"))   ok = set_streets(c, value);
    else if (IS("eldercare", "min_age"))  ok = set_int(c, value, 0, 120, &cfg->min_age);
    else if (IS("queue", "refusal_limit")) ok = set_int(c, value, 1, 100, &cfg->refusal_limit);
    else if (IS("reader", "usb"))         ok = set_usb(c, value, cfg->reader_usb, sizeof cfg->reader_usb);
    else if (IS("printer", "usb"))        ok = set_usb(c, value, cfg->printer_usb, sizeof cfg->printer_usb);
    else if (IS("printer", "paper_dots")) {
        ok = set_int(c, value, 384, 576, &cfg->paper_dots);
        if (ok && cfg->paper_dots != 384 && cfg->paper_dots != 576) {
            kerr_why(&c->why, "must be 384 (58 mm) or 576 (80 mm)");
            ok = 0;
        }
    }
    else if (IS("printer", "native_qr"))  ok = set_bool(c, value, &cfg->native_qr);
    else if (IS("eldercare", "reassess_months")) ok = set_int(c, value, 1, 60, &cfg->reassess_months);
    else if (IS("eldercare", "level_bands")) ok = set_str(c, value, cfg->level_bands, sizeof cfg->level_bands);
    else if (IS("auth", "max_failed_logins")) ok = set_int(c, value, 1, 100, &cfg->max_failed_logins);
    else if (IS("followup", "listen")) ok = set_str(c, value, cfg->followup_listen, sizeof cfg->followup_listen);
    else if (IS("followup", "bad_codes_per_minute")) ok = set_int(c, value, 1, 10000, &cfg->bad_codes_per_minute);
    else if (IS("followup", "threads")) ok = set_int(c, value, 1, 16, &cfg->followup_threads);
    else if (IS("followup", "page_cache")) ok = set_int(c, value, 0, 1000000, &cfg->followup_page_cache);
    else if (IS("followup", "connections_per_address")) ok = set_int(c, value, 0, 1000, &cfg->connections_per_address);
    else if (IS("import", "max_removal_share")) ok = set_share(c, value, &cfg->max_removal_share);
    /* ---- fleet health, the reader at the counter (issue 12) ---- */
    else if (IS("console", "card_reader")) ok = set_bool(c, value, &cfg->console_card_reader);
    else if (IS("fleet", "heartbeat"))    ok = set_int(c, value, 1, 3600, &cfg->fleet_heartbeat);
    else if (IS("fleet", "silent_after")) ok = set_int(c, value, 2, 86400, &cfg->fleet_silent_after);
    /* ---- speech (issue 9) ---- */
    else if (IS("speech", "enabled"))    ok = set_bool(c, value, &cfg->speech_enabled);
    else if (IS("speech", "private"))    ok = set_bool(c, value, &cfg->speech_private);
    else if (IS("speech", "chinese")) {
        ok = !strcmp(value, "zh") || !strcmp(value, "yue");
        if (ok)
            set_str(c, value, cfg->speech_chinese, sizeof cfg->speech_chinese);
        else
            kerr_why(&c->why, "must be zh (Mandarin) or yue (Cantonese) (got \"%s\")", value);
    }
    else if (IS("speech", "voice_zh"))   ok = set_str(c, value, cfg->voice_zh, sizeof cfg->voice_zh);
    else if (IS("speech", "voice_yue"))  ok = set_str(c, value, cfg->voice_yue, sizeof cfg->voice_yue);
    else if (IS("speech", "voice_en"))   ok = set_str(c, value, cfg->voice_en, sizeof cfg->voice_en);
    else if (IS("speech", "volume"))     ok = set_int(c, value, 10, 200, &cfg->speech_volume);
    else if (IS("reports", "dir")) ok = set_str(c, value, cfg->report_dir, sizeof cfg->report_dir);
    else if (IS("reports", "min_count")) ok = set_int(c, value, 0, 100, &cfg->report_min_count);
    else if (IS("console", "reveal_purposes"))
        ok = set_str(c, value, cfg->reveal_purposes, sizeof cfg->reveal_purposes);
    else if (IS("deadlines", "offer_answer"))
        ok = set_int(c, value, 0, 3650, &cfg->offer_answer_days);
    else if (IS("deadlines", "frozen_review"))
        ok = set_int(c, value, 0, 3650, &cfg->frozen_review_days);
    else if (!strcmp(section, "deadlines")) {
        int stage;
        if (bed_stage_parse(name, &stage) != 0 || stage >= 16) {
            kerr_clear();
            kerr_why(&c->why, "is not a stage (submitted, street_approved, …) nor offer_answer or frozen_review");
            ok = 0;
        } else {
            ok = set_int(c, value, 0, 3650, &cfg->stage_deadline_days[stage]);
        }
    }
    else if (!strcmp(section, "keys")) {
        ok = keytab_bind(&cfg->keys, name, value) == 0;
        if (!ok) {
            /* keytab_bind's detail names the action, then the bad key: the
             * action is already in "[keys] name" */
            after_name(c->why.text, sizeof c->why.text, kerr_detail(), name);
            after_name(c->why.local, sizeof c->why.local, kerr_detail_local(), name);
        }
    }
    else {
        /* unknown keys are kept for `kioskctl check`, not fatal */
        if (cfg->n_unknown < CONFIG_MAX_UNKNOWN)
            snprintf(cfg->unknown[cfg->n_unknown++], sizeof cfg->unknown[0], "[%s] %s", section, name);
        return 1;
    }
#undef IS
    if (!ok && !c->err) {
        c->err = KERR_CONFIG;
        c->first = c->why;
        snprintf(c->where, sizeof c->where, "[%s] %s", section, name);
    }
    return ok;
}

int config_load(struct kiosk_config *cfg, const char *path, bool required)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (!required && errno == ENOENT)
            return 0;
        return kerr(KERR_CONFIG, "%s: cannot read the configuration: %s", path, strerror(errno));
    }
    snprintf(cfg->path, sizeof cfg->path, "%s", path);
    struct load_ctx c = {.cfg = cfg};
    int line = ini_parse_file(f, on_value, &c);
    fclose(f);
    if (c.err)   /* which line: inih reports the first failing line number */
        return kerr_with(KERR_CONFIG, &c.first, "%s:%d: %s ", path, line, c.where);
    if (line > 0)
        return kerr(KERR_CONFIG, "%s:%d: not a valid INI line", path, line);
    /* the kiosk's street against the district's list, both read now */
    if (config_street_check(cfg, cfg->street)) {
        char where[sizeof cfg->path + 20];
        snprintf(where, sizeof where, "%s: [kiosk] street", path);
        return kerr_recode(KERR_CONFIG, where);
    }
    return 0;
}

int config_secret_path(const struct kiosk_config *cfg, char *out, unsigned long cap)
{
    out[0] = '\0';
    if (cfg->secret_file[0]) {
        snprintf(out, cap, "%s", cfg->secret_file);
        return 0;
    }
    if (strncmp(cfg->database, "postgresql://", 13) == 0 ||
        strncmp(cfg->database, "postgres://", 11) == 0)
        return kerr(KERR_CONFIG, "with a PostgreSQL database the site secret cannot live beside "
                    "it: set [kiosk] secret_file in the configuration (--config FILE)");
    const char *db = cfg->database;
    if (strncmp(db, "file:", 5) == 0)
        db += 5;
    snprintf(out, cap, "%s.key", db);
    return 0;
}
