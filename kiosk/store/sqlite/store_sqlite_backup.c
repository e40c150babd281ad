/* store_sqlite_backup.c — backup, restore and content digest of the SQLite
 * database (issue 11).
 *
 * Backup: the online backup API into a private temporary file beside the
 * target (mkstemp: mode 0600, created exclusively), switched to a
 * self-contained rollback journal, fsynced, then linked into place (link()
 * fails on an existing name, so "never overwrite without --force" holds even
 * against a race) or renamed over it with force; the directory is fsynced.
 *
 * Restore: a restore must give exactly the backup.  Swapping files under a
 * running kiosk leaves its -wal beside the new file, which SQLite replays on
 * top, and its open descriptor keeps writing to the old inode.  So restore
 * refuses while any other process has the database, its -wal or its -shm
 * open (found through /proc and through the lock every WAL connection holds
 * on the shm "dead man switch" byte, which works across users), then takes
 * the exclusive lock and copies the backup in through the backup API on the
 * live connection: SQLite itself writes every page through the WAL, and a
 * TRUNCATE checkpoint folds it in.  The caller proves the result with
 * sqlite_digest() and the audit head. */
#include "kiosk/store/sqlite/store_sqlite.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk/err.h"

/* The shm byte every connection of another process holds a read lock on
 * while it has the WAL index mapped (SQLite's UNIX_SHM_DMS: 120 + 8). */
#define SHM_DMS_BYTE 128

static int same_file(const char *a, const struct stat *b)
{
    struct stat sa;
    return stat(a, &sa) == 0 && sa.st_dev == b->st_dev && sa.st_ino == b->st_ino;
}

static int fsync_path(const char *path, int dir)
{
    int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static void dir_of(const char *path, char *out, size_t cap)
{
    snprintf(out, cap, "%s", path);
    char *slash = strrchr(out, '/');
    if (!slash)
        snprintf(out, cap, ".");
    else if (slash == out)
        out[1] = '\0';
    else
        *slash = '\0';
}

int sqlite_backup(struct store *st, const char *path, int force)
{
    struct sqlite_store *s = sq(st);
    /* never onto the live database, its WAL/SHM or anything beside it
     * that the kiosk depends on: --force is for an old backup, not these */
    static const char *const live_suffix[] = {"", "-wal", "-shm", "-journal", ".key"};
    struct stat target;
    if (stat(path, &target) == 0) {
        for (size_t i = 0; i < sizeof live_suffix / sizeof live_suffix[0]; i++) {
            char live[600];
            snprintf(live, sizeof live, "%s%s", s->path, live_suffix[i]);
            if (same_file(live, &target))
                return kerr(KERR_REFUSED, "%s is %s itself: a backup never overwrites the "
                            "live database or its files", path, live);
        }
        if (!force)
            return kerr(KERR_EXISTS, "%s already exists: kioskctl backup never overwrites; "
                        "choose a new name or add --force", path);
        if (!S_ISREG(target.st_mode))
            return kerr(KERR_REFUSED, "%s is not a regular file", path);
    }
    char tmp[600];
    if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp)
        return kerr(KERR_IO, "%s: path too long", path);
    int fd = mkstemp(tmp);   /* 0600, O_EXCL: nobody else can have it open */
    if (fd < 0)
        return kerr(KERR_IO, "%s: cannot create: %s", tmp, strerror(errno));
    close(fd);
    sqlite3 *dst = NULL;
    sqlite3_backup *b = NULL;
    int err = 0, rc;
    if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        err = kerr(KERR_IO, "%s: cannot open: %s", tmp, dst ? sqlite3_errmsg(dst) : "no memory");
        goto out;
    }
    if (!(b = sqlite3_backup_init(dst, "main", s->db, "main"))) {
        err = kerr(KERR_IO, "%s: backup failed: %s", path, sqlite3_errmsg(dst));
        goto out;
    }
    while ((rc = sqlite3_backup_step(b, 1024)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        if (rc != SQLITE_OK)
            sqlite3_sleep(20);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        err = kerr(KERR_IO, "%s: backup failed: %s", path, sqlite3_errstr(rc));
        goto out;
    }
    /* a backup is a single self-contained file: no WAL beside it */
    if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        err = kerr(KERR_IO, "%s: %s", tmp, sqlite3_errmsg(dst));
        goto out;
    }
    sqlite3_close(dst);
    dst = NULL;
    if (fsync_path(tmp, 0) != 0) {
        err = kerr(KERR_IO, "%s: fsync: %s", tmp, strerror(errno));
        goto out;
    }
    if (force) {
        if (rename(tmp, path) != 0)
            err = kerr(KERR_IO, "%s: cannot rename the backup into place: %s", path, strerror(errno));
    } else if (link(tmp, path) != 0) {
        err = errno == EEXIST
                  ? kerr(KERR_EXISTS, "%s already exists: kioskctl backup never overwrites; "
                         "choose a new name or add --force", path)
                  : kerr(KERR_IO, "%s: cannot link the backup into place: %s", path, strerror(errno));
    } else {
        unlink(tmp);
    }
    if (!err) {
        char dir[600];
        dir_of(path, dir, sizeof dir);
        if (fsync_path(dir, 1) != 0)
            err = kerr(KERR_IO, "%s: fsync of the directory: %s", dir, strerror(errno));
    }
out:
    if (dst)
        sqlite3_close(dst);
    if (err)
        unlink(tmp);
    return err;
}

/* ---- who has the database open ---------------------------------------------- */

static void add_holder(char *who, size_t cap, int *n, long pid)
{
    char tag[32];
    snprintf(tag, sizeof tag, "pid %ld ", pid);
    if (strstr(who, tag))
        return;   /* already named */
    char comm_path[64], comm[64] = "?";
    snprintf(comm_path, sizeof comm_path, "/proc/%ld/comm", pid);
    FILE *f = fopen(comm_path, "r");
    if (f) {
        if (fgets(comm, sizeof comm, f))
            comm[strcspn(comm, "\n")] = '\0';
        fclose(f);
    }
    size_t len = strlen(who);
    snprintf(who + len, cap - len, "%spid %ld (%s)", *n ? ", " : "", pid, comm);
    (*n)++;
}

/* Every other process that has path, path-wal or path-shm open, as
 * "pid 123 (kiosk), …" in who; returns how many. */
static int find_holders(const char *path, char *who, size_t cap)
{
    who[0] = '\0';
    int n = 0;
    struct stat files[3];
    int have[3] = {0};
    static const char *const suffix[3] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        have[i] = stat(p, &files[i]) == 0;
    }
    /* the shm lock: visible even when /proc hides another user's fds */
    char shm[600];
    snprintf(shm, sizeof shm, "%s-shm", path);
    int fd = open(shm, O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = SHM_DMS_BYTE, .l_len = 1};
        if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
            add_holder(who, cap, &n, (long)fl.l_pid);
        close(fd);
    }
    DIR *proc = opendir("/proc");
    if (!proc)
        return n;
    long self = (long)getpid();
    struct dirent *d;
    while ((d = readdir(proc))) {
        char *end;
        long pid = strtol(d->d_name, &end, 10);
        if (*end || pid <= 0 || pid == self)
            continue;
        char fddir[64];
        snprintf(fddir, sizeof fddir, "/proc/%ld/fd", pid);
        DIR *fds = opendir(fddir);
        if (!fds)
            continue;   /* another user's process: the lock test above covers it */
        struct dirent *e;
        while ((e = readdir(fds))) {
            if (e->d_name[0] == '.')
                continue;
            char link[320];
            struct stat sb;
            snprintf(link, sizeof link, "%s/%s", fddir, e->d_name);
            if (stat(link, &sb) != 0)
                continue;
            int hit = 0;
            for (int i = 0; i < 3; i++)
                if (have[i] && sb.st_dev == files[i].st_dev && sb.st_ino == files[i].st_ino)
                    hit = 1;
            if (hit) {
                add_holder(who, cap, &n, pid);
                break;
            }
        }
        closedir(fds);
    }
    closedir(proc);
    return n;
}

int sqlite_restore(struct store *st, struct store *src)
{
    struct sqlite_store *s = sq(st), *from = sq(src);
    char who[400];
    if (find_holders(s->path, who, sizeof who) > 0)
        return kerr(KERR_REFUSED, "%s is open in %s: stop those programs first (e.g. systemctl "
                    "stop kiosk); nothing was restored", s->path, who);
    /* hold the database exclusively from the first write until we close, so
     * nobody can open it between the check above and the copy */
    int err = sq_exec(s, "PRAGMA locking_mode = EXCLUSIVE");
    if (err)
        return err;
    sqlite3_backup *b = sqlite3_backup_init(s->db, "main", from->db, "main");
    if (!b)
        return sq_fail(s, "restoring");
    int rc;
    while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_OK)
        ;
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        return kerr(rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? KERR_REFUSED : KERR_DB,
                    "%s: restore failed: %s (nothing was restored)", s->path, sqlite3_errstr(rc));
    /* fold the restored pages into the main file and empty the WAL */
    return sq_exec(s, "PRAGMA wal_checkpoint(TRUNCATE)");
}

/* ---- digest ----------------------------------------------------------------- */

static void put_len(crypto_generichash_state *h, unsigned long long n)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(n >> (56 - 8 * i));
    crypto_generichash_update(h, b, 8);
}

int sqlite_digest(struct store *st, unsigned char out[32])
{
    struct sqlite_store *s = sq(st);
    sqlite3_stmt *tables = NULL, *rows = NULL;
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    int err = 0, rc;
    if (sqlite3_prepare_v2(s->db, "SELECT name, sql FROM sqlite_schema WHERE type = 'table' "
                                  "ORDER BY name", -1, &tables, NULL) != SQLITE_OK)
        return sq_fail(s, "listing tables");
    while ((rc = sqlite3_step(tables)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(tables, 0);
        const char *sql = (const char *)sqlite3_column_text(tables, 1);
        crypto_generichash_update(&h, (const unsigned char *)name, strlen(name) + 1);
        if (sql)
            crypto_generichash_update(&h, (const unsigned char *)sql, strlen(sql) + 1);
        char *q = sqlite3_mprintf("SELECT * FROM \"%w\"", name);
        if (!q) {
            err = KERR_NOMEM;
            break;
        }
        int prc = sqlite3_prepare_v2(s->db, q, -1, &rows, NULL);
        sqlite3_free(q);
        if (prc != SQLITE_OK) {
            err = sq_fail(s, "reading a table for the digest");
            break;
        }
        int ncol = sqlite3_column_count(rows);
        while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
            for (int c = 0; c < ncol; c++) {
                unsigned char type = (unsigned char)sqlite3_column_type(rows, c);
                crypto_generichash_update(&h, &type, 1);
                if (type == SQLITE_NULL)
                    continue;
                /* text and blob as bytes; numbers through their text form, which
                 * SQLite renders the same for the same stored value */
                const void *v = type == SQLITE_BLOB ? sqlite3_column_blob(rows, c)
                                                    : (const void *)sqlite3_column_text(rows, c);
                int len = sqlite3_column_bytes(rows, c);
                put_len(&h, (unsigned long long)len);
                if (len > 0)
                    crypto_generichash_update(&h, v, (unsigned long long)len);
            }
        }
        if (rc != SQLITE_DONE)
            err = sq_fail(s, "reading a table for the digest");
        sqlite3_finalize(rows);
        rows = NULL;
        if (err)
            break;
    }
    if (!err && rc != SQLITE_DONE && rc != SQLITE_ROW)
        err = sq_fail(s, "listing tables");
    sqlite3_finalize(tables);
    crypto_generichash_final(&h, out, 32);
    return err;
}
