#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages: Debian's chromium (browser tests),
# openssl and gnupg (interoperability with tools we did not write), python3-jwcrypto (JOSE
# interoperability), postgresql (a throwaway cluster for the PostgreSQL adapter and the
# multi-instance test; only its binaries are used, the packaged service is not). Installs only
# what is missing, so it is quick on a prepared machine.
set -euo pipefail

need=()
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v gpg >/dev/null 2>&1 || need+=(gnupg)
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
[ -x /usr/bin/chromium ] || need+=(chromium)
/usr/bin/python3 -c 'import jwcrypto' >/dev/null 2>&1 || need+=(python3-jwcrypto)
command -v initdb >/dev/null 2>&1 || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null ||
  need+=(postgresql)

if [ ${#need[@]} -gt 0 ]; then
  echo "test:setup: installing ${need[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"
else
  echo "test:setup: openssl, gnupg, chromium, python3-jwcrypto and postgresql are present"
fi

[ -d node_modules ] || npm ci
