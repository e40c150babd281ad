/* widgets.c — the drawing pieces the resident screens share: text measured
 * and cut in columns (CJK characters are two), the frame (title, message,
 * key hints, status line), scrolling line lists, big block digits, the
 * monthly chart, the QR in half blocks and the idle countdown box. */
#include <stdlib.h>
#include <string.h>

#include "devices/qr.h"
#include "kiosk/linebreak.h"
#include "screens/screen.h"

int ui_attr(enum ui_pair p)
{
    /* without colour, fall back to attributes that still stand out */
    static const int mono[UP__COUNT] = {
        [UP_NORMAL] = A_NORMAL, [UP_TITLE] = A_REVERSE | A_BOLD, [UP_SELECT] = A_REVERSE,
        [UP_WARN] = A_BOLD | A_UNDERLINE, [UP_GOOD] = A_BOLD, [UP_QR] = A_NORMAL,
        [UP_STATUS] = A_REVERSE, [UP_ACCENT] = A_BOLD,
    };
    if (!has_colors())
        return mono[p];
    return (int)COLOR_PAIR(p) | (p == UP_TITLE || p == UP_WARN || p == UP_ACCENT ||
                                         p == UP_SELECT ? A_BOLD : 0);
}

/* Decode one UTF-8 character; returns bytes used (≥ 1) and its width in *w. */
static int next_char(const char *s, wchar_t *wc, int *w)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t n = mbrtowc(wc, s, MB_CUR_MAX, &st);
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
        *wc = L'?';
        *w = 1;
        return 1;
    }
    int cw = wcwidth(*wc);
    *w = cw < 0 ? 0 : cw;
    return (int)n;
}

int ui_width(const char *s)
{
    int total = 0;
    while (*s) {
        wchar_t wc;
        int w;
        s += next_char(s, &wc, &w);
        total += w;
    }
    return total;
}

int ui_put(int y, int x, const char *s, int maxcols, int attr)
{
    if (y < 0 || y >= LINES || x < 0 || x >= COLS || maxcols <= 0)
        return 0;
    if (x + maxcols > COLS)
        maxcols = COLS - x;
    wchar_t buf[512];
    int n = 0, used = 0;
    while (*s && n < (int)(sizeof buf / sizeof buf[0]) - 1) {
        wchar_t wc;
        int w;
        int len = next_char(s, &wc, &w);
        if (used + w > maxcols)
            break;
        if (w == 0 && (wc < 0x20 || wc == 0x7f)) {   /* control characters never reach the tty */
            s += len;
            continue;
        }
        buf[n++] = wc;
        used += w;
        s += len;
    }
    buf[n] = 0;
    attr_t old_a;
    short old_p;
    attr_get(&old_a, &old_p, NULL);
    attrset((attr_t)attr);
    mvaddnwstr(y, x, buf, n);
    attr_set(old_a, old_p, NULL);
    return used;
}

int ui_put_wrapped(int y, int ymax, int x, const char *s, int maxcols, int attr)
{
    /* where to break is the core's rule (kiosk/linebreak.h): after a space
     * or between CJK characters, never so that a line begins with "，" */
    int rows = 0;
    while (*s && y + rows < ymax) {
        size_t n = linebreak_fit(s, maxcols, NULL);
        char line[1024];
        size_t k = n < sizeof line - 1 ? n : sizeof line - 1;
        memcpy(line, s, k);
        line[k] = '\0';
        ui_put(y + rows, x, line, maxcols, attr);
        rows++;
        s += n;
        while (*s == ' ')
            s++;
    }
    return rows;
}

static void fill_row(int y, int attr)
{
    attrset((attr_t)attr);
    mvhline(y, 0, ' ', COLS);
    attrset(A_NORMAL);
}

void ui_frame(struct ui *ui, const struct sess_view *v)
{
    fill_row(0, ui_attr(UP_TITLE));
    ui_put(0, 2, v->title, ui->cols - 4, ui_attr(UP_TITLE));
    if (v->message[0])
        ui_put(ui->rows - 3, 2, v->message, ui->cols - 4,
               ui_attr(v->message_warn ? UP_WARN : UP_GOOD));
    /* the hints are touch buttons: roomy (padding, a gap) so a finger finds them */
    struct hintbar_style hs = {.pad = 1, .gap = 2, .min_gap = 1, .keep = {ACT_HELP, ACT_ESCAPE}, .attr = ui_attr(UP_SELECT),
                               .key_attr = ui_attr(UP_SELECT), .text_attr = ui_attr(UP_ACCENT)};
    hintbar_draw(&ui->hints, ui->keys, KS_RESIDENT, v->acts, v->n_acts, v->hint, v->lang,
                 ui->rows - 2, 1, ui->cols - 2, &hs);
    int sa = ui_attr(v->device_trouble ? UP_WARN : UP_STATUS);
    fill_row(ui->rows - 1, sa);
    ui_put(ui->rows - 1, 1, v->status, ui->cols - 2, sa);
}

void ui_lines(struct ui *ui, const struct sess_view *v, int y, int ymax, int x, int maxcols)
{
    int avail = ymax - y;
    if (avail <= 0)
        return;
    int first = 0;
    /* keep the selected item on screen: lists (picker, summary) are one row per line */
    if (v->selected >= avail)
        first = v->selected - avail + 1;
    int row = y;
    for (int i = first; i < v->n_lines && row < ymax; i++) {
        const struct sv_line *l = &v->line[i];
        int attr = ui_attr(UP_NORMAL);
        switch (l->kind) {
        case SVL_HEAD: attr = ui_attr(UP_ACCENT); break;
        case SVL_WARN: attr = ui_attr(UP_WARN); break;
        case SVL_GOOD: attr = ui_attr(UP_GOOD); break;
        case SVL_NOTE: attr = A_NORMAL; break;
        default: break;
        }
        if (l->kind == SVL_ITEM) {
            bool sel = i == v->selected;
            attr = sel ? ui_attr(UP_SELECT) : ui_attr(UP_NORMAL);
            if (sel) {
                attrset((attr_t)attr);
                mvhline(row, x, ' ', maxcols);
                attrset(A_NORMAL);
            }
            ui_put(row, x, sel ? "▶ " : "  ", 2, attr);
            ui_put(row, x + 2, l->text, maxcols - 2, attr);
            if (ui->n_item_rows < SV_MAX_LINES) {
                ui->item_row[ui->n_item_rows].y = row;
                ui->item_row[ui->n_item_rows].line = i;
                ui->n_item_rows++;
            }
            row++;
        } else if (l->done) {
            ui_put(row, x, l->done == 2 ? "● " : "✓ ", 2, ui_attr(UP_ACCENT));
            row += ui_put_wrapped(row, ymax, x + 2, l->text, maxcols - 2,
                                  l->done == 2 ? ui_attr(UP_ACCENT) : attr);
        } else if (!l->text[0]) {
            row++;
        } else {
            row += ui_put_wrapped(row, ymax, x, l->text, maxcols, attr);
        }
    }
}

/* ---- big digits: a 3×5 block font, each pixel `scale` columns wide ---------- */
static const char *const font[10][5] = {
    {"###", "# #", "# #", "# #", "###"}, {" # ", "## ", " # ", " # ", "###"},
    {"###", "  #", "###", "#  ", "###"}, {"###", "  #", "###", "  #", "###"},
    {"# #", "# #", "###", "  #", "  #"}, {"###", "#  ", "###", "  #", "###"},
    {"###", "#  ", "###", "# #", "###"}, {"###", "  #", "  #", "  #", "  #"},
    {"###", "# #", "###", "# #", "###"}, {"###", "# #", "###", "  #", "###"},
};

int ui_big_width(const char *digits, int scale)
{
    int n = (int)strlen(digits);
    return n ? n * (3 * scale + scale) - scale : 0;
}

int ui_big_digits(int y, int x, const char *digits, int scale)
{
    int attr = ui_attr(UP_ACCENT);
    int cx = x;
    for (const char *d = digits; *d; d++) {
        if (*d < '0' || *d > '9')
            continue;
        for (int r = 0; r < 5; r++)
            for (int c = 0; c < 3; c++)
                for (int k = 0; k < scale; k++)
                    if (font[*d - '0'][r][c] == '#')
                        ui_put(y + r, cx + c * scale + k, "█", 1, attr);
        cx += 3 * scale + scale;
    }
    return cx - x - scale;
}

/* ---- the monthly chart: eighth blocks, one bar per month ---------------------- */
void ui_chart(int y, int x, int h, int w, const struct sess_view *v)
{
    static const char *const eighths[9] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    if (h < 3 || w < SV_CHART * 2)
        return;
    int max = 0;
    for (int i = 0; i < SV_CHART; i++)
        if (v->chart_val[i] > max)
            max = v->chart_val[i];
    ui_put(y, x, v->chart_title, w, ui_attr(UP_ACCENT));
    int bars = h - 2;                       /* rows for the bars */
    int bw = w / SV_CHART >= 3 ? 2 : 1;     /* bar width */
    int step = w / SV_CHART >= 3 ? 3 : 2;
    for (int i = 0; i < SV_CHART; i++) {
        int eighths_tall = max ? (v->chart_val[i] * bars * 8 + max - 1) / max : 0;
        for (int r = 0; r < bars; r++) {
            int level = eighths_tall - (bars - 1 - r) * 8;
            level = level < 0 ? 0 : level > 8 ? 8 : level;
            for (int k = 0; k < bw; k++)
                ui_put(y + 1 + r, x + i * step + k, eighths[level], 1, ui_attr(UP_NORMAL));
        }
        ui_put(y + 1 + bars, x + i * step, v->chart_label[i], 2, A_NORMAL);
    }
}

void ui_fields(int y, int x, const struct sess_view *v, int maxcols)
{
    for (int i = 0; i < v->n_fields; i++) {
        const struct sv_field *f = &v->field[i];
        int lw = ui_put(y + i * 2, x, f->label, maxcols / 2, ui_attr(UP_NORMAL));
        int fx = x + (lw > 20 ? lw : 20) + 2;
        int boxw = 24;
        int attr = f->active ? ui_attr(UP_SELECT) : (int)A_UNDERLINE;
        attrset((attr_t)attr);
        mvhline(y + i * 2, fx, ' ', boxw);
        attrset(A_NORMAL);
        ui_put(y + i * 2, fx + 1, f->value, boxw - 2, attr);
        if (f->active)
            ui_put(y + i * 2, fx + 1 + ui_width(f->value), "_", 1, attr | A_BLINK);
    }
}

void ui_qr_release(struct ui *ui)
{
    if (ui->qr) {
        qr_text_free(ui->qr);
        free(ui->qr);
        ui->qr = NULL;
    }
    ui->qr_for[0] = '\0';
}

int ui_qr(struct ui *ui, int y, int x, int h, int w, const char *url)
{
    if (!url || !*url)
        return 0;
    if (!ui->qr || strcmp(ui->qr_for, url)) {
        ui_qr_release(ui);
        ui->qr = calloc(1, sizeof *ui->qr);
        if (!ui->qr || qr_text_for(url, 2, ui->qr) != 0) {
            free(ui->qr);
            ui->qr = NULL;
            return 0;
        }
        snprintf(ui->qr_for, sizeof ui->qr_for, "%s", url);
    }
    if (ui->qr->lines > h || ui->qr->cols > w)
        return 0;
    for (int i = 0; i < ui->qr->lines; i++)
        ui_put(y + i, x, ui->qr->line[i], ui->qr->cols, ui_attr(UP_QR));
    return ui->qr->cols;
}

void ui_countdown(struct ui *ui, const struct sess_view *v)
{
    if (!v->countdown)
        return;
    int w = ui_width(v->countdown_text) + 6;
    if (w > ui->cols - 2)
        w = ui->cols - 2;
    int x = (ui->cols - w) / 2, y = ui->rows / 2 - 2;
    int attr = ui_attr(UP_WARN);
    attrset((attr_t)attr);
    for (int r = 0; r < 5; r++)
        mvhline(y + r, x, ' ', w);
    attrset(A_NORMAL);
    ui_put(y + 2, x + 3, v->countdown_text, w - 6, attr);
}
