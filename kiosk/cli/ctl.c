/* ctl.c — what every kioskctl subcommand shares: opening the database and
 * the site secret on first use, printing errors, the administrator actor. */
#include "kiosk/cli/ctl.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/audit.h"
#include "kiosk/err.h"
#include "kiosk/queue_types.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

int ctl_fail(const struct ctl_ctx *ctx, int err)
{
    kerr_print(ctx->prog, err);
    return kiosk_exit_code(err);
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

void ctl_admin_actor(struct actor *who)
{
    memset(who, 0, sizeof *who);
    const char *user = getenv("SUDO_USER");
    if (!user || !*user) {
        struct passwd *pw = getpwuid(getuid());
        user = pw ? pw->pw_name : "unknown";
    }
    snprintf(who->name, sizeof who->name, "kioskctl:%s", user);
    who->roles = ROLE__ALL;
}

