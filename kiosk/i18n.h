/* i18n.h — the kiosk's words in Chinese and English through gettext.
 *
 * Message ids are the English text; data/po/zh.po translates them and is
 * compiled (msgfmt) to LOCALEDIR/zh/LC_MESSAGES/kiosk.mo.  English needs no
 * catalogue: gettext hands the id back.  The language can be switched at
 * any moment on screen (i18n_set_lang), so the choice goes through the
 * LANGUAGE variable, which GNU gettext re-reads once the catalogue counter
 * is bumped — independent of the process locale, which stays whatever the
 * terminal needs (LC_CTYPE must be UTF-8 for ncursesw). */
#ifndef KIOSK_I18N_H
#define KIOSK_I18N_H

#include <libintl.h>
#include <stdio.h>

#define I18N_DOMAIN "kiosk"

/* Bind the text domain.  argv0 is used to find build/locale beside the
 * binary (so `build/kiosk` works uninstalled); then KIOSK_LOCALEDIR, then
 * the compiled-in PREFIX/share/locale.  Returns 0, or KERR_NOTFOUND when no
 * Chinese catalogue was found (English still works; the caller warns). */
int i18n_init(const char *argv0);

/* "zh" or "en" (anything else is taken as "en"). */
void i18n_set_lang(const char *lang);
const char *i18n_lang(void);

/* The directory the catalogue was found in ("" when none). */
const char *i18n_dir(void);

/* Print each message id of ids (NULL-terminated) in the current language.
 * Long texts (a command's --help) are kept as paragraphs, one message id
 * each, so every piece translates on its own; in English the output is the
 * ids run together. */
void i18n_print(FILE *out, const char *const ids[]);

/* kerr_print (err.h) in the language in force: under i18n_set_lang("zh")
 * the detail as kerr_detail_local() words it (kioskctl --lang zh).  Here,
 * not in err.c, so err.o alone stays free of the language switch. */
void kerr_print_local(const char *prog, int err);

/* Translate a message id into the current language. */
#define _(s) dgettext(I18N_DOMAIN, s)
/* Mark for extraction without translating here. */
#define N_(s) (s)

#endif
