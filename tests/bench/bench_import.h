/* bench_import.h — the import figure against its two floors (run by
 * bench_position on the largest list). */
#ifndef TESTS_BENCH_IMPORT_H
#define TESTS_BENCH_IMPORT_H

struct secret;
struct import_result;

/* db: the database the bureau file csv (n rows) was just imported into, in
 * first_s seconds with *first as the result; dir: scratch space.  Imports
 * the same file again into fresh databases (BENCH_IMPORT_RUNS in all,
 * default 3), builds both floors as many times from db's final rows, and
 * prints the two ratio lines and the breakdown.  0, or 1 when it could not
 * run. */
int bench_import_figures(const char *dir, const char *db, const char *csv,
                         const struct secret *sec, long long n, double first_s,
                         const struct import_result *first);

#endif
