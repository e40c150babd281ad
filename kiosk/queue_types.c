/* queue_types.c — names of statuses, ordering keys and roles. */
#include "kiosk/queue_types.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/err.h"

static const char *const status_names[ST__COUNT] = {
    "waiting", "frozen", "offered", "housed", "withdrawn", "removed",
};
static const char *const key_names[OK__COUNT] = {
    "tier", "wait_since", "insured_since", "hukou_since", "lottery_no",
};
static const char *const role_names[] = {
    "street", "district", "assessor", "provider", "housing", "admin",
};
#define N_ROLES (sizeof role_names / sizeof role_names[0])

const char *entry_status_name(int status)
{
    return status >= 0 && status < ST__COUNT ? status_names[status] : "unknown";
}

static int parse_name(const char *s, const char *const *names, int n, int *out)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = i;
            return 0;
        }
    return KERR_INPUT;
}

int entry_status_parse(const char *s, int *status)
{
    return parse_name(s, status_names, ST__COUNT, status);
}

const char *order_key_name(int key)
{
    return key >= 0 && key < OK__COUNT ? key_names[key] : "unknown";
}

int order_key_parse(const char *s, int *key) { return parse_name(s, key_names, OK__COUNT, key); }

const char *role_name(unsigned role_bit)
{
    for (unsigned i = 0; i < N_ROLES; i++)
        if (role_bit == (1u << i))
            return role_names[i];
    return "unknown";
}

int roles_parse(const char *list, unsigned *mask)
{
    *mask = 0;
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ",");
        int found = 0;
        for (unsigned i = 0; i < N_ROLES; i++)
            if (n == strlen(role_names[i]) && strncmp(p, role_names[i], n) == 0) {
                *mask |= 1u << i;
                found = 1;
            }
        if (!found)
            return kerr(KERR_INPUT, "unknown role '%.*s' (roles: street, district, assessor, "
                        "provider, housing, admin)", (int)n, p);
        p += n;
        if (*p == ',')
            p++;
    }
    if (*mask == 0)
        return kerr(KERR_INPUT, "no role given");
    return 0;
}

void roles_format(unsigned mask, char *out, unsigned long cap)
{
    size_t used = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < N_ROLES; i++)
        if (mask & (1u << i)) {
            int k = snprintf(out + used, cap - used, "%s%s", used ? "," : "", role_names[i]);
            if (k < 0 || (size_t)k >= cap - used)
                break;
            used += (size_t)k;
        }
}
