/* widgets.c — the drawing pieces the resident screens share: text measured
 * and cut in columns (CJK characters are two), the frame (title, message,
 * key hints, status line), scrolling line lists, big block digits, the
 * monthly chart, the QR in half blocks and the idle countdown box. */
#include <stdio.h>
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

static int wrap(int y, int ymax, int x, const char *s, int maxcols, int attr, bool draw);

int ui_put_wrapped(int y, int ymax, int x, const char *s, int maxcols, int attr)
{
    return wrap(y, ymax, x, s, maxcols, attr, true);
}

/* Rows the text needs, wrapped to maxcols. */
static int wrapped_rows(const char *s, int maxcols)
{
    return wrap(0, 1 << 20, 0, s, maxcols, 0, false);
}

static int wrap(int y, int ymax, int x, const char *s, int maxcols, int attr, bool draw)
{
    if (maxcols <= 0)
        return 0;
    /* where to break is the core's rule (kiosk/linebreak.h): after a space
     * or between CJK characters, never so that a line begins with "，" */
    int rows = 0;
    while (*s && y + rows < ymax) {
        size_t n = linebreak_fit(s, maxcols, NULL);
        char line[1024];
        size_t k = n < sizeof line - 1 ? n : sizeof line - 1;
        memcpy(line, s, k);
        line[k] = '\0';
        if (draw)
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
    if (v->message[0]) {
        /* a warning says so with a sign, not with its colour alone */
        int ma = ui_attr(v->message_warn ? UP_WARN : UP_GOOD);
        int mx = 2;
        if (v->message_warn)
            mx += ui_put(ui->body_bottom, mx, UI_WARN_SIGN, ui->cols - 4, ma);
        ui_put(ui->body_bottom, mx, v->message, ui->cols - 2 - mx, ma);
    }
    /* the hints are touch buttons: roomy (padding, a gap) so a finger finds them */
    /* ... and paged with a More button, never dropped: every action within reach of a finger */
    struct hintbar_style hs = {.pad = 1, .gap = 2, .min_gap = 1, .keep = {ACT_HELP, ACT_ESCAPE},
                               .rows = ui->hint_rows, .more = true, .attr = ui_attr(UP_SELECT),
                               .key_attr = ui_attr(UP_SELECT)};
    int acts[KEYTAB_MAX_ACTIONS + 8], n = 0;
    for (int i = 0; i < v->n_acts; i++)
        acts[n++] = v->acts[i];
    for (int i = 0; i < ui->n_extra && i < 8; i++)
        if (!keymap_offered(v->acts, v->n_acts, ui->extra[i]))
            acts[n++] = ui->extra[i];
    if (ui->hint_screen != v->screen) {
        ui->hints.page = 0;
        ui->hint_screen = v->screen;
    }
    hintbar_draw(&ui->hints, ui->keys, KS_RESIDENT, acts, n, v->lang, ui->rows - 2, 1, ui->cols - 2, &hs);
    int sa = ui_attr(v->device_trouble ? UP_WARN : UP_STATUS);
    fill_row(ui->rows - 1, sa);
    int sx = 1;
    if (v->device_trouble)
        sx += ui_put(ui->rows - 1, sx, UI_WARN_SIGN, ui->cols - 2, sa);
    ui_put(ui->rows - 1, sx, v->status, ui->cols - 1 - sx, sa);
}

static void scroll_sign(struct ui *ui, int y, int x, const char *sign, int act)
{
    ui_put(y, x, " ", 1, ui_attr(UP_SELECT));
    ui_put(y, x + 1, sign, 1, ui_attr(UP_SELECT));
    ui_put(y, x + 2, " ", 1, ui_attr(UP_SELECT));
    if (ui->n_taps < UI_MAX_TAPS) {
        ui->tap[ui->n_taps].y = y;
        ui->tap[ui->n_taps].x0 = x;
        ui->tap[ui->n_taps].x1 = x + 3;
        ui->tap[ui->n_taps].act = act;
        ui->n_taps++;
    }
}

/* Rows a line that is not a list item takes at width w, as ui_lines draws it. */
static int text_rows(const struct ui *ui, const struct sv_line *l, int w)
{
    if (l->done)
        return wrapped_rows(l->text, w - 2);
    if (!l->text[0])
        return ui->rows >= UI_SHORT_ROWS;
    if (l->kind == SVL_WARN)
        return wrapped_rows(l->text, w - ui_width(UI_WARN_SIGN));
    return wrapped_rows(l->text, w);
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
    /* a text without items scrolls (ui->scroll: Up/Down, the wheel, a touch on ▲/▼) */
    if (v->selected < 0) {
        if (ui->scroll > v->n_lines - 1)
            ui->scroll = v->n_lines > 0 ? v->n_lines - 1 : 0;
        first = ui->scroll;
    }
    /* the large layout (the accessibility key): list items two rows tall —
     * bigger to read and to touch — when the whole list fits that way */
    int item_extra = 0;
    if (ui->large && v->selected >= 0) {
        int need = 0;
        for (int j = 0; j < v->n_lines; j++) {
            const struct sv_line *l = &v->line[j];
            if (l->kind == SVL_ITEM)
                need += (ui_width(l->text) > maxcols - 2 ? wrapped_rows(l->text, maxcols - 2) : 1) + 1;
            else
                need += text_rows(ui, l, maxcols);
        }
        if (need <= avail) {
            item_extra = 1;
            first = 0;
        }
    }
    /* A text that scrolls is wrapped 3 columns short: the right edge keeps
     * room for its ▲/▼ signs, which would otherwise cover the end of a line
     * ("what sets your plac ▲" lost the "e" of "place"). */
    int tw = maxcols;
    if (v->selected < 0) {
        int need = 0;
        for (int j = 0; j < v->n_lines && need <= avail; j++)
            need += v->line[j].kind == SVL_ITEM ? 1 : text_rows(ui, &v->line[j], maxcols);
        if (need > avail || first > 0)
            tw = maxcols - 3;
    }
    int row = y;
    int i = first;
    bool cut = false;   /* the last line drawn did not fit whole */
    for (; i < v->n_lines && row < ymax; i++) {
        const struct sv_line *l = &v->line[i];
        int attr = ui_attr(UP_NORMAL);
        switch (l->kind) {
        case SVL_HEAD: attr = ui_attr(UP_ACCENT); break;
        case SVL_WARN: attr = ui_attr(UP_WARN); break;   /* and the sign, below */
        case SVL_GOOD: attr = ui_attr(UP_GOOD); break;
        case SVL_NOTE: attr = A_NORMAL; break;
        default: break;
        }
        if (l->kind == SVL_ITEM) {
            bool sel = i == v->selected;
            attr = sel ? ui_attr(UP_SELECT) : ui_attr(UP_NORMAL);
            /* one row on a wide screen; wrapped on a narrow one, so nothing is cut */
            int h = ui_width(l->text) > maxcols - 2 ? wrapped_rows(l->text, maxcols - 2) : 1;
            if (h < 1)
                h = 1;
            h += item_extra;
            if (row + h > ymax)
                h = ymax - row;
            attrset((attr_t)attr);
            for (int r = 0; r < h && row + r < ymax; r++)
                mvhline(row + r, x, ' ', maxcols);
            attrset(A_NORMAL);
            ui_put(row, x, sel ? "▶ " : "  ", 2, attr);
            if (h > 1)
                ui_put_wrapped(row, ymax, x + 2, l->text, maxcols - 2, attr);
            else
                ui_put(row, x + 2, l->text, maxcols - 2, attr);
            for (int r = 0; r < h && ui->n_item_rows < SV_MAX_LINES; r++) {
                ui->item_row[ui->n_item_rows].y = row + r;
                ui->item_row[ui->n_item_rows].line = i;
                ui->n_item_rows++;
            }
            row += h;
        } else if (l->done) {
            ui_put(row, x, l->done == 2 ? "● " : "✓ ", 2, ui_attr(UP_ACCENT));
            row += ui_put_wrapped(row, ymax, x + 2, l->text, tw - 2,
                                  l->done == 2 ? ui_attr(UP_ACCENT) : attr);
        } else if (!l->text[0]) {
            row += ui->rows >= UI_SHORT_ROWS;   /* blank lines are a luxury of tall screens */
        } else if (l->kind == SVL_WARN) {
            int sw = ui_put(row, x, UI_WARN_SIGN, tw, attr);
            row += ui_put_wrapped(row, ymax, x + sw, l->text, tw - sw, attr);
        } else {
            int need = wrapped_rows(l->text, tw);
            cut = row + need > ymax;
            row += ui_put_wrapped(row, ymax, x, l->text, tw, attr);
        }
    }
    if (v->selected >= 0)
        return;
    if (cut)
        i--;   /* scrolling on brings that line to the top */
    /* more above or below: a sign at the right edge, which a touch scrolls */
    ui->more = i < v->n_lines;
    int ax = x + maxcols - 3;
    if (first > 0)
        scroll_sign(ui, y, ax, "▲", UI_TAP_SCROLL_UP);
    if (ui->more)
        scroll_sign(ui, ymax - 1, ax, "▼", UI_TAP_SCROLL_DOWN);
}

/* ---- big digits: a 5×7 dot-matrix font ------------------------------------------
 * The shapes of a lift's or a bank queue display, which elders read at a
 * glance; 7 dots tall tells 3 from 8 and 6 from 0, which the old 3×5 blocks
 * did not.  scale 1 draws two dot rows per terminal row with half blocks
 * (▀ ▄ █): 5 columns × 4 rows a digit; scale 2 draws each dot as a full
 * block two columns wide: 10 columns × 7 rows. */
static const char *const font[10][7] = {
    {".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."},
    {"..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."},
    {".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"},
    {"#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."},
    {"...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."},
    {"#####", "#....", "####.", "....#", "....#", "#...#", ".###."},
    {"..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."},
    {"#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."},
    {".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."},
    {".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."},
};

static int digit_count(const char *digits)
{
    int n = 0;
    for (const char *d = digits; *d; d++)
        n += *d >= '0' && *d <= '9';
    return n;
}

int ui_big_width(const char *digits, int scale)
{
    int n = digit_count(digits);
    return n ? n * 6 * scale - scale : 0;
}

int ui_big_height(int scale)
{
    return scale >= 2 ? 7 : 4;
}

int ui_big_digits(int y, int x, const char *digits, int scale)
{
    int attr = ui_attr(UP_ACCENT);
    int cx = x;
    for (const char *d = digits; *d; d++) {
        if (*d < '0' || *d > '9')
            continue;
        const char *const *g = font[*d - '0'];
        if (scale >= 2) {
            for (int r = 0; r < 7; r++)
                for (int c = 0; c < 5; c++)
                    if (g[r][c] == '#')
                        ui_put(y + r, cx + 2 * c, "██", 2, attr);
        } else {
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 5; c++) {
                    bool top = g[2 * r][c] == '#', bot = 2 * r + 1 < 7 && g[2 * r + 1][c] == '#';
                    if (top || bot)
                        ui_put(y + r, cx + c, top && bot ? "█" : top ? "▀" : "▄", 1, attr);
                }
        }
        cx += 6 * scale;
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

int ui_field_box(int label_w, int maxcols)
{
    /* 24 columns; narrower (down to 14: a receipt number) to stay beside the label */
    if (label_w + 2 + 24 <= maxcols)
        return 24;
    if (maxcols - label_w - 2 >= 14)
        return maxcols - label_w - 2;
    return maxcols < 24 ? maxcols : 24;
}

int ui_fields(int y, int x, const struct sess_view *v, int maxcols, bool gap)
{
    /* label and box on one row when both fit, else the box under its label */
    int lw = 0;
    for (int i = 0; i < v->n_fields; i++) {
        int w = ui_width(v->field[i].label);
        lw = w > lw ? w : lw;
    }
    int boxw = ui_field_box(lw, maxcols);
    bool one_row = lw + 2 + boxw <= maxcols;
    int row = y;
    for (int i = 0; i < v->n_fields; i++) {
        const struct sv_field *f = &v->field[i];
        ui_put(row, x, f->label, maxcols, ui_attr(UP_NORMAL));
        int fx = x + lw + 2;
        if (!one_row) {
            row++;
            fx = x;
        }
        int attr = f->active ? ui_attr(UP_SELECT) : (int)A_UNDERLINE;
        attrset((attr_t)attr);
        mvhline(row, fx, ' ', boxw);
        attrset(A_NORMAL);
        int vw = ui_put(row, fx + 1, f->value, boxw - 2, attr);
        if (f->active)
            ui_put(row, fx + 1 + vw, "_", 1, attr | A_BLINK);
        row++;
        if (gap && i + 1 < v->n_fields)
            row++;
    }
    return row - y;
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
    /* a box over the middle: the sign, then the text wrapped inside it */
    int w = ui_width(v->countdown_text) + 8;
    if (w > ui->cols - 2)
        w = ui->cols - 2;
    int inner = w - 4;
    int lines = wrapped_rows(v->countdown_text, inner - ui_width(UI_WARN_SIGN));
    if (lines > ui->rows - 4)
        lines = ui->rows - 4;
    int h = lines + 3;
    int x = (ui->cols - w) / 2, y = (ui->rows - h) / 2;
    int attr = ui_attr(UP_WARN);
    attrset((attr_t)attr);
    for (int r = 0; r < h; r++)
        mvhline(y + r, x, ' ', w);
    attrset(A_NORMAL);
    ui_put(y + 1, x + 2, UI_WARN_SIGN, inner, attr);
    ui_put_wrapped(y + 1, y + h - 1, x + 2 + ui_width(UI_WARN_SIGN), v->countdown_text,
                   inner - ui_width(UI_WARN_SIGN), attr);
}

/* ---- the on-screen pad and the keypad's letter picker --------------------------- */

struct pad_key {
    char label[24];
    int act;
    int w;
};

/* The keys to draw for the view: the picker's choices while it is open, else
 * the touch pad of the active field.  Returns how many. */
static int pad_keys(const struct sess_view *v, struct pad_key *k, int cap)
{
    int n = 0;
    if (v->n_pick > 0) {
        for (int i = 0; i < v->n_pick && n < cap; i++, n++) {
            snprintf(k[n].label, sizeof k[n].label, " %s %s ", v->pick[i].key, v->pick[i].label);
            k[n].act = ACT_DIGIT_0 + (v->pick[i].key[0] - '0');
        }
    } else if (v->pad != SVP_NONE) {
        for (int d = 1; d <= 10 && n < cap; d++, n++) {
            snprintf(k[n].label, sizeof k[n].label, " %d ", d % 10);
            k[n].act = ACT_DIGIT_0 + d % 10;
        }
        for (int c = 0; c < 26 && n < cap; c++) {
            if (v->pad == SVP_DIGITS || (v->pad == SVP_ID_END && c != 'X' - 'A'))
                continue;
            snprintf(k[n].label, sizeof k[n].label, " %c ", 'A' + c);
            k[n].act = ACT_CHAR_A + c;
            n++;
        }
        if (n + 2 <= cap) {
            snprintf(k[n].label, sizeof k[n].label, " ⌫ ");
            k[n++].act = ACT_BACKSPACE;
            snprintf(k[n].label, sizeof k[n].label, " OK ");
            k[n++].act = ACT_ENTER;
        }
    }
    for (int i = 0; i < n; i++)
        k[i].w = ui_width(k[i].label);
    return n;
}

/* Lay the keys out in rows of maxcols (a column between keys when there is
 * room for it); draw them when draw is set.  Returns the rows of keys. */
static int pad_flow(struct ui *ui, const struct pad_key *k, int n, int y, int x, int maxcols,
                    bool draw)
{
    if (n == 0)
        return 0;
    int gap = maxcols >= 60 ? 1 : 0;
    int rows = 1, cx = 0;
    for (int i = 0; i < n; i++) {
        if (cx > 0 && cx + k[i].w > maxcols) {
            rows++;
            cx = 0;
        }
        if (draw) {
            /* neighbours in two colours, so keys without a gap stay apart */
            int attr = ui_attr(i % 2 ? UP_TITLE : UP_SELECT);
            ui_put(y + rows - 1, x + cx, k[i].label, k[i].w, attr);
            if (ui->n_taps < UI_MAX_TAPS) {
                ui->tap[ui->n_taps].y = y + rows - 1;
                ui->tap[ui->n_taps].x0 = x + cx;
                ui->tap[ui->n_taps].x1 = x + cx + k[i].w;
                ui->tap[ui->n_taps].act = k[i].act;
                ui->n_taps++;
            }
        }
        cx += k[i].w + gap;
    }
    return rows;
}

int ui_pad_rows(const struct sess_view *v, int maxcols)
{
    struct pad_key k[48];
    int n = pad_keys(v, k, 48);
    if (n == 0)
        return 0;
    int title = 0;
    if (v->n_pick > 0)
        title = (ui_width(v->pick_title) + maxcols - 1) / maxcols;
    return title + pad_flow(NULL, k, n, 0, 0, maxcols, false);
}

int ui_pad(struct ui *ui, const struct sess_view *v, int y, int ymax, int x, int maxcols)
{
    struct pad_key k[48];
    int n = pad_keys(v, k, 48);
    int need = ui_pad_rows(v, maxcols);
    if (n == 0 || need > ymax - y)
        return 0;
    int used = 0;
    if (v->n_pick > 0)
        used = ui_put_wrapped(y, ymax, x, v->pick_title, maxcols, ui_attr(UP_ACCENT));
    return used + pad_flow(ui, k, n, y + used, x, maxcols, true);
}
