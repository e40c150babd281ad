/* scr_lines.c — the screens that are a list of lines: reading, summary,
 * withdraw confirmation, the apply steps, end, the demo picker and help.
 * They differ only in what the core puts in the view, so they share one
 * ops table; a screen with its own shape has its own file. */
#include "screens/screen.h"

static void lines_draw(struct ui *ui, const struct sess_view *v)
{
    bool tall = ui->rows >= UI_SHORT_ROWS;
    int x = ui->roomy ? 6 : ui->cols >= UI_NARROW_COLS ? 3 : 2;
    int y = ui->body_top + (ui->roomy ? 2 : tall ? 1 : 0);
    int maxw = ui->cols - 2 * x;
    if (v->n_fields) {
        /* a typed value (the phone number) goes under the text, the touch pad under it */
        int used = 0;
        for (int i = 0; i < v->n_lines; i++)
            used += ui_put_wrapped(y + used, ui->body_bottom, x, v->line[i].text, maxw,
                                   ui_attr(v->line[i].kind == SVL_HEAD ? UP_ACCENT : UP_NORMAL));
        int fy = y + used + (tall ? 1 : 0);
        fy += ui_fields(fy, x, v, maxw, tall) + (tall ? 1 : 0);
        ui_pad(ui, v, fy, ui->body_bottom, x, maxw);
        return;
    }
    ui_lines(ui, v, y, ui->body_bottom, x, maxw);
}

const struct screen_ops scr_lines = {
    .name = "lines",
    .draw = lines_draw,
};
