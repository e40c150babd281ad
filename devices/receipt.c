/* receipt.c — lay a receipt_model out as ESC/POS (see receipt.h).
 *
 * Layout (58 mm, 32 columns; 80 mm is the same with wider lines):
 *     [centred, double size] title
 *     [centred] programme
 *     --------------------------------
 *     姓名 Name      张*三
 *     证件 ID        4403**********1234
 *     位次 Position  [double] 12 [normal] / 3400      (or 状态 Stage …)
 *     状态 Status    what the status means (wrapped)
 *     您需要做什么    the next step (wrapped), 截止日期 its date
 *     联系谁          the contact (name · phone)
 *     时间 Time      2026-11-29 17:50
 *     自助机 Kiosk   FT-SZ-001
 *     回执 Ref       7M2KQ9XD4R
 *     [centred] QR of the follow-up URL, caption
 *     feed, partial cut
 * Labels follow model->language; values are printed as given.  Long values
 * are wrapped here by the core's rule (kiosk/linebreak.h), not by the
 * printer, so no printed line begins with "，". */
#include "receipt.h"

#include <stdlib.h>
#include <string.h>

#include "devices/qr.h"
#include "kiosk/err.h"
#include "kiosk/linebreak.h"

struct labels {
    const char *title, *name, *id, *position, *stage, *time, *kiosk, *ref, *scan, *test, *by,
        *todo, *contact;
};

static const struct labels zh = {
    "轮候查询回执", "姓名", "证件", "轮候位次", "办理进度", "时间", "自助机", "回执编号",
    "扫码查询进度", "打印测试页", "截止日期", "您需要做什么", "联系谁",
};
static const struct labels en = {
    "Queue receipt", "Name", "ID", "Position", "Stage", "Time", "Kiosk", "Ref",
    "Scan to follow up", "Printer test page", "By", "What you need to do", "Who to contact",
};

/* A paragraph wrapped to the paper's columns (the core's line-break rule). */
static void para(struct escpos_buf *b, const struct printer_profile *p, const char *s)
{
    while (*s) {
        size_t n = linebreak_fit(s, p->columns, NULL);
        char line[256];
        size_t k = n < sizeof line - 1 ? n : sizeof line - 1;
        memcpy(line, s, k);
        line[k] = '\0';
        escpos_text(b, line);
        escpos_newline(b);
        s += n;
        while (*s == ' ')
            s++;
    }
}

/* "label:" on its own line, then the value wrapped under it. */
static void block(struct escpos_buf *b, const struct printer_profile *p, const char *label,
                  const char *value)
{
    escpos_bold(b, true);
    escpos_text(b, label);
    escpos_text(b, ":");
    escpos_bold(b, false);
    escpos_newline(b);
    para(b, p, value);
}

/* "label: value" on one line; the printer wraps what is longer. */
static void row(struct escpos_buf *b, const char *label, const char *value)
{
    escpos_text(b, label);
    escpos_text(b, ": ");
    escpos_text(b, value);
    escpos_newline(b);
}

static void rule(struct escpos_buf *b, const struct printer_profile *p)
{
    char line[64];
    int n = p->columns < (int)sizeof line - 1 ? p->columns : (int)sizeof line - 1;
    memset(line, '-', (size_t)n);
    line[n] = '\0';
    escpos_text(b, line);
    escpos_newline(b);
}

/* The QR, centred: native GS ( k when the profile says so, else a raster
 * whose scale keeps a 58 mm receipt inside its 8 KiB budget. */
static int put_qr(struct escpos_buf *b, const struct printer_profile *p, const char *url)
{
    /* what the text before left of the 8 KiB (58 mm), less the tail (caption, feed, cut) */
    size_t used = b->len + 64;
    escpos_align(b, ESCPOS_CENTER);
    if (p->native_qr) {
        escpos_qr(b, url, strlen(url), p->qr_module, ESCPOS_QR_M);
        escpos_newline(b);
        return 0;
    }
    struct qr_grid g;
    int rc = qr_make(url, &g);
    if (rc)
        return rc;
    /* Quiet zone: 2 modules in the image; the paper round it adds the rest. */
    const int quiet = 2;
    size_t total = p->dots <= 384 ? RECEIPT_58_BUDGET : 17 * 1024;
    size_t budget = total > used + 1024 ? total - used : 1024;
    int scale = p->qr_scale_max;
    while (scale > 2 && ((g.width + 2 * quiet) * scale > p->dots ||
                         qr_raster_size(&g, scale, quiet) > budget))
        scale--;
    size_t sz = qr_raster_size(&g, scale, quiet);
    if ((g.width + 2 * quiet) * scale > p->dots) {
        qr_free(&g);
        return kerr(KERR_INPUT, "the follow-up URL is too long for a QR code on %s paper", p->name);
    }
    /* Draw straight into the output after the 8-byte GS v 0 header would be
     * neater but stripes interleave headers, so use a scratch buffer. */
    uint8_t *bits = malloc(sz);
    if (!bits) {
        qr_free(&g);
        return KERR_NOMEM;
    }
    int wb, rows;
    qr_raster(&g, scale, quiet, bits, &wb, &rows);
    escpos_raster(b, bits, wb, rows, 0);
    free(bits);
    qr_free(&g);
    return 0;
}

int receipt_build(const struct receipt_model *m, const struct printer_profile *p, uint8_t *out,
                  size_t cap)
{
    struct escpos_buf b;
    const struct labels *L = strcmp(m->language, "en") == 0 ? &en : &zh;
    int rc = 0;
    escpos_buf_init(&b, out, cap);

    escpos_init(&b);
    escpos_chinese(&b, true);
    escpos_align(&b, ESCPOS_CENTER);
    escpos_size(&b, 2, 2);
    escpos_text(&b, m->title[0] ? m->title : L->title);
    escpos_newline(&b);
    escpos_size(&b, 1, 1);
    if (m->program[0]) {
        escpos_text(&b, m->program);
        escpos_newline(&b);
    }
    escpos_align(&b, ESCPOS_LEFT);
    rule(&b, p);
    row(&b, L->name, m->name_masked);
    row(&b, L->id, m->id_masked);
    if (m->position[0]) {
        escpos_text(&b, L->position);
        escpos_text(&b, ": ");
        escpos_size(&b, 2, 2);
        escpos_bold(&b, true);
        escpos_text(&b, m->position);
        escpos_bold(&b, false);
        escpos_size(&b, 1, 1);
        if (m->total[0]) {
            escpos_text(&b, " / ");
            escpos_text(&b, m->total);
        }
        escpos_newline(&b);
    }
    if (m->stage[0])
        row(&b, L->stage, m->stage);
    if (m->status_line[0])
        para(&b, p, m->status_line);
    if (m->next_step[0])
        block(&b, p, m->next_label[0] ? m->next_label : L->todo, m->next_step);
    if (m->deadline[0])
        row(&b, L->by, m->deadline);
    if (m->contact[0])
        block(&b, p, m->contact_label[0] ? m->contact_label : L->contact, m->contact);
    row(&b, L->time, m->datetime);
    row(&b, L->kiosk, m->kiosk_id);
    row(&b, L->ref, m->reference);
    rule(&b, p);
    if (m->followup_url[0]) {
        escpos_feed(&b, 1);
        rc = put_qr(&b, p, m->followup_url);
        if (rc)
            goto out;
        escpos_text(&b, L->scan);
        escpos_newline(&b);
        escpos_align(&b, ESCPOS_LEFT);
    }
    escpos_feed(&b, 4);
    escpos_cut(&b, true);
out:
    escpos_buf_release(&b);
    if (rc)
        return rc;
    if (b.err)
        return kerr(b.err, "receipt longer than %zu bytes", cap);
    return (int)b.len;
}

int receipt_build_test(const struct printer_profile *p, const char *url, uint8_t *out, size_t cap)
{
    struct escpos_buf b;
    char ruler[64];
    int rc = 0;
    escpos_buf_init(&b, out, cap);
    escpos_init(&b);
    escpos_chinese(&b, true);
    escpos_align(&b, ESCPOS_CENTER);
    escpos_size(&b, 2, 2);
    escpos_text(&b, "打印测试 TEST");
    escpos_newline(&b);
    escpos_size(&b, 1, 1);
    escpos_text(&b, p->name);
    escpos_text(&b, p->native_qr ? " / GS ( k QR" : " / raster QR");
    escpos_newline(&b);
    escpos_align(&b, ESCPOS_LEFT);
    int n = p->columns < (int)sizeof ruler - 1 ? p->columns : (int)sizeof ruler - 1;
    for (int i = 0; i < n; i++)
        ruler[i] = (char)('0' + (i + 1) % 10);
    ruler[n] = '\0';
    escpos_text(&b, ruler);
    escpos_newline(&b);
    escpos_text(&b, "深圳市街道办事处 自助服务终端");
    escpos_newline(&b);
    escpos_text(&b, "公共租赁住房 / 家庭养老床位");
    escpos_newline(&b);
    if (url && *url) {
        rc = put_qr(&b, p, url);
        if (rc)
            goto out;
        escpos_align(&b, ESCPOS_LEFT);
    }
    escpos_feed(&b, 4);
    escpos_cut(&b, true);
out:
    escpos_buf_release(&b);
    if (rc)
        return rc;
    if (b.err)
        return kerr(b.err, "test page longer than %zu bytes", cap);
    return (int)b.len;
}
