/* json.h — the little JSON writing the CLI needs (strings escaped per RFC 8259). */
#ifndef KIOSK_JSON_H
#define KIOSK_JSON_H

#include <stdio.h>

/* Write s as a JSON string literal, quotes included. */
void json_str(FILE *out, const char *s);
/* "key": "value" with a leading comma unless first. */
void json_kv_str(FILE *out, int *first, const char *key, const char *value);
void json_kv_int(FILE *out, int *first, const char *key, long long value);
void json_kv_raw(FILE *out, int *first, const char *key, const char *raw);

#endif
