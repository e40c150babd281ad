#!/bin/sh
# test_bed_cli.sh — `kioskctl user …` and `kioskctl bed list|show|advance` as SPEC §2/§5
# fix them: exit codes 0/2/3/4/5, a refused step changing nothing, the JSON shapes
# (checked with python3), and no scores or diagnoses in any output.  Prints TAP lines.
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }
B=${KIOSK_BUILD:-build}
CTL="$B/asan/kioskctl"
[ -x "$CTL" ] || CTL="$B/kioskctl"
T=$(mktemp -d /tmp/kiosk-bed-XXXXXX)
trap 'rm -rf "$T"' EXIT
export ASAN_OPTIONS=detect_leaks=1
K="$CTL --db $T/k.db"
# expect CODE DESCRIPTION [STDIN-TEXT] -- COMMAND...
expect() {
    code=$1; d=$2; in=$3; shift 4
    printf '%s\n' "$in" | "$@" >"$T/out" 2>"$T/err"; rc=$?
    if [ "$rc" -eq "$code" ]; then ok "$d (exit $rc)"; else notok "$d: exit $rc, wanted $code: $(head -c 300 "$T/err")"; fi
}
json_ok() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $2" "$1" 2>"$T/pyerr"; }

$K demo --households 60 --seed 7 >/dev/null 2>&1 && ok "demo" || notok "demo: $(cat "$T/err")"
PW=good-password-1
expect 0 "user add street" "$PW" -- $K user add s1 --roles street --password-stdin
expect 0 "user add district" "$PW" -- $K user add d1 --roles district --password-stdin
expect 0 "user add assessor with org" "$PW" -- $K user add a1 --roles assessor --password-stdin --org 独立评估所 --org-phone 0755-1
expect 0 "user add provider with org" "$PW" -- $K user add p1 --roles provider --password-stdin --org 康乐居家养老服务中心
expect 0 "user add assessor of the provider's org" "$PW" -- $K user add a2 --roles assessor --password-stdin --org 康乐居家养老服务中心
expect 3 "user add: duplicate" "$PW" -- $K user add s1 --roles street --password-stdin
expect 3 "user add: unknown role" "$PW" -- $K user add x1 --roles mayor --password-stdin
expect 3 "user add: short password" "short" -- $K user add x2 --roles street --password-stdin
expect 2 "user add: no --password-stdin" "" -- $K user add x3 --roles street
expect 4 "user roles: unknown user" "" -- $K user roles nobody street
expect 0 "user list" "" -- $K user list
grep -q '^s1 ' "$T/out" && ! grep -q argon2 "$T/out" && ok "user list shows accounts, no hashes" || notok "user list output"

expect 0 "bed list --json" "" -- $K bed list --json
cp "$T/out" "$T/list.json"
json_ok "$T/list.json" "a=d['applications']; assert len(a)==40 and all('ref' in x and 'stage' in x for x in a)" \
    && ok "bed list JSON shape" || notok "bed list JSON: $(cat "$T/pyerr")"
stages=$(python3 -c "import json,sys; print(len({x['stage'] for x in json.load(open(sys.argv[1]))['applications']}))" "$T/list.json")
[ "$stages" = 11 ] && ok "demo has applications in all 11 stages" || notok "demo stages: $stages"
expect 0 "bed list --stage submitted" "" -- $K bed list --stage submitted --json
json_ok "$T/out" "assert d['applications'] and all(x['stage']=='submitted' for x in d['applications'])" \
    && ok "stage filter" || notok "stage filter"
REF=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['applications'][0]['ref'])" "$T/out")
expect 2 "bed list --stage bogus" "" -- $K bed list --stage bogus
expect 4 "bed show unknown" "" -- $K bed show NOSUCHREF --json
expect 0 "bed show --json" "" -- $K bed show "$REF" --json
json_ok "$T/out" "assert d['ref']=='$REF' and d['stage']=='submitted' and d['history'][0]['stage']=='submitted' and set(d['history'][0])>={'stage','at','by'}" \
    && ok "bed show JSON shape" || notok "bed show JSON: $(cat "$T/pyerr")"

# refusals: exit 5 and nothing changed
before=$($K bed show "$REF" --json)
audit_before=$($K audit tail -n 1 | awk '{print $1}')
expect 5 "district may not street-approve" "$PW" -- $K bed advance "$REF" --to street_approved --user d1 --password-stdin
expect 5 "wrong password" "bad-password" -- $K bed advance "$REF" --to street_approved --user s1 --password-stdin
expect 5 "unknown user" "$PW" -- $K bed advance "$REF" --to street_approved --user ghost --password-stdin
expect 5 "stage skip submitted -> assessed" "$PW" -- $K bed advance "$REF" --to in_service --user s1 --password-stdin
after=$($K bed show "$REF" --json)
[ "$before" = "$after" ] && ok "refused steps left the application unchanged" || notok "application changed after refusals"
expect 2 "rejected without --reason" "$PW" -- $K bed advance "$REF" --to rejected --user s1 --password-stdin
expect 2 "bad --to" "$PW" -- $K bed advance "$REF" --to approved --user s1 --password-stdin
expect 4 "advance unknown ref" "$PW" -- $K bed advance NOSUCHREF --to street_approved --user s1 --password-stdin

# the whole path
expect 0 "street approves" "$PW" -- $K bed advance "$REF" --to street_approved --user s1 --password-stdin
expect 0 "district approves" "$PW" -- $K bed advance "$REF" --to district_approved --user d1 --password-stdin
expect 2 "assessed needs --assessment" "$PW" -- $K bed advance "$REF" --to assessed --user a1 --password-stdin
{ echo "# test assessment"; echo "scores=2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,1,1,1,1,1,2,2,2"; echo "dementia=yes"; echo "diagnoses=阿尔茨海默病SECRETDX"; } > "$T/assess.txt"
echo "B1.1=9" > "$T/bad.txt"
expect 3 "bad assessment file" "$PW" -- $K bed advance "$REF" --to assessed --user a1 --password-stdin --assessment "$T/bad.txt"
expect 0 "assessor records the assessment" "$PW" -- $K bed advance "$REF" --to assessed --user a1 --password-stdin --assessment "$T/assess.txt"
expect 4 "unknown provider" "$PW" -- $K bed advance "$REF" --to provider_assigned --user d1 --password-stdin --provider 没有的机构
expect 0 "district assigns the provider" "$PW" -- $K bed advance "$REF" --to provider_assigned --user d1 --password-stdin --provider 康乐居家养老服务中心
expect 5 "another provider may not build" "demo-password" -- $K bed advance "$REF" --to built --user demo-provider2 --password-stdin
expect 0 "assigned provider builds" "$PW" -- $K bed advance "$REF" --to built --user p1 --password-stdin
expect 5 "assessor of the builder's org may not accept" "$PW" -- $K bed advance "$REF" --to accepted --user a2 --password-stdin
expect 0 "independent assessor accepts" "$PW" -- $K bed advance "$REF" --to accepted --user a1 --password-stdin
expect 0 "provider starts service" "$PW" -- $K bed advance "$REF" --to in_service --user p1 --password-stdin
expect 5 "resident-only step: street may not withdraw in service" "$PW" -- $K bed advance "$REF" --to withdrawn --user s1 --password-stdin --reason x
expect 0 "district ends it with a reason" "$PW" -- $K bed advance "$REF" --to exited --user d1 --password-stdin --reason 入住养老机构
expect 0 "bed show after the path" "" -- $K bed show "$REF" --json
json_ok "$T/out" "h=d['history']; assert [x['stage'] for x in h]==['submitted','street_approved','district_approved','assessed','provider_assigned','built','accepted','in_service','exited'], h; assert h[-1]['by']=='d1' and h[-1]['reason']=='入住养老机构'; assert d['level'] in ('重度失能','severe disability'), d['level']; assert d['provider']=='康乐居家养老服务中心'" \
    && ok "history, level word and provider recorded" || notok "history: $(cat "$T/pyerr")"
# (on a bed show that has the assessed step, so "nothing leaked" is not "nothing shown")
if grep -q '"stage": *"assessed"' "$T/out" && ! grep -q "SECRETDX" "$T/out" && ! grep -q '"scores\?"' "$T/out"; then
    ok "no scores or diagnoses in bed show"; else notok "bed show leaks the assessment, or shows no assessed step: $(head -c 300 "$T/out")"; fi

# lockout through the CLI (max_failed_logins 5 by default)
for i in 1 2 3 4 5; do printf 'nope-nope\n' | $K bed advance "$REF" --to exited --user s1 --password-stdin --reason x >/dev/null 2>&1; done
expect 5 "locked account refused with the right password" "$PW" -- $K bed advance "$REF" --to street_approved --user s1 --password-stdin
grep -q locked "$T/err" && ok "lock is reported" || notok "lock message: $(cat "$T/err")"
expect 0 "user passwd clears the lock" "new-password-2" -- $K user passwd s1 --password-stdin
expect 0 "user disable" "" -- $K user disable d1
expect 5 "disabled account refused" "$PW" -- $K bed advance "$REF" --to exited --user d1 --password-stdin --reason x

# position shows the applications with resident-safe fields only
ID=$($K demo --households 60 --seed 7 2>/dev/null | sed -n 's/^  insert \([0-9X]*\) .*/\1/p' | head -1)
expect 0 "position --json for demo household 0" "" -- $K position --id "$ID" --json
json_ok "$T/out" "a=d['applications']; assert a and a[0]['stage']=='in_service' and a[0]['provider'] and a[0]['provider_phone'] and a[0]['level']" \
    && ok "position applications: stage, provider, phone, level word" || notok "position JSON: $(cat "$T/pyerr")"
json_ok "$T/out" "import re; s=json.dumps(d['applications'], ensure_ascii=False); assert not re.search('score|diagnos|dementia|total|阿尔茨海默', s), s" \
    && ok "no assessment fields in position's applications" || notok "position leaks assessment fields: $(cat "$T/pyerr")"
expect 0 "check after all this" "" -- $K check
echo "1..$n"
