# tests/core/rules.mk — kioskctl driven as an administrator would, from the shell.
TESTS += tests/core/test_kioskctl.sh tests/core/test_import_kill.sh
