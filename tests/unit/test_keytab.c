/* test_keytab.c — the one key table (kiosk/keytab.c): every action has its
 * labels and help in both languages, defaults bind, [keys] in the
 * configuration remaps and refuses bad names with the line, hints and help
 * follow the bindings in force. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kiosk/config.h"
#include "kiosk/console/console.h"
#include "kiosk/err.h"
#include "kiosk/keytab.h"
#include "kiosk/session/session.h"

static void every_action_is_complete(void **state)
{
    (void)state;
    for (int s = 0; s < KS__COUNT; s++) {
        assert_true(keytab_count((enum key_scope)s) > 5);
        for (int i = 0; i < keytab_count((enum key_scope)s); i++) {
            const struct action_def *d = keytab_at((enum key_scope)s, i);
            assert_non_null(d);
            assert_true(d->name[0] && d->label[0][0] && d->label[1][0] && d->help[0][0] && d->help[1][0]);
            assert_ptr_equal(keytab_def((enum key_scope)s, d->id), d);
            for (int j = 0; j < i; j++)   /* names unique in their scope */
                assert_string_not_equal(keytab_at((enum key_scope)s, j)->name, d->name);
        }
    }
    /* typing is not in the table */
    assert_null(keytab_def(KS_RESIDENT, ACT_DIGIT_5));
    assert_null(keytab_def(KS_STAFF, CA_CHAR));
}

static void defaults_and_hint(void **state)
{
    (void)state;
    struct keytab kt;
    keytab_defaults(&kt);
    const char *k[KEYTAB_MAX_KEYS];
    assert_int_equal(keytab_keys(&kt, KS_RESIDENT, ACT_HELP, k), 1);
    assert_string_equal(k[0], "F1");
    assert_int_equal(keytab_keys(&kt, KS_STAFF, CA_QUIT, k), 2);
    assert_string_equal(k[1], "Ctrl-C");
    int acts[] = {ACT_HELP, ACT_LANG};
    char hint[200];
    keytab_hint(&kt, KS_RESIDENT, acts, 2, "en", hint, sizeof hint);
    assert_string_equal(hint, "[F1] Help  [F2] 中文/English");
    keytab_hint(&kt, KS_RESIDENT, acts, 2, "zh", hint, sizeof hint);
    assert_string_equal(hint, "[F1] 帮助  [F2] English/中文");
    /* never a cut label: a short buffer holds whole hints only */
    keytab_hint(&kt, KS_RESIDENT, acts, 2, "en", hint, 14);
    assert_string_equal(hint, "[F1] Help");
}

static void bind_remaps(void **state)
{
    (void)state;
    struct keytab kt;
    keytab_defaults(&kt);
    assert_int_equal(keytab_bind(&kt, "help", "f2, 5"), 0);
    const char *k[KEYTAB_MAX_KEYS];
    assert_int_equal(keytab_keys(&kt, KS_RESIDENT, ACT_HELP, k), 2);
    assert_string_equal(k[0], "F2");
    assert_string_equal(k[1], "5");
    assert_int_equal(keytab_bind(&kt, "staff.refresh", "ctrl-r"), 0);
    assert_int_equal(keytab_keys(&kt, KS_STAFF, CA_REFRESH, k), 1);
    assert_string_equal(k[0], "Ctrl-R");
    assert_int_equal(keytab_bind(&kt, "print", "none"), 0);
    assert_int_equal(keytab_keys(&kt, KS_RESIDENT, ACT_PRINT, k), 0);
    int acts[] = {ACT_PRINT, ACT_HELP};
    char hint[100];
    keytab_hint(&kt, KS_RESIDENT, acts, 2, "en", hint, sizeof hint);
    assert_string_equal(hint, "[F2] Help");   /* an unbound action is touch-only */
    assert_int_equal(keytab_bind(&kt, "help", "F13"), KERR_CONFIG);
    assert_non_null(strstr(kerr_detail(), "F13"));
    assert_int_equal(keytab_bind(&kt, "nosuch", "F1"), KERR_NOTFOUND);
    assert_int_equal(keytab_bind(&kt, "help", "1 2 3 4 5"), KERR_CONFIG);
    /* a failed bind leaves the old keys */
    assert_int_equal(keytab_keys(&kt, KS_RESIDENT, ACT_HELP, k), 2);
}

static void config_keys_section(void **state)
{
    (void)state;
    char path[] = "/tmp/kiosk-keytab-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *good = "[kiosk]\nlanguage = en\n[keys]\nback = Esc, Delete\nstaff.jump = j\n";
    assert_int_equal(write(fd, good, strlen(good)), (ssize_t)strlen(good));
    close(fd);
    struct kiosk_config cfg;
    config_defaults(&cfg);
    assert_int_equal(config_load(&cfg, path, true), 0);
    const char *k[KEYTAB_MAX_KEYS];
    assert_int_equal(keytab_keys(&cfg.keys, KS_RESIDENT, ACT_ESCAPE, k), 2);
    assert_string_equal(k[1], "Delete");
    assert_int_equal(keytab_keys(&cfg.keys, KS_STAFF, CA_JUMP, k), 1);
    assert_string_equal(k[0], "j");

    FILE *f = fopen(path, "w");
    fputs("[keys]\nhelp = F1\nback = Escape-ish\n", f);
    fclose(f);
    config_defaults(&cfg);
    assert_int_equal(config_load(&cfg, path, true), KERR_CONFIG);
    /* FILE:LINE: [keys] back "Escape-ish" … */
    char want[64];
    snprintf(want, sizeof want, "%s:3:", path);
    assert_non_null(strstr(kerr_detail(), want));
    assert_non_null(strstr(kerr_detail(), "Escape-ish"));
    unlink(path);
}

static void cb(void *c, const char *line)
{
    char *b = *(char **)c;
    strncat(b, line, 599 - strlen(b));
    strncat(b, "\n", 599 - strlen(b));
}

static void help_lines(void **state)
{
    (void)state;
    struct keytab kt;
    keytab_defaults(&kt);
    int acts[] = {CA_REFRESH, CA_LOGOUT};
    char buf[600] = "";
    struct {
        char *b;
    } ctx = {buf};
    keytab_help(&kt, KS_STAFF, acts, 2, "zh", cb, &ctx);
    assert_non_null(strstr(buf, "F5"));
    assert_non_null(strstr(buf, "重新读取数据"));
    assert_non_null(strstr(buf, "F9"));
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_action_is_complete),
        cmocka_unit_test(defaults_and_hint),
        cmocka_unit_test(bind_remaps),
        cmocka_unit_test(config_keys_section),
        cmocka_unit_test(help_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
