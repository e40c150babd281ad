/* vt.h — drive a real program in a real terminal emulator: forkpty + libvterm.
 *
 * The child runs on a pseudo-terminal of a chosen size with TERM and the
 * locale set like a kiosk's; everything it writes goes through libvterm, so
 * the test reads the screen as a resident would see it (cells, attributes,
 * wide characters).  Waiting is always "until the screen shows X, or a
 * deadline": never a fixed sleep.  Used by the screen tests and the
 * benchmarks. */
#ifndef TESTS_SCREEN_VT_H
#define TESTS_SCREEN_VT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct vt;

/* Start argv on a rows×cols pty.  env: extra "NAME=value" strings (NULL-ended,
 * may be NULL); TERM=xterm-256color and LANG=C.UTF-8 unless env sets them. */
struct vt *vt_start(int rows, int cols, char *const argv[], char *const env[]);
/* Read what the child wrote for up to timeout_ms (returns early on output). */
void vt_pump(struct vt *t, int timeout_ms);
/* The whole screen as UTF-8, rows joined by '\n' (wide cells once). */
const char *vt_text(struct vt *t);
/* Wait until the screen contains / no longer contains s. */
bool vt_wait(struct vt *t, const char *s, int timeout_ms);
bool vt_wait_gone(struct vt *t, const char *s, int timeout_ms);
/* Send bytes as typed keys. */
void vt_send(struct vt *t, const char *bytes);
void vt_resize(struct vt *t, int rows, int cols);
/* True while the child runs; *status gets the wait status once it ended. */
bool vt_alive(struct vt *t, int *status);
/* Ask the child to end (SIGTERM, then SIGKILL after 2 s); returns its wait status. */
int vt_stop(struct vt *t);
pid_t vt_pid(const struct vt *t);
/* The attribute of the first cell showing s: 1 = reverse, 2 = bold (bits). */
int vt_attr_of(struct vt *t, const char *s);
/* The row and column (0-based) of the first cell showing s; false when s is not shown. */
bool vt_find(struct vt *t, const char *s, int *row, int *col);
/* A mouse click (or a touch) at row, col (0-based), as xterm reports it in
 * SGR mode: "ESC [ < 0 ; X ; Y M" (press) then "... m" (release), 1-based. */
void vt_click(struct vt *t, int row, int col);
/* Click on the first cell showing s, once it shows (up to 5 s); false when it never does. */
bool vt_click_on(struct vt *t, const char *s);
/* Milliseconds on the monotonic clock. */
double vt_now_ms(void);

/* Function keys as xterm sends them. */
#define VT_F1 "\033OP"
#define VT_F2 "\033OQ"
#define VT_F3 "\033OR"
#define VT_F4 "\033OS"
/* arrows as xterm sends them in keypad-transmit mode (curses turns it on) */
#define VT_UP "\033OA"
#define VT_DOWN "\033OB"
#define VT_ENTER "\r"
#define VT_ESC "\033"

#endif
