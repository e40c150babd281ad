/* scr_queue.c — one queue entry: the position in big block digits with the
 * same number in plain digits beside them (for screen readers and checks),
 * the monthly-allocation chart, then the core's lines (status, masked
 * identity, ordering keys, change since the published list, estimate). */
#include <string.h>

#include "screens/screen.h"

static void queue_draw(struct ui *ui, const struct sess_view *v)
{
    int scale = ui->roomy ? 2 : 1;
    int x = 2, y = ui->body_top + 1;
    int chart_w = ui->roomy ? 3 * SV_CHART + 2 : 2 * SV_CHART + 12;
    int chart_h = ui->roomy ? 9 : 6;
    int chart_x = ui->cols - chart_w - 2;
    int top_h = 6;                       /* big digits (5 rows) + caption */
    if (ui->roomy)
        top_h = chart_h + 1;
    if (v->big) {
        int bw = ui_big_digits(y, x, v->big_digits, scale);
        int cw = ui_width(v->big_caption);
        if (x + bw + 3 + cw < chart_x - 1)
            ui_put(y + 2, x + bw + 3, v->big_caption, chart_x - (x + bw + 3) - 1,
                   ui_attr(UP_ACCENT));
        else
            ui_put(y + 5, x, v->big_caption, chart_x - x - 1, ui_attr(UP_ACCENT));
    }
    if (v->chart)
        ui_chart(y, chart_x, chart_h, chart_w, v);
    ui_lines(ui, v, y + top_h + (ui->roomy ? 1 : 0), ui->body_bottom, x + 1, ui->cols - 2 * x - 1);
}

const struct screen_ops scr_queue = {
    .name = "queue",
    .draw = queue_draw,
};
