#!/usr/bin/env bash
# Re-copies the library's sequence-perceptron featurizer and decoder into the extraction runtime
# (src/runtime is a leaf and may not import them). Run it after changing
# src/student/sequence/features.ts or decode.ts; src/export/runtime-extract.test.ts fails until the
# copies match the library bit for bit. Each copy keeps its own header (everything above the first
# copied declaration) and takes the library file from that declaration on; decode.ts's pathScore
# (training only) is left out. The tokenizer and FNV at the top of sequence-features.ts are copied
# by hand (src/text/spans/tokenize.ts, src/text/fnv.ts): the same test catches a drift there.
set -euo pipefail
cd "$(dirname "$0")/.."
rt=src/runtime

copy() { # <runtime file> <library file> <first copied line, as a sed pattern>
  local out=$1 lib=$2 from=$3 tmp
  tmp=$(mktemp)
  { sed -n "1,/${from}/p" "$out" | sed '$d'; sed -n "/${from}/,\$p" "$lib"; } >"$tmp"
  mv "$tmp" "$out"
}

copy "$rt/sequence-features.ts" src/student/sequence/features.ts '^export interface FeatureConfig'
copy "$rt/sequence-decode.ts" src/student/sequence/decode.ts '^export interface ChainWeights'
# pathScore scores a tagging for the perceptron's updates; the runtime never trains.
awk '/^\/\*\* Unnormalized log score/ {skip=1} skip && /^}$/ {skip=0; next} !skip {print}' \
  "$rt/sequence-decode.ts" >"$rt/sequence-decode.ts.tmp"
mv "$rt/sequence-decode.ts.tmp" "$rt/sequence-decode.ts"
npx biome check --write "$rt/sequence-features.ts" "$rt/sequence-decode.ts" >/dev/null
echo "copied features.ts and decode.ts into $rt; now run: npx vitest run src/export/runtime-extract.test.ts"
