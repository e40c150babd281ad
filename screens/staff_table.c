/* staff_table.c — every console screen that is a table with a selection:
 * the home menu, the programmes, the queue browser, bed applications,
 * kiosks, accounts, the audit browser and the reports (a bar column: the
 * core gives each row's share, the bar is scaled here to the width).  Columns come from the view model
 * (title, width in columns, alignment); cells are measured and cut in
 * columns, never bytes (CJK names and districts take 2 per character).
 * The core fetches a page of 40 rows; a 24-row terminal shows the part of
 * it around the selection. */
#include <string.h>

#include "screens/screen.h"
#include "screens/staff.h"

/* Each column's x and width for this terminal; the 0-width column takes the
 * rest.  The view's wide column on a terminal narrower than its wide_min is
 * hidden (width 0, never drawn); when that is the 0-width one, the last
 * column shown takes the rest instead (the audit list: the object column
 * widens to the edge on 80 columns, the detail column appears beside it on
 * a wide terminal). */
static void col_layout(const struct con_view *v, int cols, int *x, int *w)
{
    int fixed = 0, last = -1;
    bool shown[CV_COLS], flex_hidden = false, flex_shown = false;
    for (int i = 0; i < v->n_cols; i++) {
        shown[i] = i != v->wide_col || cols >= v->wide_min;
        if (!shown[i]) {
            flex_hidden |= v->col[i].width == 0;
            continue;
        }
        if (v->col[i].width)
            fixed += v->col[i].width + 1;
        else
            flex_shown = true;
        last = i;
    }
    int widen = -1;   /* a fixed column standing in for the hidden flexible one */
    if (flex_hidden && !flex_shown && last >= 0) {
        widen = last;
        fixed -= v->col[last].width + 1;
    }
    int pos = 1;
    for (int i = 0; i < v->n_cols; i++) {
        x[i] = pos;
        if (!shown[i]) {
            w[i] = 0;
            continue;
        }
        bool flex = v->col[i].width == 0 || i == widen;
        w[i] = flex ? cols - 2 - fixed : v->col[i].width;
        if (flex && w[i] < 4)
            w[i] = 4;
        pos += w[i] + 1;
    }
}

static void put_cell(int y, int x, int w, const char *s, bool right, int attr)
{
    if (x >= COLS)
        return;
    int sw = ui_width(s);
    int dx = right && sw < w ? w - sw : 0;
    ui_put(y, x + dx, s, w - dx, attr);
}

/* A horizontal bar of permille/1000 of w columns in eighths of a column:
 * whole cells of █, then one of ▏▎▍▌▋▊▉ for the rest.  Always at least ▏
 * for a non-zero value, so a count of one is visible next to thousands. */
static void put_bar(int y, int x, int w, unsigned permille, int attr)
{
    static const char *const part[8] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    if (w < 1 || x >= COLS)
        return;
    long eighths = (long)w * 8 * (permille > 1000 ? 1000 : permille) / 1000;
    if (permille && eighths == 0)
        eighths = 1;
    char buf[8 * 3 * 256 + 8];
    size_t o = 0;
    for (long i = 0; i < eighths / 8 && o + 4 < sizeof buf; i++) {
        memcpy(buf + o, "█", 3);
        o += 3;
    }
    const char *p = part[eighths % 8];
    if (o + strlen(p) < sizeof buf) {
        memcpy(buf + o, p, strlen(p));
        o += strlen(p);
    }
    buf[o] = '\0';
    ui_put(y, x, buf, w, attr);
}

static void table_draw(struct staff_ui *ui, const struct con_view *v)
{
    int y = ui->top;
    if (v->caption[0])
        ui_put(y++, 1, v->caption, ui->cols - 2, ui_attr(UP_ACCENT));
    int x[CV_COLS], w[CV_COLS];
    col_layout(v, ui->cols, x, w);
    bool header = false;
    for (int i = 0; i < v->n_cols; i++)
        header |= v->col[i].title[0] != '\0';
    if (header) {
        for (int i = 0; i < v->n_cols; i++)
            if (w[i])
                put_cell(y, x[i], w[i], v->col[i].title, v->col[i].right, A_BOLD | A_UNDERLINE);
        y++;
    }
    int avail = ui->bottom - y;
    if (avail < 1)
        return;
    /* the selected row in view, and the note under it (a span) with it */
    int last = v->selected >= 0 && v->selected + 1 < v->n_rows && v->row[v->selected + 1].span
                   ? v->selected + 1 : v->selected;
    int first = last >= avail ? last - avail + 1 : 0;
    for (int r = first; r < v->n_rows && y < ui->bottom; r++, y++) {
        const struct cv_row *row = &v->row[r];
        int attr = r == v->selected                ? ui_attr(UP_SELECT)
                   : row->kind == CVK_WARN        ? ui_attr(UP_WARN)
                   : row->kind == CVK_HEAD        ? (int)A_BOLD
                   : row->kind == CVK_NOTE        ? (int)A_DIM
                   : row->kind == CVK_GOOD        ? ui_attr(UP_GOOD)
                                                  : (int)A_NORMAL;
        if (attr != A_NORMAL) {
            attron(attr);
            mvhline(y, 0, ' ', ui->cols);
            attroff(attr);
        }
        if (row->span) {   /* a note across the table, under its row: not a row to pick */
            put_cell(y, 2, ui->cols - 3, row->cell[0], false, attr);
            continue;
        }
        for (int i = 0; i < v->n_cols; i++) {
            if (!w[i])
                continue;   /* hidden on this terminal */
            if (i == v->bar_col)
                put_bar(y, x[i], w[i], row->bar, attr == A_NORMAL ? ui_attr(UP_ACCENT) : attr);
            else
                put_cell(y, x[i], w[i], row->cell[i], v->col[i].right, attr);
        }
        ui->row_at[ui->n_row_at].y = y;
        ui->row_at[ui->n_row_at].row = r;
        ui->n_row_at++;
    }
    if (first > 0)
        ui_put(header ? ui->top + (v->caption[0] ? 1 : 0) : ui->top, ui->cols - 2, "↑", 1, A_BOLD);
    if (first + avail < v->n_rows)
        ui_put(ui->bottom - 1, ui->cols - 2, "↓", 1, A_BOLD);
}

const struct staff_screen_ops staff_table = {
    .name = "table",
    .draw = table_draw,
};
