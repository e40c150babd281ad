#!/bin/sh
# install/pg_roles.sh — the PostgreSQL owner and app roles (issue 11, docs/security.md).
#
# Why: the role that owns a table can disable its triggers (ALTER TABLE audit DISABLE
# TRIGGER) and then delete the audit trail.  So the schema belongs to an OWNER role that
# only `kioskctl init` (migrations) logs in as, and the kiosks, consoles, kioskctl's other
# commands and kiosk-followup connect as an APP role that owns nothing: it may read and
# write the data tables, append to the audit trail and read it, and nothing else — no
# UPDATE, DELETE or TRUNCATE on audit, no DDL, no trigger changes.
#
#   sh install/pg_roles.sh create SUPERUSER_URL DATABASE [OWNER [APP]]
#       as a superuser (once): the two LOGIN roles (defaults kiosk_owner, kiosk_app), the
#       database owned by OWNER (so its public schema is OWNER's too: PostgreSQL 15 gives
#       public to the database owner and no CREATE to anyone else), CONNECT for APP.
#       Set passwords afterwards (\password kiosk_owner, \password kiosk_app) unless the
#       server authenticates another way.
#   kioskctl --db postgresql://OWNER@HOST/DATABASE init
#       the migrations, as the owner.
#   sh install/pg_roles.sh grant OWNER_URL [APP]
#       as the owner, after every init that migrated: APP's privileges on every table and
#       sequence (and by default on tables later migrations add), then audit's taken
#       back to SELECT and INSERT.  Idempotent.
#
# Then configure the programs with `[kiosk] database = postgresql://APP@HOST/DATABASE`.
# A read-only APP for kiosk-followup: docs/followup.md.
set -eu
PSQL=${PSQL:-psql}
usage() { sed -n '12,22p' "$0" >&2; exit 2; }
ident() {   # a role or database name: letters, digits, underscore (no quoting games)
    case $1 in ''|*[!a-z0-9_]*) echo "pg_roles.sh: '$1' is not a plain lower-case name" >&2; exit 2;; esac
}
[ $# -ge 2 ] || usage
cmd=$1; url=$2
case $cmd in
create)
    [ $# -ge 3 ] || usage
    db=$3; owner=${4:-kiosk_owner}; app=${5:-kiosk_app}
    ident "$db"; ident "$owner"; ident "$app"
    $PSQL -X -q -v ON_ERROR_STOP=1 -d "$url" <<SQL
DO \$\$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$owner') THEN
        CREATE ROLE $owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$app') THEN
        CREATE ROLE $app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
END \$\$;
SELECT 'CREATE DATABASE $db OWNER $owner'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$db') \gexec
REVOKE ALL ON DATABASE $db FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE $db TO $app;
GRANT CONNECT, TEMPORARY, CREATE ON DATABASE $db TO $owner;
SQL
    echo "roles $owner (owner) and $app (app) and database $db ready; now: kioskctl --db postgresql://$owner@…/$db init; sh $0 grant postgresql://$owner@…/$db $app"
    ;;
grant)
    app=${3:-kiosk_app}
    ident "$app"
    $PSQL -X -q -v ON_ERROR_STOP=1 -d "$url" <<SQL
BEGIN;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO $app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO $app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO $app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO $app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO $app;
-- the trail is append-only for the app: read and append, never rewrite
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit FROM $app, PUBLIC;
GRANT SELECT, INSERT ON audit TO $app;
-- the schema version is the owner's business
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON kiosk_schema FROM $app, PUBLIC;
GRANT SELECT ON kiosk_schema TO $app;
COMMIT;
SQL
    echo "$app: data tables read/write, audit SELECT and INSERT only, owns nothing"
    ;;
*) usage ;;
esac
