#!/bin/sh
# Regenerates man/man1/*.1 and completions/ from the built commands' own definitions
# (swift-argument-parser), so help, manual and completions never disagree.
# Usage: scripts/generate-docs.sh BIN_DIR GENERATOR
set -eu
bin=$1
generator=$2
date=2026-11-26   # fixed, so regenerating gives identical files
mkdir -p man/man1 completions/bash completions/zsh completions/fish
for tool in "$bin"/mybro "$bin"/mybro-*; do
    name=$(basename "$tool")
    case $name in *.*) continue ;; esac
    [ -x "$tool" ] && [ -f "$tool" ] || continue
    "$generator" "$tool" --date "$date" --authors "the mybro developers" -o man/man1
    # The generator names a "subcommand" argument none of our commands has, and leaves
    # blank lines between paragraphs, which mdoc warns about: make them paragraph breaks.
    sed -i -e '/^\.Ar subcommand$/d' -e 's/^$/.Pp/' "man/man1/$name.1"
    "$tool" --generate-completion-script bash > "completions/bash/$name"
    "$tool" --generate-completion-script zsh > "completions/zsh/_$name"
    "$tool" --generate-completion-script fish > "completions/fish/$name.fish"
done
