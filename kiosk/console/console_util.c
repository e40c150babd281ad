/* console_util.c — the small helpers every console screen uses
 * (console_int.h): the status line, adding rows, cells, lines and menu
 * items to the view model, selections, growable arrays and the one-line
 * text prompt.  No store calls here. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/config.h"
#include "kiosk/console/console_int.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/idnum.h"
#include "kiosk/linebreak.h"
#include "kiosk/queue.h"
#include "kiosk/secret.h"

void say(struct console *c, bool warn, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->v.message, sizeof c->v.message, fmt, ap);
    va_end(ap);
    c->v.message_warn = warn;
}

void say_err(struct console *c, const char *what, int err)
{
    /* the core's detail in the console's language (err.h: kerr_detail_local) */
    const char *d = kerr_detail_local();
    say(c, true, "%s%s%s", what, !strcmp(con_lang(c), "zh") ? "：" : ": ",
        d && *d ? d : kiosk_strerror_local(err));
}

void add_line(struct console *c, int kind, const char *fmt, ...)
{
    if (c->v.n_lines >= CV_LINES)
        return;
    struct cv_line *l = &c->v.line[c->v.n_lines++];
    l->kind = (unsigned char)kind;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->text, sizeof l->text, fmt, ap);
    va_end(ap);
}

void add_item(struct console *c, const char *fmt, ...)
{
    if (c->v.n_items >= CV_ITEMS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->v.item[c->v.n_items++].label, sizeof c->v.item[0].label, fmt, ap);
    va_end(ap);
}

void set_cols(struct console *c, int n, const struct cv_col *cols)
{
    c->v.n_cols = n;
    c->v.wide_col = -1;   /* a screen that wants one sets it after */
    for (int i = 0; i < n; i++) {
        c->v.col[i] = cols[i];
        if (cols[i].title[0])   /* never _(""): gettext gives the catalogue header for it */
            snprintf(c->v.col[i].title, sizeof c->v.col[i].title, "%s", _(cols[i].title));
    }
}

struct cv_row *add_row(struct console *c, int kind)
{
    if (c->v.n_rows >= CV_ROWS)
        return NULL;
    struct cv_row *r = &c->v.row[c->v.n_rows++];
    memset(r, 0, sizeof *r);
    r->kind = (unsigned char)kind;
    return r;
}

void cell(struct cv_row *r, int i, const char *fmt, ...)
{
    if (!r)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(r->cell[i], sizeof r->cell[i], fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof r->cell[i])
        utf8_trim(r->cell[i]);   /* cut at the buffer's end: never mid-character */
}

void utf8_trim(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;                                  /* continuation bytes of the last character */
    if (i > 0 && (unsigned char)s[i - 1] >= 0xC0) {
        unsigned char b = (unsigned char)s[i - 1];
        size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
        if (n - (i - 1) < need)
            s[i - 1] = '\0';                  /* its lead byte without all of it: drop */
    }
}

void cut_cols(const char *s, int maxcols, char *out, size_t cap)
{
    int cols = 0;
    size_t n = linebreak_fit(s, maxcols, &cols);
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s, n);
    out[n] = '\0';
    utf8_trim(out);
}

bool has_role(const struct console *c, unsigned roles) { return (c->me.roles & roles) != 0; }

bool admin_screens(const struct console *c) { return c->opts.admin && has_role(c, ROLE_ADMIN); }

const char *con_lang(const struct console *c)
{
    return c->cfg && c->cfg->language[0] ? c->cfg->language : "zh";
}

bool move_sel(int *sel, int n, enum con_action a, int page)
{
    switch (a) {
    case CA_UP: (*sel)--; break;
    case CA_DOWN: (*sel)++; break;
    case CA_PGUP: *sel -= page; break;
    case CA_PGDN: *sel += page; break;
    case CA_HOME: *sel = 0; break;
    case CA_END: *sel = n - 1; break;
    default: return false;
    }
    if (*sel >= n)
        *sel = n - 1;
    if (*sel < 0)
        *sel = 0;
    return true;
}

int nav_actions(int *acts, int n, int cap, bool pages)
{
    static const int line[] = {CA_UP, CA_DOWN, CA_HOME, CA_END};
    static const int paged[] = {CA_PGDN, CA_PGUP, CA_UP, CA_DOWN, CA_HOME, CA_END};
    const int *src = pages ? paged : line;
    int m = pages ? 6 : 4;
    for (int i = 0; i < m && n < cap; i++)
        acts[n++] = src[i];
    return n;
}

int list_actions_paged(int *acts, int n, int cap, int rows, int page)
{
    if (n < cap)
        acts[n++] = CA_ESCAPE;
    if (n < cap)
        acts[n++] = CA_REFRESH;
    return rows ? nav_actions(acts, n, cap, rows > page) : n;
}

int list_actions(int *acts, int n, int cap, int rows)
{
    return list_actions_paged(acts, n, cap, rows, CONSOLE_PAGE);
}

int detail_actions(int *acts, int n, int cap, int n_items)
{
    if (n < cap)
        acts[n++] = CA_ESCAPE;
    if (n_items > 1 && n + 1 < cap) {
        acts[n++] = CA_UP;
        acts[n++] = CA_DOWN;
    }
    if (n + 1 < cap) {   /* scrolling a long detail (screens/staff_detail.c does it) */
        acts[n++] = CA_PGDN;
        acts[n++] = CA_PGUP;
    }
    if (n < cap)
        acts[n++] = CA_REFRESH;
    return n;
}

int grow(void **p, int *cap, int need, size_t sz)
{
    if (need <= *cap)
        return 0;
    int nc = *cap ? *cap : 16;
    while (nc < need)
        nc *= 2;
    void *q = realloc(*p, (size_t)nc * sz);
    if (!q)
        return KERR_NOMEM;
    *p = q;
    *cap = nc;
    return 0;
}

/* ---- the one-line prompt ------------------------------------------------------------ */

void prompt_open(struct console *c, int kind, bool secret, const char *label)
{
    c->prompt = kind;
    c->prompt_secret = secret;
    secure_wipe(c->prompt_buf, sizeof c->prompt_buf);
    c->prompt_len = 0;
    snprintf(c->v.prompt_label, sizeof c->v.prompt_label, "%s", label);
}

void prompt_reopen(struct console *c, int kind, const char *label, const char *text)
{
    prompt_open(c, kind, false, label);
    snprintf(c->prompt_buf, sizeof c->prompt_buf, "%s", text);
    c->prompt_len = (int)strlen(c->prompt_buf);
}

void prompt_close(struct console *c)
{
    c->prompt = PK_NONE;
    secure_wipe(c->prompt_buf, sizeof c->prompt_buf);
    c->prompt_len = 0;
    secure_wipe(c->v.prompt_label, sizeof c->v.prompt_label);
}

/* Append a code point as UTF-8 (names and reasons are Chinese). */
void text_append(char *buf, int *len, int cap, uint32_t ch)
{
    char u[4];
    int n;
    if (ch < 0x20 || ch == 0x7f || (ch >= 0xd800 && ch < 0xe000) || ch > 0x10ffff)
        return;
    if (ch < 0x80) { u[0] = (char)ch; n = 1; }
    else if (ch < 0x800) { u[0] = (char)(0xc0 | ch >> 6); u[1] = (char)(0x80 | (ch & 0x3f)); n = 2; }
    else if (ch < 0x10000) {
        u[0] = (char)(0xe0 | ch >> 12); u[1] = (char)(0x80 | ((ch >> 6) & 0x3f));
        u[2] = (char)(0x80 | (ch & 0x3f)); n = 3;
    } else {
        u[0] = (char)(0xf0 | ch >> 18); u[1] = (char)(0x80 | ((ch >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((ch >> 6) & 0x3f)); u[3] = (char)(0x80 | (ch & 0x3f)); n = 4;
    }
    if (*len + n >= cap)
        return;
    memcpy(buf + *len, u, (size_t)n);
    *len += n;
    buf[*len] = '\0';
}

/* Remove the last UTF-8 character. */
void text_backspace(char *buf, int *len)
{
    while (*len > 0) {
        unsigned char b = (unsigned char)buf[--*len];
        buf[*len] = '\0';
        if ((b & 0xc0) != 0x80)
            break;
    }
}

/* ---- the resident-facing reason (issue 10) ------------------------------------------ */

void pub_reason_lines(struct console *c)
{
    if (c->prompt != PK_PUB_REASON)
        return;
    add_line(c, CVK_HEAD, "%s", _("Reason shown to the resident (type its number, then any note for the resident):"));
    for (int i = 0; i < next_steps_reason_count(c->ns); i++)
        add_line(c, CVK_NORMAL, "%2d  %s", i + 1, next_steps_reason_text(c->ns, i, con_lang(c)));
}

void pub_reason_prompt(struct console *c)
{
    char label[160];
    snprintf(label, sizeof label, _("Reason for the resident (1–%d, then optional text):"),
             next_steps_reason_count(c->ns));
    prompt_open(c, PK_PUB_REASON, false, label);
}

bool pub_reason_parse(struct console *c, const char *text)
{
    char *end;
    long n = strtol(text, &end, 10);
    if (end == text || n < 1 || n > next_steps_reason_count(c->ns)) {
        say(c, true, _("Type the number of a reason from the list (1–%d)."),
            next_steps_reason_count(c->ns));
        return false;
    }
    while (*end == ' ')
        end++;
    struct notice *pn = &c->pending_notice;
    snprintf(pn->reason_code, sizeof pn->reason_code, "%s", next_steps_reason_code(c->ns, (int)n - 1));
    snprintf(pn->reason_text, sizeof pn->reason_text, "%.*s", (int)sizeof pn->reason_text - 1, end);
    return true;
}

void queue_line_fill(const struct secret *sec, const struct entry_row *e, struct queue_line *l)
{
    char id[19] = "", name[257] = "";
    l->e = *e;
    if (queue_unseal(sec, e, id, name, sizeof name) == 0) {
        idnum_mask(id, l->id_masked, sizeof l->id_masked);
        name_mask(name, l->name_masked, sizeof l->name_masked);
    } else {   /* a row whose seal does not open: shown, never guessed */
        snprintf(l->id_masked, sizeof l->id_masked, "%s", "?");
        snprintf(l->name_masked, sizeof l->name_masked, "%s", "?");
    }
    secure_wipe(id, sizeof id);
    secure_wipe(name, sizeof name);
}

void queue_lines_reverse(struct queue_line *page, int n)
{
    for (int i = 0, j = n - 1; i < j; i++, j--) {
        struct queue_line l = page[i];
        page[i] = page[j];
        page[j] = l;
        secure_wipe(&l, sizeof l);
    }
}
