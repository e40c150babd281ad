/* err.h — errors as values: one table of codes, messages and exit codes.
 *
 * Every fallible function in the project returns 0 (KERR_OK) or a negative
 * enum kiosk_err.  The message and the process exit code for each code live
 * in the single X-macro table below, so the CLI, the screens and the tests
 * agree on what an error means.  A function may attach a detail line (what
 * and where) with kerr(); the caller prints it with kerr_print(). */
#ifndef KIOSK_ERR_H
#define KIOSK_ERR_H

/*     name       value exit message */
#define KIOSK_ERR_TABLE(X)                                                        \
    X(OK,          0, 0, "success")                                               \
    X(NOMEM,      -1, 1, "out of memory")                                         \
    X(IO,         -2, 1, "input/output error")                                    \
    X(DB,         -3, 1, "database error")                                        \
    X(SCHEMA,     -4, 1, "the database schema is not one this program knows")     \
    X(SECRET,     -5, 1, "site secret missing, unreadable or unsafe")             \
    X(CRYPTO,     -6, 1, "decryption failed (wrong site secret or damaged data)") \
    X(TAMPER,     -7, 1, "audit trail verification failed")                      \
    X(DEVICE,     -8, 1, "device error")                                          \
    X(NODEV,      -9, 1, "device not connected")                                  \
    X(TIMEOUT,   -10, 1, "timed out")                                             \
    X(PAPER,     -11, 1, "printer is out of paper")                               \
    X(BUSY,      -12, 1, "the database is busy")                                  \
    X(USAGE,     -13, 2, "usage error")                                           \
    X(CONFIG,    -14, 2, "bad configuration")                                     \
    X(INPUT,     -15, 3, "bad input data")                                        \
    X(EXISTS,    -16, 3, "already exists")                                        \
    X(NOTFOUND,  -17, 4, "not found")                                             \
    X(REFUSED,   -18, 5, "not allowed for this user")                             \
    X(AUTH,      -19, 5, "wrong user name or password")                           \
    X(LOCKED,    -20, 5, "account locked or disabled")                            \
    X(STAGE,     -21, 5, "this stage change is not allowed")                      \
    X(RATE,      -22, 5, "too many attempts; please wait")                        \
    X(UNSUPPORTED,-23,1, "not supported by this build")                         \
    X(OFFLINE,   -24, 1, "the database cannot be reached")

enum kiosk_err {
#define KIOSK_ERR_ENUM(name, value, exitc, msg) KERR_##name = (value),
    KIOSK_ERR_TABLE(KIOSK_ERR_ENUM)
#undef KIOSK_ERR_ENUM
};

/* The fixed message for an error code ("unknown error" for anything else). */
const char *kiosk_strerror(int err);

/* The process exit code SPEC §2 assigns to an error (0 for KERR_OK). */
int kiosk_exit_code(int err);

/* Record a detail line for err ("FILE:LINE: column: what is wrong", "user x
 * has no role street", …) and return err, so a failure reads
 *     return kerr(KERR_INPUT, "%s: bad date", col);
 * The detail lives in a per-thread buffer until the next kerr()/kerr_clear(). */
int kerr(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The last detail line, or "" when none was set. */
const char *kerr_detail(void);
/* The same detail in the language in force (i18n_set_lang), for people at a
 * screen: the format is a message id (data/po/zh.po, "#, c-format"), and so
 * is every %s argument that has a translation (stage, role and action
 * codes); names, references and numbers pass through.  Falls back to
 * kerr_detail() when the translation's conversions differ from the
 * original's.  The CLI and logs keep kerr_detail(): scripts read English. */
const char *kerr_detail_local(void);
/* The last detail again, as err, with "PREFIX: " before it in both the
 * English and the local detail (prefix NULL: no prefix) — for a caller that
 * rewords a callee's error (an option's name before a parser's words, a
 * usage error's exit code).  kerr(err, "%s", kerr_detail()) cannot: it
 * would format the buffer it reads into, and lose the translation. */
int kerr_recode(int err, const char *prefix);
/* kiosk_strerror in the language in force. */
const char *kiosk_strerror_local(int err);
void kerr_clear(void);
/* err means the database cannot be reached: KERR_OFFLINE itself, or the
 * KERR_DB a caller returns for a statement it could not prepare, when the
 * detail was recorded as KERR_OFFLINE. */
int kerr_is_offline(int err);

/* A problem's words, in English and in the language in force, kept apart
 * from the detail line: a file's parser words the problem where it finds it
 * (kerr_why: the format a message id and its %s words translated, as
 * kerr() does) and reports it once the parse is over, with the file's name
 * and line before it (kerr_with). */
struct kerr_why {
    char text[256], local[256];
};
void kerr_why(struct kerr_why *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Record err's detail as fmt's text (names and numbers: formatted as they
 * are, not translated) followed by w's words, in both languages. */
int kerr_with(int err, const struct kerr_why *w, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Print "PROG: DETAIL" (or "PROG: MESSAGE" when no detail) to stderr. */
void kerr_print(const char *prog, int err);

#endif
