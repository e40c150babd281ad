/* staff_login.c — the console's login form: user name, and a password
 * that is never echoed (the view only carries how many characters were
 * typed; stars are drawn for them). */
#include <string.h>

#include "kiosk/i18n.h"
#include "screens/screen.h"
#include "screens/staff.h"

static void login_draw(struct staff_ui *ui, const struct con_view *v)
{
    int x = ui->cols / 2 - 22, y = ui->top + (ui->bottom - ui->top) / 2 - 3;
    if (x < 2)
        x = 2;
    ui_put(y, x, _("罗湖街道 staff console"), 44, ui_attr(UP_ACCENT));
    ui_put(y + 1, x, _("Log in with your staff account."), 44, A_NORMAL);
    const char *labels[2] = {_("User name:"), _("Password:")};
    for (int f = 0; f < 2; f++) {
        int fy = y + 3 + 2 * f;
        ui->field_y[f] = fy;
        ui_put(fy, x, labels[f], 14, f == v->login_field ? A_BOLD : A_NORMAL);
        char stars[64];
        int n = v->login_pw_len < (int)sizeof stars - 1 ? v->login_pw_len : (int)sizeof stars - 1;
        memset(stars, '*', (size_t)n);
        stars[n] = '\0';
        const char *val = f == 0 ? v->login_name : stars;
        int attr = f == v->login_field ? ui_attr(UP_SELECT) : (int)A_UNDERLINE;
        attron(attr);
        mvhline(fy, x + 14, ' ', 28);
        attroff(attr);
        int w = ui_put(fy, x + 14, val, 27, attr);
        if (f == v->login_field)
            ui_put(fy, x + 14 + w, "_", 1, attr | A_BLINK);
    }
}

const struct staff_screen_ops staff_login = {
    .name = "login",
    .draw = login_draw,
};
