/* scr_attract.c — the attract screen: place your card, or type a receipt
 * number and the last 6 characters of the ID number. */
#include "screens/screen.h"

static void attract_draw(struct ui *ui, const struct sess_view *v)
{
    int x = ui->roomy ? 8 : 4;
    int maxw = ui->cols - 2 * x;
    int y = ui->body_top + (ui->roomy ? 4 : 2);
    /* the first line is the invitation: centred and loud */
    if (v->n_lines > 0) {
        int w = ui_width(v->line[0].text);
        int cx = w < ui->cols ? (ui->cols - w) / 2 : 0;
        ui_put(y, cx, v->line[0].text, ui->cols, ui_attr(UP_ACCENT));
        if (ui->roomy)
            ui_put(y + 2, (ui->cols - 20) / 2, "▁▂▃▄▅▆▇█ ID █▇▆▅▄▃▂▁", 20, ui_attr(UP_ACCENT));
    }
    y += ui->roomy ? 6 : 3;
    for (int i = 1; i < v->n_lines; i++)
        y += v->line[i].text[0] ? ui_put_wrapped(y, ui->body_bottom, x, v->line[i].text, maxw,
                                                 ui_attr(UP_NORMAL))
                                : 1;
    ui_fields(y + 1, x, v, maxw);
}

const struct screen_ops scr_attract = {
    .name = "attract",
    .draw = attract_draw,
};
