#!/usr/bin/env bash
# What the tests need beyond Python packages, from Debian: Chromium (browser tests), Japanese fonts
# (screenshots), Node's npm for axe-core (accessibility), CKAN + ckanext-dcat in a venv (harvesting), Virtuoso (the triple-store tests), nginx and Apache (the static-host conneg tests),
# a C compiler (setup.py compiles the hot modules with mypyc; the tests then check the compiled code).
# Idempotent: installs only what is missing. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-noto-cjk)
command -v virtuoso-t >/dev/null 2>&1 || missing+=(virtuoso-opensource)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
[ -x /usr/sbin/apache2 ] || missing+=(apache2)
command -v cc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# axe-core (the accessibility checker the browser tests inject), pinned by tests/browser/package-lock.json.
if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
    command -v npm >/dev/null 2>&1 || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null; }
    npm ci --prefix tests/browser --no-audit --no-fund --silent
fi
# CKAN 2.12 with ckanext-dcat 2.4 in a venv of their own (their pins differ from planlod's): the harvest test
# runs ckanext-dcat's own parser on the catalog.
if [ ! -x .venv-ckan/bin/python ]; then
    python3 -m venv .venv-ckan
    .venv-ckan/bin/python -m pip install -q --no-deps -r tests/ckan/requirements.txt
fi
# The Debian package starts a Virtuoso service on the default ports; the tests start their own.
if [ -x /etc/init.d/virtuoso-opensource-7 ]; then /etc/init.d/virtuoso-opensource-7 stop >/dev/null 2>&1 || true; fi
# Likewise the Apache and nginx services the packages may start: the tests run their own, on free ports.
if [ -x /etc/init.d/apache2 ]; then /etc/init.d/apache2 stop >/dev/null 2>&1 || true; fi
if [ -x /etc/init.d/nginx ]; then /etc/init.d/nginx stop >/dev/null 2>&1 || true; fi
