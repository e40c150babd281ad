/* i18n.c — gettext binding and the on-screen language switch (see i18n.h). */
#include "kiosk/i18n.h"

#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/err.h"

#ifndef KIOSK_LOCALEDIR
#define KIOSK_LOCALEDIR "/usr/local/share/locale"
#endif

/* GNU gettext caches translations; bumping this counter tells it that the
 * catalogues (here: the LANGUAGE choice) changed.  Documented in the
 * gettext manual ("Being a gettext grok"), exported by glibc. */
extern int _nl_msg_cat_cntr;

static char cur_lang[4] = "zh";
static char found_dir[PATH_MAX];

static int has_catalogue(const char *dir)
{
    char p[PATH_MAX + 64];
    snprintf(p, sizeof p, "%.*s/zh/LC_MESSAGES/" I18N_DOMAIN ".mo", PATH_MAX - 1, dir);
    return access(p, R_OK) == 0;
}

int i18n_init(const char *argv0)
{
    char exe[PATH_MAX] = "";
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0)
        exe[n] = '\0';
    else if (argv0)
        snprintf(exe, sizeof exe, "%s", argv0);
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(exe, sizeof exe, ".");

    /* build/kiosk → build/locale; build/asan/kiosk → build/locale too. */
    char cand[4][PATH_MAX];
    int nc = 0;
    const char *env = getenv("KIOSK_LOCALEDIR");
    if (env && *env)
        snprintf(cand[nc++], PATH_MAX, "%s", env);
    snprintf(cand[nc++], PATH_MAX, "%.*s/locale", PATH_MAX - 16, exe);
    snprintf(cand[nc++], PATH_MAX, "%.*s/../locale", PATH_MAX - 16, exe);
    snprintf(cand[nc++], PATH_MAX, "%s", KIOSK_LOCALEDIR);

    found_dir[0] = '\0';
    for (int i = 0; i < nc; i++) {
        if (has_catalogue(cand[i])) {
            if (!realpath(cand[i], found_dir))
                snprintf(found_dir, sizeof found_dir, "%.*s", PATH_MAX - 1, cand[i]);
            break;
        }
    }
    /* gettext ignores LANGUAGE when LC_MESSAGES is the plain "C" locale, so
     * a kiosk started with LANG unset would never speak Chinese. */
    const char *msgs = setlocale(LC_MESSAGES, NULL);
    if (!msgs || !strcmp(msgs, "C") || !strcmp(msgs, "POSIX"))
        setlocale(LC_MESSAGES, "C.UTF-8");
    bindtextdomain(I18N_DOMAIN, found_dir[0] ? found_dir : KIOSK_LOCALEDIR);
    bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
    i18n_set_lang(cur_lang);
    if (!found_dir[0])
        return kerr(KERR_NOTFOUND, "no Chinese message catalogue (%s.mo) beside %s or in %s",
                    I18N_DOMAIN, exe, KIOSK_LOCALEDIR);
    return 0;
}

void i18n_set_lang(const char *lang)
{
    /* A change of language empties gettext's cache of looked-up messages
     * (_nl_msg_cat_cntr) and rewrites the environment: done only when the
     * language really changes, not on every call (the follow-up server sets
     * the page's language per request, nearly always the same one). */
    static bool applied;
    const char *want = lang && !strcmp(lang, "zh") ? "zh" : "en";
    if (applied && !strcmp(cur_lang, want))
        return;
    applied = true;
    snprintf(cur_lang, sizeof cur_lang, "%s", want);
    setenv("LANGUAGE", cur_lang, 1);
    ++_nl_msg_cat_cntr;
}

const char *i18n_lang(void) { return cur_lang; }

const char *i18n_dir(void) { return found_dir; }

void kerr_print_local(const char *prog, int err)
{
    if (strcmp(cur_lang, "zh"))
        kerr_print(prog, err);
    else
        fprintf(stderr, "%s: %s\n", prog,
                kerr_detail()[0] ? kerr_detail_local() : kiosk_strerror_local(err));
}

void i18n_print(FILE *out, const char *const ids[])
{
    for (int i = 0; ids[i]; i++)
        fputs(_(ids[i]), out);
}
