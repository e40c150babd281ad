# tests/core/rules.mk — kioskctl driven as an administrator would, from the shell.
# test_runner.sh proves tests/run.sh fails a test that prints no plan or fewer results.
TESTS += tests/core/test_runner.sh tests/core/test_kioskctl.sh tests/core/test_import_kill.sh \
         tests/core/test_security.sh tests/core/test_row_seal.sh \
         tests/core/test_import_wait.sh tests/core/test_check_counts.sh tests/core/test_cli_zh.sh \
         tests/core/test_cli_zh_help.sh tests/core/test_cli_zh_all.sh
