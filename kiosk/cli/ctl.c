/* ctl.c — what every kioskctl subcommand shares: opening the database and
 * the site secret on first use, printing errors, the administrator actor. */
#include "kiosk/cli/ctl.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/audit.h"
#include "kiosk/auth.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/linebreak.h"
#include "kiosk/queue_types.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

int ctl_fail(const struct ctl_ctx *ctx, int err)
{
    /* in Chinese when kioskctl speaks it (--lang zh or a zh locale): the
     * detail's message id translated with its words (kerr_detail_local) */
    kerr_print_local(ctx->prog, err);
    return kiosk_exit_code(err);
}

const char *ctl_detail(int err)
{
    const char *d = !strcmp(i18n_lang(), "zh") ? kerr_detail_local() : kerr_detail();
    return d[0] ? d : !strcmp(i18n_lang(), "zh") ? kiosk_strerror_local(err) : kiosk_strerror(err);
}

/* Whether the database already holds data a new key could not read: its
 * key fingerprint or any audit record. */
int ctl_populated(struct store *st)
{
    char fp[80];
    struct audit_rec last;
    return st->ops->meta_get(st, "key_fingerprint", fp, sizeof fp) == 0 ||
           st->ops->audit_last(st, &last) == 0;
}

int ctl_secret_problem(struct ctl_ctx *ctx, const char *path, int err)
{
    /* a missing key for a database with data in it must never be answered
     * with "run init": a new key makes every resident unreadable */
    char detail[700];
    snprintf(detail, sizeof detail, "%s", kerr_detail());
    if (ctx->store && ctl_populated(ctx->store))
        return kerr(err, "%s; this database already holds data sealed with its site secret: "
                    "restore that key file from your key backup (kioskctl init will not make a "
                    "new one for a populated database)", detail);
    (void)path;
    return kerr(err, "%s", detail);
}

int ctl_key_matches(struct ctl_ctx *ctx, struct store *st, const struct secret *sec)
{
    char fp[80];
    int err = st->ops->meta_get(st, "key_fingerprint", fp, sizeof fp);
    if (err == KERR_NOTFOUND)
        return 0;   /* a database from before fingerprints: init records it */
    if (err)
        return err;
    if (strcmp(fp, sec->fingerprint) != 0)
        return kerr(KERR_SECRET, "%s is not this database's site secret (key fingerprint %s, "
                    "%s expects %s): use the key file that belongs to it", sec->path,
                    sec->fingerprint, ctx->cfg.database, fp);
    return 0;
}

int ctl_store(struct ctl_ctx *ctx, struct store **st, struct secret **sec)
{
    int err;
    if (!ctx->store) {
        if ((err = store_open(ctx->cfg.database, 0, &ctx->store)))
            return err;
        int version, latest;
        if ((err = ctx->store->ops->schema_version(ctx->store, &version, &latest)))
            return err;
        if (version < latest)
            return kerr(KERR_SCHEMA, "%s: schema version %d, this program needs %d: run kioskctl init",
                        ctx->cfg.database, version, latest);
    }
    if (!ctx->secret) {
        char path[600];
        if ((err = config_secret_path(&ctx->cfg, path, sizeof path)))
            return err;
        if ((err = secret_load(path, &ctx->secret)))
            return ctl_secret_problem(ctx, path, err);
        if ((err = ctl_key_matches(ctx, ctx->store, ctx->secret)))
            return err;
    }
    if (st)
        *st = ctx->store;
    if (sec)
        *sec = ctx->secret;
    return 0;
}

void ctl_os_actor(struct actor *who)
{
    /* the real uid, never $SUDO_USER or $USER: the environment is the
     * caller's to write, the uid is the kernel's */
    memset(who, 0, sizeof *who);
    struct passwd *pw = getpwuid(getuid());
    if (pw)
        snprintf(who->name, sizeof who->name, "kioskctl:%s", pw->pw_name);
    else
        snprintf(who->name, sizeof who->name, "kioskctl:uid%u", (unsigned)getuid());
    who->roles = ROLE__ALL;
}

int ctl_admin_actor(struct ctl_ctx *ctx, struct actor *who)
{
    if (!ctx->as_user) {
        ctl_os_actor(who);
        return 0;
    }
    /* --as USER: a staff account, its password the first line of stdin;
     * its roles, lock-out and audit name are the account's */
    struct store *st;
    struct secret *sec;
    char pw[AUTH_PASSWORD_MAX + 2];
    int err = ctl_store(ctx, &st, &sec);
    if (!err && !(err = auth_read_password(stdin, pw, sizeof pw)))
        err = auth_login(st, sec, &ctx->cfg, ctx->as_user, pw, who);
    secure_wipe(pw, sizeof pw);
    return err;
}

const char *ctl_safe(const char *s, char *buf, size_t cap)
{
    /* C0 controls, DEL and C1 (as UTF-8 C2 80–9F) would move the cursor,
     * recolour or retitle the administrator's terminal; the bidi controls
     * (E2 80 AA–AE, E2 81 A6–A9) would make a line read backwards */
    const unsigned char *u = (const unsigned char *)s;
    size_t k = 0;
    for (size_t i = 0; u[i] && k + 12 < cap; i++) {
        unsigned cp = 0;
        size_t len = 1;
        if (u[i] < 0x20 || u[i] == 0x7f)
            cp = u[i];
        else if (u[i] == 0xc2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f) {
            cp = u[i + 1];
            len = 2;
        } else if (u[i] == 0xe2 && ((u[i + 1] == 0x80 && u[i + 2] >= 0xaa && u[i + 2] <= 0xae) ||
                                    (u[i + 1] == 0x81 && u[i + 2] >= 0xa6 && u[i + 2] <= 0xa9))) {
            cp = 0x2000u + ((u[i + 1] & 0x3fu) << 6) + (u[i + 2] & 0x3fu);
            len = 3;
        } else {
            buf[k++] = (char)u[i];
            continue;
        }
        k += (size_t)snprintf(buf + k, cap - k, cp > 0xff ? "\\u%04x" : "\\x%02x", cp);
        i += len - 1;
    }
    buf[k] = '\0';
    return buf;
}

const char *ctl_cell(const char *s, int cols, char *buf, size_t cap)
{
    /* bytes, not columns, are what printf's width counts: "东门街道" is 12
     * bytes and 8 columns, so %-12s would give it no padding at all */
    int w;
    size_t n = linebreak_cut(s, 1 << 20, cap, &w);
    memcpy(buf, s, n);
    while (w < cols && n + 1 < cap) {
        buf[n++] = ' ';
        w++;
    }
    buf[n] = '\0';
    return buf;
}
