# tests/followup/lib.sh — sourced by the follow-up page tests: TAP helpers, a
# demo database, a free port and a kiosk-followup started on it.
B=${KIOSK_BUILD:-build}
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); echo "not ok $n - $*"; }
check() {   # check DESCRIPTION COMMAND... (passes when COMMAND exits 0)
    d=$1; shift
    if "$@"; then ok "$d"; else nok "$d"; fi
}
has() { grep -qF -- "$2" "$1"; }
lacks() { ! grep -qF -- "$2" "$1"; }

# free_port: a TCP port nothing listens on (the kernel picks it)
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server BINARY DB CONF PORT LOG: start kiosk-followup, wait until it answers
start_server() {
    "$1" --db "$2" --config "$3" --listen "127.0.0.1:$4" >"$5" 2>&1 &
    SERVER_PID=$!
    i=0
    while [ $i -lt 100 ]; do
        curl -s -o /dev/null "http://127.0.0.1:$4/" && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || return 1
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
stop_server() {
    [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=
}
