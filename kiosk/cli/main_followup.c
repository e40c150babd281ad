/* main_followup.c — kiosk-followup, the small HTTP service behind the
 * receipts' QR codes (issue 10 item 4; SPEC §9):
 *
 *     kiosk-followup --db DB|URL --listen ADDR:PORT [--config FILE]
 *
 * serves GET /q?r=REF&c=CODE[&lang=en]: the code is checked with the same
 * keyed MAC as `kioskctl receipt verify`, and the page shows what the kiosk
 * shows for that receipt (kiosk/web/: fu_page loads, fu_html renders).  A
 * wrong code, an unknown receipt and any other path get one generic 404
 * page; more than [followup] bad_codes_per_minute wrong codes from one
 * address in a minute get 429 for the rest of that minute.  The database is
 * opened read-only (store_open_readonly).
 *
 * A small pool of threads ([followup] threads, 2) serves the requests, each
 * with its own read-only store connection (opened on its first request) and
 * its own cache; the look-ups run in parallel, the rendering does not: the
 * gettext language is per process, so fu_html_page runs under one lock, and a
 * change of language (setenv) waits until no look-up is reading the
 * environment (store_now reads KIOSK_NOW). */
#include <arpa/inet.h>
#include <getopt.h>
#include <locale.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>
#include <sodium.h>

#include "kiosk/config.h"
#include "kiosk/err.h"
#include "kiosk/i18n.h"
#include "kiosk/next_steps.h"
#include "kiosk/secret.h"
#include "kiosk/store/store.h"
#include "kiosk/web/fu_html.h"
#include "kiosk/web/fu_limit.h"
#include "kiosk/web/fu_page.h"
#include "kiosk/web/fu_pcache.h"

#define KIOSK_VERSION "0.1.0"

#define MAX_THREADS 16

struct server {
    struct kiosk_config cfg;
    struct secret *sec;
    struct ns_config *ns;              /* [kiosk] next_steps: the kiosk's own texts */
    struct fu_limit *limit;
    pthread_mutex_t limit_lock;        /* the limiter's table */
    pthread_mutex_t render_lock;       /* the gettext language */
    pthread_rwlock_t env_lock;         /* setenv (a language switch) against getenv (store_now)
                                          in the look-ups running beside it */
    pthread_mutex_t stores_lock;       /* stores[] */
    struct store *stores[MAX_THREADS]; /* each worker thread's, to close at the end */
    struct fu_pcache *pcaches[MAX_THREADS]; /* and its page cache */
    int n_stores;
    char csp[256];
    struct MHD_Response *generic[3];   /* by enum fu_generic, made once */
};

/* This thread's store: opened read-only and wrapped with its cache on the
 * thread's first request, with its page cache; NULL (and a line on stderr)
 * when that fails. */
static _Thread_local struct store *tl_store;
static _Thread_local struct fu_pcache *tl_pcache;

static struct store *worker_store(struct server *sv)
{
    if (tl_store)
        return tl_store;
    struct store *st = NULL;
    struct fu_pcache *pc = NULL;
    int err = store_open_readonly(sv->cfg.database, &st);
    if (!err)
        err = fu_pcache_new(sv->cfg.followup_page_cache, &pc);
    pthread_mutex_lock(&sv->stores_lock);
    if (!err && sv->n_stores >= MAX_THREADS)
        err = kerr(KERR_NOMEM, "more than %d server threads", MAX_THREADS);
    if (!err) {
        sv->pcaches[sv->n_stores] = pc;
        sv->stores[sv->n_stores++] = st;
    }
    pthread_mutex_unlock(&sv->stores_lock);
    if (err) {
        kerr_print("kiosk-followup", err);
        fu_pcache_free(&pc);
        store_close(&st);
        return NULL;
    }
    tl_pcache = pc;
    return tl_store = st;
}

static void add_headers(const struct server *sv, struct MHD_Response *r);

/* Answer 200 with html (malloc'ed; the response takes it). */
static enum MHD_Result send_page(struct server *sv, struct MHD_Connection *c, char *html, size_t len)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, html, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        secure_wipe(html, len);
        free(html);
        return MHD_queue_response(c, MHD_HTTP_SERVICE_UNAVAILABLE, sv->generic[FU_UNAVAILABLE]);
    }
    add_headers(sv, r);
    enum MHD_Result res = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return res;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: kiosk-followup [--config FILE] [--db FILE|URL] [--listen ADDR:PORT]\n"
            "Serve the receipts' follow-up page: GET /q?r=REF&c=CODE[&lang=en].\n"
            "  --config FILE    the kiosk configuration (default /etc/kiosk/kiosk.conf)\n"
            "  --db FILE|URL    the database, opened read-only ([kiosk] database)\n"
            "  --listen A:P     address and port, e.g. 127.0.0.1:8080 or [::1]:8080\n"
            "                   ([followup] listen, default 127.0.0.1:8080)\n"
            "[followup] bad_codes_per_minute (10): wrong codes per client address and\n"
            "minute before 429; [followup] threads (2): server threads.  Exit codes: 0 stopped by a signal, 1 failure, 2 usage.\n");
}

/* Every response carries these: nothing cached, nothing framed, no referrer
 * leaves the page, the style sheet is the only thing it may load. */
static void add_headers(const struct server *sv, struct MHD_Response *r)
{
    MHD_add_response_header(r, "Content-Type", "text/html; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "Pragma", "no-cache");
    MHD_add_response_header(r, "Content-Security-Policy", sv->csp);
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(r, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
}

static int make_csp(struct server *sv)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)fu_html_css, strlen(fu_html_css));
    char b64[sodium_base64_ENCODED_LEN(sizeof h, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof b64, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
    snprintf(sv->csp, sizeof sv->csp,
             "default-src 'none'; style-src 'sha256-%s'; base-uri 'none'; form-action 'none'; "
             "frame-ancestors 'none'",
             b64);
    return 0;
}

static int make_generic(struct server *sv)
{
    for (int k = FU_NOT_FOUND; k <= FU_UNAVAILABLE; k++) {
        struct fu_buf b;
        fu_buf_init(&b);
        int err = fu_html_generic(k, &b);
        if (!err)
            sv->generic[k] = MHD_create_response_from_buffer(b.len, b.p, MHD_RESPMEM_MUST_COPY);
        fu_buf_release(&b);
        if (err || !sv->generic[k])
            return err ? err : KERR_NOMEM;
        add_headers(sv, sv->generic[k]);
    }
    return 0;
}

static enum MHD_Result send_generic(struct server *sv, struct MHD_Connection *c, enum fu_generic k)
{
    static const unsigned status[] = {MHD_HTTP_NOT_FOUND, MHD_HTTP_TOO_MANY_REQUESTS,
                                      MHD_HTTP_SERVICE_UNAVAILABLE};
    return MHD_queue_response(c, status[k], sv->generic[k]);
}

/* The client's address bytes (IPv4-mapped IPv6 counts as IPv4). */
static size_t client_addr(struct MHD_Connection *c, unsigned char out[16])
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return 0;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET) {
        memcpy(out, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
        return 4;
    }
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(a)) {
            memcpy(out, a->s6_addr + 12, 4);
            return 4;
        }
        memcpy(out, a->s6_addr, 16);
        return 16;
    }
    return 0;
}

static enum MHD_Result serve_q(struct server *sv, struct MHD_Connection *c)
{
    unsigned char addr[16];
    size_t alen = client_addr(c, addr);
    time_t now = time(NULL);
    pthread_mutex_lock(&sv->limit_lock);
    bool blocked = fu_limit_blocked(sv->limit, addr, alen, now);
    pthread_mutex_unlock(&sv->limit_lock);
    if (blocked)
        return send_generic(sv, c, FU_LIMITED);
    struct store *st = worker_store(sv);
    if (!st)
        return send_generic(sv, c, FU_UNAVAILABLE);
    const char *ref = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "r");
    const char *code = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "c");
    const char *lang = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");
    const char *want = lang ? lang : sv->cfg.language;
    const char *page_lang = want && !strcmp(want, "en") ? "en" : "zh";   /* as fu_page_load */
    char stamp[32], token[96];
    /* the page cache first: a genuine code for a page answered since the
     * last commit (fu_pcache.h) costs no look-up */
    if (fu_page_code_ok(sv->sec, ref, code)) {
        pthread_rwlock_rdlock(&sv->env_lock);
        int terr = fu_page_token(st, token, sizeof token);
        store_now(stamp);
        pthread_rwlock_unlock(&sv->env_lock);
        char *html;
        size_t len;
        if (!terr) {
            fu_pcache_validate(tl_pcache, token);
            if (fu_pcache_get(tl_pcache, ref, page_lang, stamp, &html, &len) == 1)
                return send_page(sv, c, html, len);
        } else {
            token[0] = '\0';
        }
    } else {
        token[0] = '\0';
    }
    struct fu_page *pg = malloc(sizeof *pg);
    if (!pg)
        return send_generic(sv, c, FU_UNAVAILABLE);
    bool code_ok = false;
    pthread_rwlock_rdlock(&sv->env_lock);
    int err = fu_page_load(st, sv->sec, ref, code, want, pg, &code_ok);
    store_now(stamp);
    pthread_rwlock_unlock(&sv->env_lock);
    enum MHD_Result res;
    if (err == KERR_NOTFOUND) {
        bool over = false;
        if (!code_ok) {
            pthread_mutex_lock(&sv->limit_lock);
            over = fu_limit_fail(sv->limit, addr, alen, now);
            pthread_mutex_unlock(&sv->limit_lock);
        }
        if (over)
            res = send_generic(sv, c, FU_LIMITED);
        else
            res = send_generic(sv, c, FU_NOT_FOUND);
    } else if (err) {
        fprintf(stderr, "kiosk-followup: look-up failed: %s\n",
                kerr_detail()[0] ? kerr_detail() : kiosk_strerror(err));
        res = send_generic(sv, c, FU_UNAVAILABLE);
    } else {
        struct fu_buf b;
        fu_buf_init(&b);
        pthread_mutex_lock(&sv->render_lock);
        if (strcmp(i18n_lang(), pg->lang)) {
            /* the switch rewrites the environment: not while a look-up may read it */
            pthread_rwlock_wrlock(&sv->env_lock);
            i18n_set_lang(pg->lang);
            pthread_rwlock_unlock(&sv->env_lock);
        }
        err = fu_html_page(pg, code, sv->ns, stamp, &b);
        pthread_mutex_unlock(&sv->render_lock);
        if (!err && token[0]) {
            /* keep it under the token read before the look-up: a commit in
             * between moves the token, and the next request empties the cache */
            const char *at = NULL, *hit = b.p;   /* the stamp: its last place, the footer */
            while ((hit = memmem(hit, b.len - (size_t)(hit - b.p), stamp, 16))) {
                at = hit;
                hit++;
            }
            if (at)
                fu_pcache_put(tl_pcache, pg->ref, pg->lang, b.p, b.len, (size_t)(at - b.p));
        }
        if (!err) {
            res = send_page(sv, c, b.p, b.len);
            b.p = NULL;   /* the response owns it now */
        } else {
            res = send_generic(sv, c, FU_UNAVAILABLE);
        }
        fu_buf_release(&b);
    }
    fu_page_wipe(pg);
    free(pg);
    return res;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    (void)upload_data;
    struct server *sv = cls;
    if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD)) {
        /* no body is ever read: refuse before one arrives */
        struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        if (!r)
            return MHD_NO;
        add_headers(sv, r);
        MHD_add_response_header(r, "Allow", "GET, HEAD");
        enum MHD_Result res = MHD_queue_response(c, MHD_HTTP_METHOD_NOT_ALLOWED, r);
        MHD_destroy_response(r);
        return res;
    }
    /* the first call only announces the request (headers read); answering
     * on the second lets libmicrohttpd keep the connection alive */
    static int seen;
    if (!*con_cls) {
        *con_cls = &seen;
        return MHD_YES;
    }
    if (*upload_data_size) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (strcmp(url, "/q") != 0)
        return send_generic(sv, c, FU_NOT_FOUND);
    return serve_q(sv, c);
}

/* "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:80" → a socket address. */
static int parse_listen(const char *spec, struct sockaddr_storage *ss)
{
    char host[128];
    const char *port;
    if (spec[0] == '[') {
        const char *end = strchr(spec, ']');
        if (!end || end[1] != ':' || (size_t)(end - spec - 1) >= sizeof host)
            return kerr(KERR_USAGE, "--listen %s: expected [IPV6]:PORT", spec);
        snprintf(host, sizeof host, "%.*s", (int)(end - spec - 1), spec + 1);
        port = end + 2;
    } else {
        const char *colon = strrchr(spec, ':');
        if (!colon || (size_t)(colon - spec) >= sizeof host)
            return kerr(KERR_USAGE, "--listen %s: expected ADDR:PORT", spec);
        snprintf(host, sizeof host, "%.*s", (int)(colon - spec), spec);
        port = colon + 1;
    }
    char *end;
    long p = strtol(port, &end, 10);
    if (!*port || *end || p < 1 || p > 65535)
        return kerr(KERR_USAGE, "--listen %s: the port must be 1-65535", spec);
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
                             .ai_socktype = SOCK_STREAM};
    struct addrinfo *ai = NULL;
    if (getaddrinfo(host, port, &hints, &ai) != 0 || !ai)
        return kerr(KERR_USAGE, "--listen %s: '%s' is not a numeric IPv4 or IPv6 address", spec,
                    host);
    memset(ss, 0, sizeof *ss);
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    freeaddrinfo(ai);
    return 0;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    static struct server sv;
    config_defaults(&sv.cfg);
    const char *config = NULL, *db = NULL, *listen = NULL;
    static const struct option opts[] = {
        {"config", required_argument, 0, 'c'}, {"db", required_argument, 0, 'd'},
        {"listen", required_argument, 0, 'l'}, {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},      {0, 0, 0, 0},
    };
    int o;
    while ((o = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
        switch (o) {
        case 'c': config = optarg; break;
        case 'd': db = optarg; break;
        case 'l': listen = optarg; break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("kiosk-followup %s\n", KIOSK_VERSION); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        usage(stderr);
        return 2;
    }
    int err = config_load(&sv.cfg, config ? config : "/etc/kiosk/kiosk.conf", config != NULL);
    if (err) {
        kerr_print("kiosk-followup", err);
        return kiosk_exit_code(err);
    }
    if (db)
        snprintf(sv.cfg.database, sizeof sv.cfg.database, "%s", db);
    if (listen)
        snprintf(sv.cfg.followup_listen, sizeof sv.cfg.followup_listen, "%s", listen);
    struct sockaddr_storage ss;
    if ((err = parse_listen(sv.cfg.followup_listen, &ss))) {
        kerr_print("kiosk-followup", err);
        return 2;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "kiosk-followup: libsodium does not initialise\n");
        return 1;
    }
    if (i18n_init(argv[0]) != 0)
        fprintf(stderr, "kiosk-followup: warning: %s; the Chinese page will show in English\n",
                kerr_detail());

    struct MHD_Daemon *d = NULL;
    struct store *check = NULL;
    int rc = 1;
    int version, latest;
    char secret_path[600];
    pthread_mutex_init(&sv.limit_lock, NULL);
    pthread_mutex_init(&sv.render_lock, NULL);
    pthread_rwlock_init(&sv.env_lock, NULL);
    pthread_mutex_init(&sv.stores_lock, NULL);
    /* the database is there and of this program's schema before listening */
    err = store_open_readonly(sv.cfg.database, &check);
    if (!err)
        err = check->ops->schema_version(check, &version, &latest);
    store_close(&check);
    if (err)
        goto fail;
    if (version < latest) {
        err = kerr(KERR_SCHEMA, "%s: schema version %d, this program needs %d: run kioskctl init",
                   sv.cfg.database, version, latest);
        goto fail;
    }
    if ((err = config_secret_path(&sv.cfg, secret_path, sizeof secret_path)) ||
        (err = secret_load(secret_path, &sv.sec)) ||
        (err = sv.cfg.next_steps[0] ? next_steps_load(sv.cfg.next_steps, &sv.ns)
                                    : next_steps_load_default(&sv.ns)) ||
        (err = fu_limit_new(sv.cfg.bad_codes_per_minute, 65536, &sv.limit)) ||
        (err = make_csp(&sv)) || (err = make_generic(&sv)))
        goto fail;

    /* block the stop signals before the server thread starts, then wait for one */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG,
                         0, NULL, NULL, on_request, &sv,
                         MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                         MHD_OPTION_THREAD_POOL_SIZE, (unsigned)sv.cfg.followup_threads,
                         MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
                         MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)sv.cfg.connections_per_address,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)15,
                         MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
                         MHD_OPTION_END);
    if (!d) {
        err = kerr(KERR_IO, "cannot listen on %s (in use, or not an address of this machine?)",
                   sv.cfg.followup_listen);
        goto fail;
    }
    fprintf(stderr, "kiosk-followup: serving %s on http://%s/q (read-only, %d threads)\n",
            sv.cfg.database, sv.cfg.followup_listen, sv.cfg.followup_threads);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "kiosk-followup: stopping (signal %d)\n", sig);
    rc = 0;
    goto out;
fail:
    kerr_print("kiosk-followup", err);
    rc = kiosk_exit_code(err) ? kiosk_exit_code(err) : 1;
out:
    if (d)
        MHD_stop_daemon(d);
    for (int k = 0; k < 3; k++)
        if (sv.generic[k])
            MHD_destroy_response(sv.generic[k]);
    fu_limit_free(&sv.limit);
    secret_free(&sv.sec);
    next_steps_free(&sv.ns);
    for (int i = 0; i < sv.n_stores; i++) {   /* the workers have stopped */
        fu_pcache_free(&sv.pcaches[i]);
        store_close(&sv.stores[i]);
    }
    return rc;
}
