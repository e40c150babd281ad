/* fu_html.h — the follow-up page as HTML: a mobile page in Chinese or
 * English, no JavaScript, no images, one inline style sheet (its hash goes
 * in the server's Content-Security-Policy), every piece of text escaped.
 * Pure: no HTTP, no store; the server main and the tests call it. */
#ifndef KIOSK_WEB_FU_HTML_H
#define KIOSK_WEB_FU_HTML_H

#include <stddef.h>

#include "kiosk/web/fu_page.h"

struct ns_config;

/* A growing output buffer; err sticks at KERR_NOMEM once an append failed. */
struct fu_buf {
    char *p;
    size_t len, cap;
    int err;
};
void fu_buf_init(struct fu_buf *b);
void fu_buf_release(struct fu_buf *b);
void fu_buf_add(struct fu_buf *b, const char *s, size_t n);
void fu_buf_puts(struct fu_buf *b, const char *s);
/* s with & < > " ' as character references: safe in text and in quoted attributes. */
void fu_buf_escape(struct fu_buf *b, const char *s);

/* The page's style sheet, exactly as it appears inside <style>. */
extern const char fu_html_css[];

/* The page for a loaded receipt.  code is the code as verified (for the
 * language switch link); now is "YYYY-MM-DD HH:MM:SS".  Sets the gettext
 * language to page->lang.  ns: the next-steps configuration the kiosk uses
 * ([kiosk] next_steps).  Returns 0 or KERR_NOMEM. */
int fu_html_page(const struct fu_page *page, const char *code, const struct ns_config *ns,
                 const char *now, struct fu_buf *out);

/* The one generic page for a wrong code, an unknown receipt or any other
 * path (404): it says the same whatever the cause, in both languages; and
 * its siblings for too many wrong codes (429) and a failing database (503). */
enum fu_generic { FU_NOT_FOUND, FU_LIMITED, FU_UNAVAILABLE };
int fu_html_generic(enum fu_generic kind, struct fu_buf *out);

#endif
