#!/usr/bin/env bash
# The package as a user gets it: `npm pack` (which builds dist/ through prepack), the tarball
# installed into a fresh temporary project without dev dependencies, and there:
#   - no TypeScript sources, no tsx: the tarball ships dist/ and bin/ only
#   - the `apprentice` bin runs (built JS): --version, train, predict, export runtime
#   - plain Node 20 imports `apprentice` and `apprentice/runtime`; both agree with `apprentice predict`
#   - a small TypeScript consumer type-checks against the published .d.ts
# Run: npm run check:package   (also run by .ci/run). KEEP=1 keeps the temp dir for a look.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/apprentice-pack-XXXXXX")"
cleanup() { if [[ "${KEEP:-}" == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT

echo "--- npm pack (builds dist/)"
tarball="$(cd "$repo" && npm pack --silent --pack-destination "$work" | tail -n 1)"
tarball="$work/$tarball"
[[ -f "$tarball" ]] || { echo "npm pack wrote no tarball" >&2; exit 1; }
listing="$(tar -tzf "$tarball")"
for must in package/dist/src/index.js package/dist/src/index.d.ts package/dist/runtime/apprentice-runtime.js \
  package/dist/runtime/apprentice-runtime-extract.js package/dist/src/runtime/extract.d.ts \
  package/dist/src/runtime/index.d.ts package/dist/test/testing.js package/bin/apprentice.mjs; do
  grep -qx "$must" <<<"$listing" || { echo "tarball lacks $must" >&2; exit 1; }
done
if grep -E '^package/(src|test)/|\.test\.(js|ts)$|\.ts$' <<<"$listing" | grep -v '\.d\.ts$'; then
  echo "tarball ships sources or tests (above)" >&2
  exit 1
fi
echo "    $(basename "$tarball"): $(wc -l <<<"$listing") files, $(du -k "$tarball" | cut -f1) KB"

echo "--- install into a fresh project (no dev dependencies)"
app="$work/app"
mkdir -p "$app"
cp "$repo"/test/package/consumer/* "$app/"
cat >"$app/package.json" <<'JSON'
{ "name": "apprentice-consumer", "private": true, "type": "module", "allowScripts": { "better-sqlite3": true } }
JSON
# better-sqlite3 builds or downloads its native addon in an install script; npm 11 runs dependency
# install scripts only when package.json "allowScripts" names them (older npm ignores the field).
(cd "$app" && npm install --omit=dev --no-audit --no-fund --loglevel=error "$tarball")
[[ ! -e "$app/node_modules/tsx" ]] || { echo "tsx was installed: it must be a dev dependency only" >&2; exit 1; }
[[ ! -e "$app/node_modules/apprentice/src" ]] || { echo "installed package has src/" >&2; exit 1; }

echo "--- the apprentice bin (built JS)"
bin="$app/node_modules/.bin/apprentice"
want="$(node -p "require('$repo/package.json').version")"
got="$(cd "$app" && "$bin" --version)"
[[ "$got" == "$want" ]] || { echo "apprentice --version printed '$got', want '$want'" >&2; exit 1; }
cp "$repo/examples/support-routing/labeled.jsonl" "$repo/examples/support-routing/gold.jsonl" "$app/"
cd "$app"
"$bin" train labeled.jsonl --eval gold.jsonl --out model >/dev/null
node -e "for (const l of require('fs').readFileSync('gold.jsonl','utf8').trim().split('\n').slice(0,60)) console.log(JSON.parse(l).text.replace(/\n/g,' '))" >texts.txt
printf '%s\n' 'Ünïcödé façade — naïve café' '?!' >>texts.txt
"$bin" predict model --input texts.txt --out preds.jsonl >/dev/null
"$bin" export runtime model --out site >/dev/null
for f in apprentice-runtime.js student.bin index.html worker.js; do [[ -s "site/$f" ]] || { echo "export runtime wrote no $f" >&2; exit 1; }; done
cmp -s site/apprentice-runtime.js node_modules/apprentice/dist/runtime/apprentice-runtime.js \
  || { echo "export runtime did not copy the packaged runtime" >&2; exit 1; }
code=0
"$bin" export runtime model --out site >/dev/null 2>&1 || code=$?
[[ "$code" == 2 ]] || { echo "export over an earlier export should refuse with exit 2, got $code" >&2; exit 1; }

echo "--- apprentice studio serves its prebuilt page from the package"
mkdir -p runs
"$bin" studio --runs runs --port 0 2>studio.log &
studio_pid=$!
url=""
for _ in $(seq 1 100); do
  url="$(grep -o 'http://127.0.0.1:[0-9]*' studio.log | head -n 1 || true)"
  [[ -n "$url" ]] && break
  sleep 0.2
done
[[ -n "$url" ]] || { cat studio.log >&2; kill "$studio_pid" 2>/dev/null; echo "studio did not start" >&2; exit 1; }
# Whole responses to files: a reader that stops early (grep -q, head) fails curl under pipefail.
curl -fsS "$url/" -o studio.html && grep -q '<html' studio.html || { kill "$studio_pid"; echo "studio served no page" >&2; exit 1; }
curl -fsS "$url/assets/app.js" -o studio-app.js && [[ -s studio-app.js ]] || { kill "$studio_pid"; echo "studio served no assets/app.js" >&2; exit 1; }
kill -TERM "$studio_pid"
wait "$studio_pid" || true

echo "--- plain Node imports apprentice and apprentice/runtime"
node check.mjs model texts.txt preds.jsonl

echo "--- a TypeScript consumer type-checks against the published types"
node "$repo/node_modules/typescript/bin/tsc" -p tsconfig.json

echo "--- package OK"
