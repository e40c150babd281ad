/* staff_detail.c — the console's detail screens (a queue entry, a bed
 * application, the check results): the core's lines, scrollable with
 * PgUp/PgDn when the history is long, and below them the menu of what may
 * be done now (only what the user's roles and the record's state allow;
 * the core decided that). */
#include "screens/screen.h"
#include "screens/staff.h"

/* Rows for the menu at the bottom of the body: a heading and the items. */
static int menu_rows(const struct con_view *v)
{
    return v->n_items ? v->n_items + 1 : 0;
}

static int line_rows(const struct staff_ui *ui, const struct con_view *v)
{
    int n = ui->bottom - ui->top - menu_rows(v);
    return n < 1 ? 1 : n;
}

static bool detail_action(struct staff_ui *ui, const struct con_view *v, enum con_action a)
{
    int page = line_rows(ui, v);
    int max = v->n_lines - page;
    if (max < 0)
        max = 0;
    if (a == CA_PGDN)
        ui->scroll = ui->scroll + page > max ? max : ui->scroll + page;
    else if (a == CA_PGUP)
        ui->scroll = ui->scroll - page < 0 ? 0 : ui->scroll - page;
    else
        return false;
    return true;
}

static void detail_enter(struct staff_ui *ui) { ui->scroll = 0; }

static void detail_draw(struct staff_ui *ui, const struct con_view *v)
{
    int h = line_rows(ui, v);
    if (ui->scroll > v->n_lines - 1)
        ui->scroll = v->n_lines > 0 ? v->n_lines - 1 : 0;
    int y = ui->top;
    for (int i = ui->scroll; i < v->n_lines && y < ui->top + h; i++, y++) {
        const struct cv_line *l = &v->line[i];
        int attr = l->kind == CVK_HEAD   ? ui_attr(UP_ACCENT)
                   : l->kind == CVK_WARN ? ui_attr(UP_WARN)
                   : l->kind == CVK_GOOD ? ui_attr(UP_GOOD)
                   : l->kind == CVK_NOTE ? (int)A_DIM
                                         : (int)A_NORMAL;
        ui_put(y, 1, l->text, ui->cols - 3, attr);
    }
    if (ui->scroll > 0)
        ui_put(ui->top, ui->cols - 2, "↑", 1, A_BOLD);
    if (ui->scroll + h < v->n_lines)
        ui_put(ui->top + h - 1, ui->cols - 2, "↓", 1, A_BOLD);
    if (!v->n_items)
        return;
    y = ui->top + h;
    mvhline(y, 1, ACS_HLINE, ui->cols - 2);
    y++;
    for (int i = 0; i < v->n_items && y < ui->bottom; i++, y++) {
        int attr = i == v->item_sel ? ui_attr(UP_SELECT) : (int)A_NORMAL;
        ui_put(y, 2, i == v->item_sel ? "▶ " : "  ", 2, attr);
        ui_put(y, 4, v->item[i].label, ui->cols - 6, attr);
        ui->item_at[ui->n_item_at].y = y;
        ui->item_at[ui->n_item_at].item = i;
        ui->n_item_at++;
    }
}

const struct staff_screen_ops staff_detail = {
    .name = "detail",
    .on_action = detail_action,
    .enter = detail_enter,
    .draw = detail_draw,
};
