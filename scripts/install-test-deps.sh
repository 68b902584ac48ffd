#!/usr/bin/env bash
# What the tests need beyond Python packages: Debian's Chromium, for the browser tests.
# Idempotent: installs only what is missing. Needs root (as on CI and the developers' machines).
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
fi
