# tests/link/rules.mk — what each program links (issue 8 item 6): no libpq tree in
# either program, no curses in kioskctl, no test-only transport in the product, and
# the PostgreSQL plugin found, loaded and bound to the program's core.  Reads the
# built binaries with readelf/nm/ldd and runs them (tests/link/test_link.sh).
TESTS += tests/link/test_link.sh
