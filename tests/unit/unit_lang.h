/* unit_lang.h — the Chinese catalogue for the unit tests that check a detail in
 * both languages: build/locale (msgfmt of data/po/zh.po) unless KIOSK_LOCALEDIR
 * names another, English in force until a test switches. */
#ifndef KIOSK_UNIT_LANG_H
#define KIOSK_UNIT_LANG_H

#include <stdlib.h>

#include "kiosk/i18n.h"

static inline void unit_lang_init(void)
{
    if (!getenv("KIOSK_LOCALEDIR"))
        setenv("KIOSK_LOCALEDIR", "build/locale", 1);
    i18n_init(NULL);
    i18n_set_lang("en");
}

#endif
