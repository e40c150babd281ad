/* proc_hygiene.c — no core dumps from any program (see proc_hygiene.h). */
#include "kiosk/cli/proc_hygiene.h"

#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "kiosk/err.h"

int proc_no_core_dumps(void)
{
    struct rlimit none = {0, 0};
    if (setrlimit(RLIMIT_CORE, &none) != 0)
        return kerr(KERR_IO, "cannot disable core dumps (RLIMIT_CORE): %s", strerror(errno));
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        return kerr(KERR_IO, "cannot disable core dumps (PR_SET_DUMPABLE): %s", strerror(errno));
    return 0;
}
