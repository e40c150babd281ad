/* sim.c — the simulated reader and printer (see sim.h). */
#include "sim.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk/err.h"

/* Memory that held a card's line: zeroed in a way the compiler keeps
 * (issue 11: a core dump after the card was removed must not hold it). */
static void wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    for (size_t i = 0; i < n; i++)
        v[i] = 0;
}

struct sim_reader {
    char *path;
    int fd;
    bool fifo;
    char line[SIM_LINE_MAX + 1];
    size_t len;
    bool overlong;                 /* discarding the rest of a too-long line */
    struct card_event pending[8];  /* parsed but not yet handed out */
    int n_pending;
};

static int reopen(struct sim_reader *r)
{
    if (r->fd >= 0)
        close(r->fd);
    r->fd = open(r->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (r->fd < 0)
        return errno == ENOENT ? kerr(KERR_NODEV, "%s: no such file or FIFO", r->path)
                               : kerr(KERR_IO, "%s: %s", r->path, strerror(errno));
    struct stat st;
    if (fstat(r->fd, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISREG(st.st_mode))) {
        close(r->fd);
        r->fd = -1;
        return kerr(KERR_INPUT, "%s: --sim-cards needs a FIFO or a regular file", r->path);
    }
    r->fifo = S_ISFIFO(st.st_mode);
    if (r->fifo) {
        /* Hold a write end too (Linux allows O_RDWR on a FIFO): the FIFO
         * then never reaches EOF when a writer closes, so there is no
         * close-and-reopen window in which another `echo insert …` could be
         * lost. */
        int rw = open(r->path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (rw >= 0) {
            close(r->fd);
            r->fd = rw;
        }
    }
    return 0;
}

int sim_reader_open(const char *path, struct sim_reader **out)
{
    struct sim_reader *r = calloc(1, sizeof *r);
    if (!r)
        return KERR_NOMEM;
    r->fd = -1;
    r->path = strdup(path);
    if (!r->path) {
        free(r);
        return KERR_NOMEM;
    }
    int rc = reopen(r);
    if (rc) {
        sim_reader_free(&r);
        return rc;
    }
    *out = r;
    return 0;
}

void sim_reader_free(struct sim_reader **r)
{
    if (!*r)
        return;
    if ((*r)->fd >= 0)
        close((*r)->fd);
    free((*r)->path);
    for (int i = 0; i < 8; i++)
        card_event_wipe(&(*r)->pending[i]);
    wipe((*r)->line, sizeof (*r)->line);
    free(*r);
    *r = NULL;
}

int sim_reader_fd(const struct sim_reader *r) { return r->fifo ? r->fd : -1; }
int sim_reader_timeout_ms(const struct sim_reader *r) { return r->fifo ? -1 : SIM_FILE_POLL_MS; }

static void set_error(struct card_event *ev, const char *msg)
{
    memset(ev, 0, sizeof *ev);
    ev->type = CARD_EV_ERROR;
    snprintf(ev->message, sizeof ev->message, "%s", msg);
}

/* Guess the card kind from the number's shape, like the SAM's type byte:
 * 15 characters with letters → 'I' card; 9xxxxx 18 digits → 'Y';
 * 81/82/83 + 0000 → HK/Macao/Taiwan permit; else a resident card. */
static enum card_kind kind_of(const char *id)
{
    size_t n = strlen(id);
    if (n == 15 && isalpha((unsigned char)id[0]))
        return CARD_KIND_FOREIGN_I;
    if (n == 18 && id[0] == '9')
        return CARD_KIND_FOREIGN_Y;
    if (n == 18 && id[0] == '8' && id[1] >= '1' && id[1] <= '3' && strncmp(id + 2, "0000", 4) == 0)
        return CARD_KIND_PERMIT_J;
    return CARD_KIND_RESIDENT;
}

int sim_parse_line(const char *line, struct card_event *ev)
{
    memset(ev, 0, sizeof *ev);
    while (*line == ' ' || *line == '\t')
        line++;
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    if (n == 0 || line[0] == '#')
        return 0;
    size_t w = strcspn(line, " \t");
    if (w > n)
        w = n;
    if (w == 6 && strncmp(line, "remove", 6) == 0) {
        if (n != 6) {
            set_error(ev, "sim-cards: 'remove' takes no arguments");
            return KERR_INPUT;
        }
        ev->type = CARD_EV_REMOVE;
        return 1;
    }
    if (!(w == 6 && strncmp(line, "insert", 6) == 0)) {
        set_error(ev, "sim-cards: lines are 'insert ID_NUMBER NAME' or 'remove'");
        return KERR_INPUT;
    }
    const char *p = line + w;
    while (p < line + n && (*p == ' ' || *p == '\t'))
        p++;
    size_t idl = strcspn(p, " \t");
    if (p + idl > line + n)
        idl = (size_t)(line + n - p);
    const char *name = p + idl;
    while (name < line + n && (*name == ' ' || *name == '\t'))
        name++;
    size_t nl = (size_t)(line + n - name);
    if (idl == 0 || nl == 0) {
        set_error(ev, "sim-cards: 'insert' needs an ID number and a name");
        return KERR_INPUT;
    }
    if (idl >= sizeof ev->id_number || nl >= sizeof ev->name) {
        set_error(ev, "sim-cards: ID number or name too long");
        return KERR_INPUT;
    }
    for (size_t i = 0; i < idl; i++)
        if (!isalnum((unsigned char)p[i])) {
            set_error(ev, "sim-cards: the ID number must be letters and digits");
            return KERR_INPUT;
        }
    ev->type = CARD_EV_INSERT;
    for (size_t i = 0; i < idl; i++)
        ev->id_number[i] = (char)toupper((unsigned char)p[i]);
    memcpy(ev->name, name, nl);
    ev->kind = kind_of(ev->id_number);
    return 1;
}

static void take_line(struct sim_reader *r)
{
    struct card_event ev;
    r->line[r->len] = '\0';
    if (r->overlong) {
        set_error(&ev, "sim-cards: line longer than 512 bytes ignored");
        r->overlong = false;
    } else if (sim_parse_line(r->line, &ev) == 0) {
        wipe(r->line, r->len);
        r->len = 0;
        return;
    }
    /* the raw line ("insert ID NAME") is parsed: it must not linger */
    wipe(r->line, r->len);
    r->len = 0;
    if (r->n_pending < 8)
        r->pending[r->n_pending++] = ev;
    card_event_wipe(&ev);
}

int sim_reader_handle(struct sim_reader *r, struct card_event *evs, int cap)
{
    char buf[512];
    int rc = 0;
    /* Only read while there is room to queue what the lines become. */
    while (r->n_pending < 8 - 1 && r->fd >= 0) {
        ssize_t k = read(r->fd, buf, sizeof buf);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN)
                rc = kerr(KERR_IO, "%s: %s", r->path, strerror(errno));
            break;
        }
        if (k == 0) {
            /* FIFO: the last writer left; reopen or poll() reports POLLHUP
             * forever.  Regular file: stay at the end, look again later. */
            if (r->fifo)
                rc = reopen(r);
            break;
        }
        for (ssize_t i = 0; i < k && r->n_pending < 8; i++) {
            if (buf[i] == '\n')
                take_line(r);
            else if (r->len < SIM_LINE_MAX)
                r->line[r->len++] = buf[i];
            else
                r->overlong = true;
        }
    }
    int n = 0;
    while (n < cap && n < r->n_pending) {
        evs[n] = r->pending[n];
        card_event_wipe(&r->pending[n]);
        n++;
    }
    memmove(r->pending, r->pending + n, (size_t)(r->n_pending - n) * sizeof r->pending[0]);
    r->n_pending -= n;
    /* the slots the queue moved out of still hold copies */
    for (int i = r->n_pending; i < r->n_pending + n && i < 8; i++)
        card_event_wipe(&r->pending[i]);
    wipe(buf, sizeof buf);   /* the bytes read held whole lines */
    return n ? n : rc;
}

static bool exists(const char *dir, const char *name)
{
    char p[4096];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return stat(p, &st) == 0;
}

void sim_printer_state(const char *dir, struct sim_printer_state *st)
{
    struct stat s;
    memset(st, 0, sizeof *st);
    st->present = dir && stat(dir, &s) == 0 && S_ISDIR(s.st_mode);
    if (st->present) {
        st->paper_out = exists(dir, "PAPER_OUT");
        st->near_end = exists(dir, "NEAR_END");
    }
}

int sim_printer_print(const char *dir, const uint8_t *bytes, size_t n, char *path_out, size_t cap)
{
    struct sim_printer_state st;
    char tmp[4096], final[4096];
    int rc = 0, fd = -1;
    sim_printer_state(dir, &st);
    if (!st.present)
        return kerr(KERR_NODEV, "%s: simulated printer directory does not exist", dir ? dir : "");
    if (st.paper_out)
        return kerr(KERR_PAPER, "simulated printer is out of paper (%s/PAPER_OUT exists)", dir);
    /* Write a temporary file, then link() it to the first free number:
     * link never replaces, so two kiosks sharing a directory cannot collide,
     * and a reader of receipt-NNNN.bin never sees half a receipt. */
    snprintf(tmp, sizeof tmp, "%s/.receipt-%ld.tmp", dir, (long)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return kerr(KERR_IO, "%s: %s", tmp, strerror(errno));
    for (size_t o = 0; o < n;) {
        ssize_t k = write(fd, bytes + o, n - o);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            rc = kerr(KERR_IO, "%s: %s", tmp, strerror(errno));
            goto out;
        }
        o += (size_t)k;
    }
    if (close(fd) != 0) {
        fd = -1;
        rc = kerr(KERR_IO, "%s: %s", tmp, strerror(errno));
        goto out;
    }
    fd = -1;
    for (int i = 1; i <= 9999; i++) {
        snprintf(final, sizeof final, "%s/receipt-%04d.bin", dir, i);
        if (link(tmp, final) == 0) {
            if (path_out)
                snprintf(path_out, cap, "%s", final);
            goto out;
        }
        if (errno != EEXIST) {
            rc = kerr(KERR_IO, "%s: %s", final, strerror(errno));
            goto out;
        }
    }
    rc = kerr(KERR_IO, "%s: 9999 receipts already; empty the directory", dir);
out:
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    return rc;
}
