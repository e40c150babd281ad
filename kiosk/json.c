/* json.c — JSON string escaping and key/value helpers. */
#include "kiosk/json.h"

void json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);   /* UTF-8 passes through */
        }
    }
    fputc('"', out);
}

static void key(FILE *out, int *first, const char *k)
{
    if (!*first)
        fputs(", ", out);
    *first = 0;
    json_str(out, k);
    fputs(": ", out);
}

void json_kv_str(FILE *out, int *first, const char *k, const char *value)
{
    key(out, first, k);
    json_str(out, value);
}

void json_kv_int(FILE *out, int *first, const char *k, long long value)
{
    key(out, first, k);
    fprintf(out, "%lld", value);
}

void json_kv_raw(FILE *out, int *first, const char *k, const char *raw)
{
    key(out, first, k);
    fputs(raw, out);
}
