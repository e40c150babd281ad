/* ctl.c — what every kioskctl subcommand shares: opening the database and
 * the site secret on first use, printing errors, the administrator actor. */
#include "kiosk/cli/ctl.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/err.h"
#include "kiosk/queue_types.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"

int ctl_fail(const struct ctl_ctx *ctx, int err)
{
    kerr_print(ctx->prog, err);
    return kiosk_exit_code(err);
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
        if ((err = config_secret_path(&ctx->cfg, path, sizeof path)) ||
            (err = secret_load(path, &ctx->secret)))
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

