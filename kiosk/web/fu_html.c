/* fu_html.c — render the follow-up page (see fu_html.h).
 *
 * The words are the kiosk's own message ids (data/po/zh.po) wherever the
 * kiosk says the same thing, so the page and the screen cannot drift apart;
 * the few page-only strings are in the "follow-up page" block of zh.po.
 * Layout: one column, max-width 36rem, wrapping text, system CJK fonts, so
 * a 390 px phone never scrolls sideways. */
#include "kiosk/web/fu_html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/err.h"
#include "kiosk/change_words.h"
#include "kiosk/i18n.h"
#include "kiosk/next_view.h"

#define SV_TEXT_WEB 512

/* ---- buffer ------------------------------------------------------------------ */

void fu_buf_init(struct fu_buf *b)
{
    memset(b, 0, sizeof *b);
}

void fu_buf_release(struct fu_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

void fu_buf_add(struct fu_buf *b, const char *s, size_t n)
{
    if (b->err)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->err = KERR_NOMEM;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void fu_buf_puts(struct fu_buf *b, const char *s)
{
    fu_buf_add(b, s, strlen(s));
}

void fu_buf_escape(struct fu_buf *b, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        const char *rep;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        fu_buf_add(b, run, (size_t)(s - run));
        fu_buf_puts(b, rep);
        run = s + 1;
    }
    fu_buf_add(b, run, (size_t)(s - run));
}

/* Format, then escape: every piece of text goes through here or fu_buf_escape. */
static void esc_fmt(struct fu_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void esc_fmt(struct fu_buf *b, const char *fmt, ...)
{
    char t[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t, sizeof t, fmt, ap);
    va_end(ap);
    fu_buf_escape(b, t);
}

/* <tag class="cls">escaped text</tag> */
static void elem(struct fu_buf *b, const char *tag, const char *cls, const char *text)
{
    fu_buf_puts(b, "<");
    fu_buf_puts(b, tag);
    if (cls) {
        fu_buf_puts(b, " class=\"");
        fu_buf_puts(b, cls);
        fu_buf_puts(b, "\"");
    }
    fu_buf_puts(b, ">");
    fu_buf_escape(b, text);
    fu_buf_puts(b, "</");
    fu_buf_puts(b, tag);
    fu_buf_puts(b, ">\n");
}

/* ---- style ---------------------------------------------------------------------- */

const char fu_html_css[] =
    "*{box-sizing:border-box}"
    "html{-webkit-text-size-adjust:100%}"
    "body{margin:0;background:#fff;color:#111;font:18px/1.6 system-ui,\"Noto Sans CJK SC\","
    "\"PingFang SC\",\"Microsoft YaHei\",sans-serif;overflow-wrap:anywhere;line-break:strict}"
    "header,main,footer{max-width:36rem;margin:0 auto;padding:0 1rem}"
    "header{background:#003d7a;color:#fff;max-width:none;padding:.75rem 1rem}"
    "header h1{font-size:1.3rem;margin:.2rem 0}"
    "header p{margin:0}"
    ".lang{float:right;margin-left:1rem}"
    ".lang a{color:#fff;font-weight:bold}"
    "section{border-bottom:1px solid #ccc;padding:.5rem 0 1rem}"
    "h2{font-size:1.2rem;margin:.8rem 0 .3rem}"
    "h3{font-size:1rem;margin:.8rem 0 .2rem;color:#003d7a}"
    "p{margin:.3rem 0}"
    ".pos{font-size:1.1rem}"
    ".big{display:block;font-size:3rem;font-weight:bold;line-height:1.1}"
    ".status{font-weight:bold}"
    "ul{margin:.2rem 0;padding-left:1.2rem}"
    ".todo{color:#555}"
    "dl.ns{margin:.2rem 0}"
    "dl.ns dt{font-weight:bold;margin-top:.4rem}"
    "dl.ns dd{margin:0}"
    "dd.warn{color:#a40000}"
    "footer{color:#555;font-size:.9rem;padding:1rem}";

/* ---- page ----------------------------------------------------------------------- */

static void head(struct fu_buf *b, const char *lang, const char *title)
{
    fu_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"");
    fu_buf_puts(b, strcmp(lang, "en") ? "zh-CN" : "en");
    fu_buf_puts(b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta name=\"referrer\" content=\"no-referrer\">\n"
                   "<meta name=\"robots\" content=\"noindex, nofollow\">\n<title>");
    fu_buf_escape(b, title);
    fu_buf_puts(b, "</title>\n<style>");
    fu_buf_puts(b, fu_html_css);
    fu_buf_puts(b, "</style>\n</head>\n<body>\n");
}

static void change_lines(struct fu_buf *b, const struct queue_view *q)
{
    fu_buf_puts(b, "<h3>");
    fu_buf_escape(b, _("Change since the published list"));
    fu_buf_puts(b, "</h3>\n<p>");
    if (!q->has_publication) {
        fu_buf_escape(b, _("No list has been published yet."));
    } else if (q->own_record_changed) {
        esc_fmt(b, _("Your own record changed since the list of %.10s."), q->published_at);
    } else if (q->position_then && q->status == ST_WAITING) {
        esc_fmt(b, _("Since the list of %.10s: position %lld → %lld"), q->published_at,
                q->position_then, q->position);
        fu_buf_puts(b, "</p>\n<p>");
        char left[SV_TEXT_WEB], ahead[SV_TEXT_WEB];
        change_words(q, left, ahead, sizeof left);   /* the kiosk's own sentences */
        fu_buf_escape(b, left);
        if (left[0] && ahead[0])
            fu_buf_puts(b, "</p>\n<p>");
        fu_buf_escape(b, ahead);
    } else {
        esc_fmt(b, _("Not waiting in the list of %.10s."), q->published_at);
    }
    fu_buf_puts(b, "</p>\n");
}

static void queue_item(struct fu_buf *b, const struct fu_page *pg, const struct queue_view *q)
{
    fu_buf_puts(b, "<section class=\"queue\">\n");
    elem(b, "h2", NULL, strcmp(pg->lang, "en") ? q->program_zh : q->program_en);
    fu_buf_puts(b, "<p>");
    esc_fmt(b, _("Name: %s"), q->name_masked);
    fu_buf_puts(b, "</p>\n<p class=\"status\">");
    esc_fmt(b, _("Status: %s"), queue_status_label(q->status));
    fu_buf_puts(b, "</p>\n");
    if (q->status == ST_WAITING && q->position > 0) {
        fu_buf_puts(b, "<p class=\"pos\"><span class=\"big\">");
        esc_fmt(b, "%lld", q->position);
        fu_buf_puts(b, "</span>");
        esc_fmt(b, _("Position %lld of %lld"), q->position, q->total);
        fu_buf_puts(b, "</p>\n");
    } else {
        fu_buf_puts(b, "<p>");
        esc_fmt(b, _("%lld households are waiting in this programme."), q->total);
        fu_buf_puts(b, "</p>\n");
    }
    change_lines(b, q);
    if (q->status == ST_WAITING) {
        fu_buf_puts(b, "<h3>");
        fu_buf_escape(b, _("Wait estimate"));
        fu_buf_puts(b, "</h3>\n<p>");
        if (q->has_estimate)
            esc_fmt(b, _("Estimated wait: %d to %d months (about %.1f allocated a month)"),
                    q->estimate_lo_months, q->estimate_hi_months, q->housed_per_month);
        else
            fu_buf_escape(b, _("Not enough history for a wait estimate."));
        fu_buf_puts(b, "</p>\n");
    }
}

/* The main path of SPEC §5, for the stages still to come. */
static const int main_path[] = {BS_SUBMITTED, BS_STREET_APPROVED, BS_DISTRICT_APPROVED,
                                BS_ASSESSED, BS_PROVIDER_ASSIGNED, BS_BUILT, BS_ACCEPTED,
                                BS_IN_SERVICE};

static void bed_item(struct fu_buf *b, const struct fu_page *pg, const struct bed_view *v)
{
    fu_buf_puts(b, "<section class=\"bed\">\n<h2>");
    esc_fmt(b, _("Home care bed application %s"), v->ref);
    fu_buf_puts(b, "</h2>\n<p>");
    esc_fmt(b, _("Name: %s"), v->elder_name_masked);
    fu_buf_puts(b, "</p>\n<p class=\"status\">");
    esc_fmt(b, _("Current stage: %s"), v->stage_label);
    fu_buf_puts(b, "</p>\n<h3>");
    fu_buf_escape(b, _("Timeline"));
    fu_buf_puts(b, "</h3>\n<ul>\n");
    int last_main = -1;
    for (int i = 0; i < v->n_steps && i < BED_MAX_STEPS; i++) {
        fu_buf_puts(b, "<li>");
        esc_fmt(b, "%.10s  %s", v->steps[i].at, bed_stage_label(v->steps[i].stage, pg->lang));
        fu_buf_puts(b, "</li>\n");
        for (size_t k = 0; k < sizeof main_path / sizeof main_path[0]; k++)
            if (main_path[k] == v->steps[i].stage)
                last_main = (int)k;
    }
    if (v->stage != BS_REJECTED && v->stage != BS_WITHDRAWN && v->stage != BS_EXITED)
        for (size_t k = (size_t)(last_main + 1); k < sizeof main_path / sizeof main_path[0]; k++) {
            fu_buf_puts(b, "<li class=\"todo\">");
            esc_fmt(b, _("%s (not yet)"), bed_stage_label(main_path[k], pg->lang));
            fu_buf_puts(b, "</li>\n");
        }
    fu_buf_puts(b, "</ul>\n");
}

/* The next steps and the contact: the lines the kiosk's detail screen shows
 * ("label：text"), from the same call with the same facts (next_view.h). */
static void next_steps(struct fu_buf *b, const struct fu_item *it, const struct ns_config *ns,
                       const char *lang)
{
    struct next_steps nx;
    int err = it->is_bed ? next_view_bed(ns, &it->b, &it->n, lang, &nx)
                         : next_view_queue(ns, &it->q, &it->n, lang, &nx);
    fu_buf_puts(b, "<h3>");
    fu_buf_escape(b, _("What happens next"));
    fu_buf_puts(b, "</h3>\n");
    if (err || nx.n == 0) {
        /* not reached with the data the core writes: say where to ask */
        elem(b, "p", NULL, _("Ask at your street office (街道办事处) or at any self-service kiosk."));
    } else {
        fu_buf_puts(b, "<dl class=\"ns\">\n");
        for (int i = 0; i < nx.n; i++) {
            elem(b, "dt", NULL, nx.line[i].label);
            elem(b, "dd", nx.line[i].kind == NSL_REFUSALS ? "warn" : NULL, nx.line[i].text);
        }
        fu_buf_puts(b, "</dl>\n");
    }
    fu_buf_puts(b, "</section>\n");
}

int fu_html_page(const struct fu_page *pg, const char *code, const struct ns_config *ns,
                 const char *now, struct fu_buf *out)
{
    bool en = !strcmp(pg->lang, "en");
    i18n_set_lang(pg->lang);
    head(out, pg->lang, _("Receipt follow-up"));
    /* the switch keeps r and c (both already checked: letters and digits only) */
    fu_buf_puts(out, "<header>\n<p class=\"lang\"><a href=\"q?r=");
    fu_buf_escape(out, pg->ref);
    fu_buf_puts(out, "&amp;c=");
    fu_buf_escape(out, code);
    fu_buf_puts(out, en ? "&amp;lang=zh\" hreflang=\"zh-CN\" lang=\"zh-CN\">中文</a></p>\n"
                        : "&amp;lang=en\" hreflang=\"en\" lang=\"en\">English</a></p>\n");
    elem(out, "h1", NULL, _("Receipt follow-up"));
    fu_buf_puts(out, "<p>");
    esc_fmt(out, _("Receipt %s"), pg->ref);
    fu_buf_puts(out, "</p>\n</header>\n<main>\n");
    for (int i = 0; i < pg->n; i++) {
        const struct fu_item *it = &pg->item[i];
        if (it->is_bed)
            bed_item(out, pg, &it->b);
        else
            queue_item(out, pg, &it->q);
        next_steps(out, it, ns, pg->lang);
    }
    fu_buf_puts(out, "</main>\n<footer>\n<p>");
    esc_fmt(out, _("As of %.16s. Names are shown masked; this page keeps nothing."), now);
    fu_buf_puts(out, "</p>\n</footer>\n</body>\n</html>\n");
    return out->err;
}

int fu_html_generic(enum fu_generic kind, struct fu_buf *out)
{
    static const char *const title[] = {
        [FU_NOT_FOUND] = "未找到回执 · Receipt not found",
        [FU_LIMITED] = "请稍后再试 · Please try later",
        [FU_UNAVAILABLE] = "暂时无法查询 · Temporarily unavailable",
    };
    static const char *const text[] = {
        [FU_NOT_FOUND] =
            "<p>此链接不对应任何回执，或校验码不正确。请重新扫描回执上的二维码，"
            "或到街道办事处、自助服务终端查询。</p>\n"
            "<p lang=\"en\">This link does not match a receipt, or its code is wrong. "
            "Scan the QR code on your receipt again, or ask at the street office "
            "or a self-service kiosk.</p>\n",
        [FU_LIMITED] = "<p>尝试次数过多，请一分钟后再试。</p>\n"
                       "<p lang=\"en\">Too many attempts. Please try again in a minute.</p>\n",
        [FU_UNAVAILABLE] = "<p>查询服务暂时无法使用，请稍后再试，或到自助服务终端查询。</p>\n"
                           "<p lang=\"en\">The look-up is not available just now. Please try "
                           "again later, or ask at a self-service kiosk.</p>\n",
    };
    head(out, "zh", title[kind]);
    fu_buf_puts(out, "<header>\n<h1>");
    fu_buf_escape(out, title[kind]);
    fu_buf_puts(out, "</h1>\n</header>\n<main>\n<section>\n");
    fu_buf_puts(out, text[kind]);
    fu_buf_puts(out, "</section>\n</main>\n</body>\n</html>\n");
    return out->err;
}
