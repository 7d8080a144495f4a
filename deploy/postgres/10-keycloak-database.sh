#!/bin/sh
# Run by the postgres image on its first start (empty data volume): a database and role for Keycloak beside
# Switchboard's, so the compose stack needs one PostgreSQL. KEYCLOAK_DB_PASSWORD comes from deploy/.env.
set -eu
psql -v ON_ERROR_STOP=1 -v password="$KEYCLOAK_DB_PASSWORD" --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE keycloak LOGIN PASSWORD :'password';
CREATE DATABASE keycloak OWNER keycloak;
SQL
