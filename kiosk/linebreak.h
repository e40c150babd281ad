/* linebreak.h — where to break a line of mixed Chinese and Latin text, for
 * every surface that wraps: the resident screens (screens/widgets.c) and
 * the receipt (devices/receipt.c).  Pure and locale-free (it decodes UTF-8
 * itself), so a receipt wraps the same under any locale.
 *
 * Rules (the usual Chinese line-breaking practice, 避头尾): a line may
 * break after a space or between two characters when either is a CJK
 * (double-width) one — but never before closing punctuation (，。、；：？！
 * ）」』》〉】… and their Latin forms) and never after opening punctuation
 * (（「『《〈【…), so no line begins with "，".  When no break fits, the
 * line is cut at the last character that fits. */
#ifndef KIOSK_LINEBREAK_H
#define KIOSK_LINEBREAK_H

#include <stddef.h>

/* Columns a string takes (CJK and full-width forms 2, others 1). */
int linebreak_width(const char *s);

/* Bytes of the first whole characters of s that take at most maxcols
 * columns and (with the terminating NUL) fit in cap bytes: a cut by
 * display width and by buffer size, never in the middle of a character.
 * *cols (may be NULL) gets their width.  For table cells (kioskctl's text
 * tables, kiosk/cli/ctl.h ctl_cell), where no break rule applies. */
size_t linebreak_cut(const char *s, int maxcols, size_t cap, int *cols);

/* Bytes of s that make the next line of at most maxcols columns (≥ 1 byte
 * of a non-empty s, even when one character is wider).  Trailing spaces
 * are included; the caller skips the spaces that begin the next line.
 * *cols (may be NULL) gets the width of those bytes. */
size_t linebreak_fit(const char *s, int maxcols, int *cols);

#endif
