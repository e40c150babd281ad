/* vt.c — forkpty + libvterm harness (see vt.h). */
#include "vt.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vterm.h>

struct vt {
    int fd;
    pid_t pid;
    int rows, cols;
    bool exited;
    int status;
    VTerm *vt;
    VTermScreen *scr;
    char *text;
    size_t text_cap;
};

double vt_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Terminal answers (cursor position reports, …) go back to the program. */
static void on_output(const char *s, size_t len, void *user)
{
    struct vt *t = user;
    while (len) {
        ssize_t n = write(t->fd, s, len);
        if (n <= 0)
            return;
        s += n;
        len -= (size_t)n;
    }
}

struct vt *vt_start(int rows, int cols, char *const argv[], char *const env[])
{
    struct vt *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->rows = rows;
    t->cols = cols;
    struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
    t->pid = forkpty(&t->fd, NULL, NULL, &ws);
    if (t->pid < 0) {
        free(t);
        return NULL;
    }
    if (t->pid == 0) {
        setenv("TERM", "xterm-256color", 1);
        setenv("LANG", "C.UTF-8", 1);
        unsetenv("LC_ALL");
        unsetenv("LANGUAGE");
        for (int i = 0; env && env[i]; i++)
            putenv(env[i]);
        execv(argv[0], argv);
        _exit(127);
    }
    fcntl(t->fd, F_SETFL, fcntl(t->fd, F_GETFL) | O_NONBLOCK);
    t->vt = vterm_new(rows, cols);
    vterm_set_utf8(t->vt, 1);
    vterm_output_set_callback(t->vt, on_output, t);
    t->scr = vterm_obtain_screen(t->vt);
    vterm_screen_reset(t->scr, 1);
    return t;
}

void vt_pump(struct vt *t, int timeout_ms)
{
    struct pollfd p = {.fd = t->fd, .events = POLLIN};
    double end = vt_now_ms() + timeout_ms;
    for (;;) {
        int left = (int)(end - vt_now_ms());
        if (left < 0)
            left = 0;
        int rc = poll(&p, 1, left);
        if (rc <= 0)
            return;
        char buf[65536];
        ssize_t n;
        bool got = false;
        while ((n = read(t->fd, buf, sizeof buf)) > 0) {
            vterm_input_write(t->vt, buf, (size_t)n);
            got = true;
        }
        if (got || n == 0 || (n < 0 && errno != EAGAIN))
            return;
    }
}

static void put_utf8(struct vt *t, size_t *len, uint32_t c)
{
    if (*len + 8 >= t->text_cap) {
        t->text_cap = t->text_cap ? t->text_cap * 2 : 16384;
        t->text = realloc(t->text, t->text_cap);
    }
    char *o = t->text + *len;
    if (c < 0x80) {
        o[0] = (char)c;
        *len += 1;
    } else if (c < 0x800) {
        o[0] = (char)(0xC0 | (c >> 6));
        o[1] = (char)(0x80 | (c & 0x3F));
        *len += 2;
    } else if (c < 0x10000) {
        o[0] = (char)(0xE0 | (c >> 12));
        o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        *len += 3;
    } else {
        o[0] = (char)(0xF0 | (c >> 18));
        o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[3] = (char)(0x80 | (c & 0x3F));
        *len += 4;
    }
}

const char *vt_text(struct vt *t)
{
    size_t len = 0;
    int rows, cols;
    vterm_get_size(t->vt, &rows, &cols);
    for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols;) {
            VTermScreenCell cell;
            vterm_screen_get_cell(t->scr, (VTermPos){.row = r, .col = c}, &cell);
            uint32_t ch = cell.chars[0];
            if (ch == (uint32_t)-1) {   /* the right half of a wide character */
                c++;
                continue;
            }
            put_utf8(t, &len, ch ? ch : ' ');
            c += cell.width > 0 ? cell.width : 1;
        }
        put_utf8(t, &len, '\n');
    }
    put_utf8(t, &len, 0);
    return t->text;
}

bool vt_wait(struct vt *t, const char *s, int timeout_ms)
{
    double end = vt_now_ms() + timeout_ms;
    for (;;) {
        if (strstr(vt_text(t), s))
            return true;
        double left = end - vt_now_ms();
        if (left <= 0)
            return false;
        vt_pump(t, left > 50 ? 50 : (int)left + 1);
    }
}

bool vt_wait_gone(struct vt *t, const char *s, int timeout_ms)
{
    double end = vt_now_ms() + timeout_ms;
    for (;;) {
        if (!strstr(vt_text(t), s))
            return true;
        double left = end - vt_now_ms();
        if (left <= 0)
            return false;
        vt_pump(t, left > 50 ? 50 : (int)left + 1);
    }
}

void vt_send(struct vt *t, const char *bytes)
{
    size_t len = strlen(bytes);
    while (len) {
        ssize_t n = write(t->fd, bytes, len);
        if (n < 0 && errno == EAGAIN) {
            vt_pump(t, 5);
            continue;
        }
        if (n <= 0)
            return;
        bytes += n;
        len -= (size_t)n;
    }
}

void vt_resize(struct vt *t, int rows, int cols)
{
    struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
    vterm_set_size(t->vt, rows, cols);
    ioctl(t->fd, TIOCSWINSZ, &ws);
    t->rows = rows;
    t->cols = cols;
}

bool vt_alive(struct vt *t, int *status)
{
    if (!t->exited) {
        int st;
        if (waitpid(t->pid, &st, WNOHANG) == t->pid) {
            t->exited = true;
            t->status = st;
        }
    }
    if (status)
        *status = t->status;
    return !t->exited;
}

int vt_stop(struct vt *t)
{
    if (!t)
        return -1;
    if (vt_alive(t, NULL)) {
        kill(t->pid, SIGTERM);
        double end = vt_now_ms() + 2000;
        while (vt_alive(t, NULL) && vt_now_ms() < end)
            vt_pump(t, 10);
        if (vt_alive(t, NULL)) {
            kill(t->pid, SIGKILL);
            waitpid(t->pid, &t->status, 0);
            t->exited = true;
        }
    }
    int st = t->status;
    close(t->fd);
    vterm_free(t->vt);
    free(t->text);
    free(t);
    return st;
}

pid_t vt_pid(const struct vt *t) { return t->pid; }

/* The cell (row, col) where the text hit (a pointer into vt_text's buffer) starts. */
static bool cell_of(struct vt *t, const char *text, const char *hit, int *row, int *col,
                    VTermScreenCell *out)
{
    int rows, cols;
    vterm_get_size(t->vt, &rows, &cols);
    const char *p = text;
    for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols;) {
            VTermScreenCell cell;
            vterm_screen_get_cell(t->scr, (VTermPos){.row = r, .col = c}, &cell);
            if (cell.chars[0] == (uint32_t)-1) {
                c++;
                continue;
            }
            if (p == hit) {
                *row = r;
                *col = c;
                if (out)
                    *out = cell;
                return true;
            }
            uint32_t ch = cell.chars[0] ? cell.chars[0] : ' ';
            p += ch < 0x80 ? 1 : ch < 0x800 ? 2 : ch < 0x10000 ? 3 : 4;
            c += cell.width > 0 ? cell.width : 1;
        }
        p++;
    }
    return false;
}

int vt_attr_of(struct vt *t, const char *s)
{
    const char *text = vt_text(t);
    const char *hit = strstr(text, s);
    int r, c;
    VTermScreenCell cell;
    if (!hit || !cell_of(t, text, hit, &r, &c, &cell))
        return -1;
    return (cell.attrs.reverse ? 1 : 0) | (cell.attrs.bold ? 2 : 0);
}

bool vt_find(struct vt *t, const char *s, int *row, int *col)
{
    const char *text = vt_text(t);
    const char *hit = strstr(text, s);
    return hit && cell_of(t, text, hit, row, col, NULL);
}

void vt_click(struct vt *t, int row, int col)
{
    /* xterm's SGR (1006) mouse report: button 0 pressed, then released; 1-based */
    char seq[64];
    snprintf(seq, sizeof seq, "\033[<0;%d;%dM\033[<0;%d;%dm", col + 1, row + 1, col + 1, row + 1);
    vt_send(t, seq);
}

bool vt_click_on(struct vt *t, const char *s)
{
    int r, c;
    /* what is clicked on may be in the part of a frame still on its way */
    if (!vt_wait(t, s, 5000) || !vt_find(t, s, &r, &c))
        return false;
    vt_click(t, r, c);
    return true;
}
