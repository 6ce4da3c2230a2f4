extension SafetyPolicy {
    /// The shipped policy (`mybro-exec --print-policy` prints it, as a start for `--policy FILE`).
    public static let defaultText = #"""
        # mybro-exec safety policy. One rule per line; # starts a comment.
        #
        #   read    TOOL [SUB…] FLAG… [args: KIND…]   runs at once, changes no file
        #   allow   TOOL [SUB…] FLAG… [args: KIND…]   runs at once (may write inside the workspace)
        #   options TOOL FLAG…                          flags taken before the subcommand (git -C DIR)
        #   writes  TOOL [SUB…] FLAG…                   flags that write a file: wait for a yes
        #   runs    TOOL [SUB…] FLAG…                   flags that run another program: wait for a yes
        #   confirm TOOL [SUB…] [FLAG…] [with: WORD…] [target: PLACE…] [because: WHY]   wait for a yes
        #   deny    TOOL [SUB…] [FLAG…] [with: WORD…] [target: PLACE…] [piped-to: TOOL…] [because: WHY]
        #   alias   WORD… = TOOL        judge `python3 -m pytest` as `pytest`
        #   safe-env NAME…              variables a command may set (NAME=value cmd); globs
        #   readable PATH…              outside paths that may be read; /dir/** for a tree
        #   sandbox network allow|deny  whether shell jobs reach the network (default: deny)
        #   sandbox network allow TOOL [SUB… [ACTION…]]  jobs made only of calls of TOOL keep the network
        #   sandbox write PATH, sandbox hide PATH (replaces the default list), secret-env PATTERN
        #   sandbox socket PATH…        listening unix sockets (or folders of them) jobs may reach
        #   sandbox private PATH…       home folders each job gets as its own, empty ones, with
        #                               the write paths beneath put back (default: none)
        #   sandbox layer PATH…         home folders each job sees as they are, its writes going to
        #                               a layer of its own, thrown away after it
        #   sandbox store TOOL [SUB…] PATH…  a job made only of calls of TOOL [SUB] writes these
        #                               through its layer (the downloads a later offline build needs)
        #   confirm-prompt REGEX        a Claude Code task matching REGEX waits for a yes
        #   credential TOOL [SUB…] NAME…  a job that is one plain call of TOOL [SUB] gets these
        #                               variables and hidden ~/paths back, and the network
        #
        # TOOL and SUB list alternatives with |. FLAG: -x, --long, or spellings -x/--long;
        # =KIND takes a value: NUM, TEXT, PATH (checked against the workspace) or choices a|b;
        # [=KIND] an optional value; FLAG! must be used; -NUM a count (git log -5); A+B: both.
        # args: what the other words are, the last kind repeating: PATH (default; checked),
        # TEXT, ANY (even unknown), NONE, SAME (one of the last SUB's alternatives: make targets).
        # PLACE: root, home, workspace (itself or all of it), parent, outside, device.
        # deny and confirm match when all their conditions hold (SUB words in order, one FLAG
        # group, a WORD, a PLACE). A command runs at once only when every part of it fits one
        # read/allow rule; an unknown program, subcommand, flag or variable, a path outside the
        # workspace, or a redirection other than to /dev/null or 2>&1 waits for a yes. Deny wins.
        # Built in, beyond this file: writes to disk devices and fork bombs are denied; sudo,
        # eval, sh -c, env, xargs, nice, timeout, nohup, time, stdbuf, ionice, command, exec and
        # find -exec are looked through; `make` alone is judged by its Makefile's default goal.

        # --- never, yes or not ---
        deny rm -r/-R/--recursive target: root home workspace parent outside because: it deletes a whole tree outside the code
        deny rm --no-preserve-root because: it removes the root's protection
        deny find -delete target: root home parent because: it deletes files across the system
        deny find -exec/-execdir/-ok/-okdir with: rm shred unlink target: root home parent because: it deletes files across the system
        deny mkfs|mkfs.*|mke2fs|mkswap|wipefs because: it erases a disk
        deny docker|podman run|compose|exec|cp|build|buildx|create|start|restart|load|import|commit|plugin|volume|container|image|network|system|swarm|service|stack|context|login|save|update|rm|rmi|kill|stop|pull|push|tag because: the container daemon can change anything on this machine, so run that yourself
        deny shred target: device root home parent because: it destroys a disk or files outside the code
        deny dd with: of=/dev/sd* of=/dev/nvme* of=/dev/hd* of=/dev/vd* of=/dev/xvd* of=/dev/mmcblk* of=/dev/disk* because: it overwrites a disk
        deny curl|wget|fetch piped-to: sh bash zsh dash ksh ash fish python python3 perl ruby node because: it runs a script straight from the network
        deny chmod -R/--recursive with: 777 0777 a+rwx ugo+rwx a=rwx because: it opens every file to everyone
        deny chown|chgrp -R/--recursive target: root home parent because: it changes the owner of the system's files
        deny git push -f/--force/--force-with-lease/--force-if-includes/--mirror because: a force push destroys history
        deny git push with: +* because: a force push destroys history
        deny shutdown|reboot|poweroff|halt because: it stops the machine
        deny init|telinit with: 0 6 because: it stops the machine
        deny systemctl with: poweroff reboot halt kexec because: it stops the machine
        deny kill with: -1 because: it kills every process

        # --- wait for a yes, with a reason ---
        confirm rm|rmdir|unlink|shred because: it deletes files
        confirm mv|cp|ln|install|rsync|tee|truncate|touch|mkdir|dd|sed|perl because: it changes files
        confirm chmod|chown|chgrp because: it changes permissions
        confirm tar|unzip|zip|gzip|gunzip|7z|xz because: it writes files from or to an archive
        confirm curl|wget because: it uses the network
        confirm git branch -D -d/--delete -M -m/--move -C -c/--copy -f/--force because: it deletes or overwrites a branch
        confirm git reset|clean|checkout|restore|rebase|push|pull|merge|commit|am|cherry-pick|revert|switch because: it changes the repository
        confirm git --git-dir/--work-tree/--namespace/--super-prefix because: it points git at another repository
        confirm npm|pnpm|yarn|pip|pip3|uv|cargo|gem|apt|apt-get|brew install|add|uninstall|remove|publish because: it installs or publishes packages
        confirm npm --prefix/-C because: it runs in another folder
        confirm make -f/--file/--makefile/-C/--directory/-I/--include-dir because: it runs another makefile
        confirm make --eval/-E/-e/--environment-overrides because: it changes what make runs
        runs git -c/--config-env/--exec-path
        runs git diff|log|show|blame|grep --ext-diff/--textconv/--open-files-in-pager/-O
        writes git diff|log|show|format-patch --output/-o

        # --- git: read-only subcommands ---
        options git -C=PATH --no-pager -P/--paginate --no-optional-locks --no-replace-objects --literal-pathspecs
        read git status -s/--short -b/--branch --porcelain[=TEXT] -u/--untracked-files[=no|normal|all] --ignored[=TEXT] --long -v/--verbose --show-stash --ahead-behind --no-ahead-behind -z --column[=TEXT] --no-column
        read git diff|log|show|whatchanged -NUM -n/--max-count=NUM --stat[=TEXT] --numstat --shortstat --name-only --name-status --cached --staged --color[=TEXT] --no-color --word-diff[=TEXT] -w/--ignore-all-space -b/--ignore-space-change -U/--unified=NUM -p/-u/--patch --no-patch -s --summary --check -M/--find-renames --diff-filter=TEXT -R --minimal --patience --histogram --no-ext-diff --no-textconv --exit-code --quiet -z --relative --merge-base --abbrev[=NUM] --full-index --oneline --graph --decorate[=TEXT] --no-decorate --all --format=TEXT --pretty[=TEXT] --author=TEXT --committer=TEXT --grep=TEXT --since=TEXT --until=TEXT --after=TEXT --before=TEXT --reverse --no-merges --merges --first-parent --follow --abbrev-commit --date=TEXT -S=TEXT -G=TEXT --skip=NUM --left-right --cherry-pick --raw --topo-order --date-order --branches[=TEXT] --tags[=TEXT] --remotes[=TEXT] -i/--regexp-ignore-case -E/--extended-regexp -g/--walk-reflogs --show-signature --no-renames --dirstat[=TEXT] --ignore-blank-lines --color-moved[=TEXT] --compact-summary
        read git blame -L=TEXT -w -M -C -e/--show-email -s -l -t --porcelain --line-porcelain --date=TEXT --color-lines --color-by-age -f/--show-name -n/--show-number --root --reverse=TEXT
        read git branch -a/--all -r/--remotes -v/--verbose -vv --list --contains[=TEXT] --no-contains[=TEXT] --merged[=TEXT] --no-merged[=TEXT] --show-current --sort=TEXT --format=TEXT --color[=TEXT] --no-color --points-at=TEXT --column[=TEXT] --no-column args: NONE
        read git remote -v/--verbose args: NONE
        read git remote show|get-url args: TEXT
        read git rev-parse|describe|show-ref|rev-list|ls-files|ls-tree|cat-file|merge-base|name-rev|for-each-ref|check-ignore|count-objects|shortlog|cherry --short[=NUM] --abbrev-ref[=TEXT] --show-toplevel --git-dir --is-inside-work-tree --verify -q/--quiet --tags --always --long --dirty --all -n/-s/-e/-p/-t -c/--cached -m/--modified -o/--others -d/--deleted --exclude-standard -i/--ignored -z -r --name-only --oneline -NUM --count --max-count=NUM --format=TEXT --sort=TEXT --heads --stat --numstat --summary --email --committer args: TEXT
        # (not "git reflog delete|expire": the reflog is the way back after a bad reset)
        read git reflog -NUM -n/--max-count=NUM --oneline --format=TEXT --date=TEXT --all args: NONE
        read git stash list|show --stat -p/--patch --oneline args: TEXT
        read git worktree list --porcelain args: NONE
        read git tag -l/--list! -n[=NUM] --sort=TEXT --contains=TEXT --points-at=TEXT --format=TEXT args: TEXT
        read git tag args: NONE
        read git grep -n/--line-number -i/--ignore-case -w/--word-regexp -l/--files-with-matches -c/--count -E -F -P -e=TEXT --cached -v/--invert-match -h -H -I --break --heading -p/--show-function -A=NUM -B=NUM -C=NUM -q args: TEXT PATH
        # the repository's own settings; --global would read ~/.gitconfig, where tokens live in URLs
        read git config --get=TEXT --get-all=TEXT --list/-l --show-origin --local args: NONE
        read git --version args: NONE
        read git help args: TEXT

        # --- builds and tests ---
        read swift --version args: NONE
        allow swift build|test -c/--configuration=debug|release --filter=TEXT --skip=TEXT --parallel --no-parallel -v/--verbose --very-verbose -q/--quiet --build-tests --skip-build --enable-code-coverage --num-workers=NUM -j/--jobs=NUM --product=TEXT --target=TEXT --show-bin-path --package-path=PATH --disable-sandbox --enable-testable-imports --list-tests -Xswiftc=TEXT --static-swift-stdlib --sanitize=address|thread|undefined --enable-experimental-prebuilts args: TEXT
        allow swift test list|--list-tests args: NONE
        writes swift build|test --scratch-path/--build-path/--cache-path/--xunit-output
        # these load Package.swift, which runs: a job of its own, with a snapshot to undo
        allow swift package describe|dump-package|show-dependencies|show-executables --type=TEXT --format=TEXT args: NONE
        read swift format lint --strict -r/--recursive -p/--parallel --configuration=PATH args: PATH
        allow make test|check|lint|build|all|tests|format-check|fmt-check|check-format|lint-check|typecheck|type-check|vet|unit|unittest|unit-test|test-unit|integration|compile|default -j/--jobs[=NUM] -k/--keep-going -s/--silent/--quiet -n/--dry-run/--just-print -w/--print-directory --no-print-directory -O/--output-sync[=TEXT] -l/--load-average[=NUM] -r/--no-builtin-rules -R/--no-builtin-variables -B/--always-make args: SAME
        options cargo -q/--quiet -v/--verbose --color=auto|always|never --locked --offline --frozen
        runs cargo --config/-Z
        allow cargo build|test|check|clippy|bench|doc -r/--release -p/--package=TEXT --workspace --all --all-targets --all-features -F/--features=TEXT --no-default-features --lib --bins --bin=TEXT --tests --test=TEXT --benches --bench=TEXT --examples --example=TEXT -j/--jobs=NUM -q/--quiet -v/--verbose -vv --locked --offline --frozen --no-run --no-fail-fast --doc --color=auto|always|never --message-format=TEXT --target=TEXT --profile=TEXT --keep-going --no-deps args: TEXT
        writes cargo build|test|check|clippy|bench|doc --target-dir/--artifact-dir/--out-dir
        read cargo fmt --check! --all -p/--package=TEXT args: TEXT
        read cargo --version args: NONE
        read cargo tree|metadata --format-version=NUM --no-deps -e=TEXT -i=TEXT args: NONE
        allow go build|test|vet -v -race -run=TEXT -count=NUM -cover -short -timeout=TEXT -bench=TEXT -benchmem -tags=TEXT -p=NUM -failfast -json -skip=TEXT -parallel=NUM -trimpath -mod=TEXT args: PATH
        writes go build|test -o/-coverprofile/-cpuprofile/-memprofile/-blockprofile/-mutexprofile/-trace/-outputdir
        runs go build|test|vet -exec/-toolexec/-vettool
        read go version|list|env -m -json -f=TEXT args: TEXT
        read gofmt -l! -d -s args: PATH
        allow npm|pnpm|yarn test|t|lint|typecheck -s/--silent args: TEXT
        allow npm|pnpm|yarn run|run-script test|build|lint|check|typecheck|type-check|test:unit|test:ci|lint:check|format:check|fmt:check -s/--silent args: TEXT
        read npm|pnpm ls|list|outdated --depth=NUM --all --json -a args: TEXT
        alias python -m pytest = pytest
        alias python3 -m pytest = pytest
        alias py.test = pytest
        alias python -m mypy = mypy
        alias python3 -m mypy = mypy
        alias python -m ruff = ruff
        alias python3 -m ruff = ruff
        alias python -m unittest = unittest
        alias python3 -m unittest = unittest
        allow pytest -q/--quiet -v/--verbose -x/--exitfirst -s -k=TEXT -m=TEXT --maxfail=NUM --lf/--last-failed --ff/--failed-first --tb=auto|long|short|line|native|no -r=TEXT -n/--numprocesses=TEXT --no-header --co/--collect-only --durations=NUM --disable-warnings -W=TEXT --color=yes|no|auto --cov[=TEXT] --cov-report=term|term-missing --no-cov --strict-markers --sw/--stepwise --deselect=TEXT --ignore=PATH --runxfail -l/--showlocals --full-trace --setup-show --doctest-modules args: PATH
        writes pytest --basetemp/--junitxml/--junit-xml/--resultlog/--html/--json-report-file/--log-file/--debug/--cache-dir/--report-log
        runs pytest -p/--pdb/--trace/--pdbcls/--pastebin
        allow unittest -v -q -f -k=TEXT -s=PATH -p=TEXT args: TEXT
        read ruff check --select=TEXT --ignore=TEXT --extend-select=TEXT --statistics -q/--quiet --output-format=TEXT --config=PATH --no-cache --show-fixes -e/--exit-zero args: PATH
        read ruff format --check! --diff --config=PATH args: PATH
        writes ruff check -o/--output-file
        allow mypy|flake8|pylint|pyright --strict --ignore-missing-imports --pretty --config-file=PATH --rcfile=PATH -q --count --show-source --statistics --max-line-length=NUM --disable=TEXT --enable=TEXT args: PATH
        read black --check! --diff -q args: PATH
        read isort --check-only!/--check! --diff args: PATH
        # prettier loads the workspace's prettier.config.js: allow, for the snapshot to undo
        allow prettier --check!/-c! args: PATH
        allow eslint --max-warnings=NUM --ext=TEXT -c/--config=PATH --quiet --no-eslintrc --format=TEXT args: PATH
        writes eslint -o/--output-file
        allow tsc --noEmit! -p/--project=PATH --pretty --strict args: NONE
        read mybro-doctor --format=jsonl|text|sarif --fail-on=critical|high|medium|low|info --staged --history --diff --no-ignore --max-file-size=NUM --threads=NUM --baseline=PATH --print-rules --list-checks -q/--quiet -v/--verbose args: PATH
        read mybro-gpu offers --gpu=TEXT --count=NUM --min-vram=NUM --nvlink --region=TEXT --prefer-region=TEXT --max-price=TEXT --cloud=TEXT --spot --sort=price|price-per-gpu|boot-time --format=json|table --limit=NUM --retries=NUM --request-timeout=NUM -q/--quiet -v/--verbose args: NONE
        read mybro-gpu list|costs --all --format=json|table --retries=NUM --request-timeout=NUM -q/--quiet -v/--verbose args: NONE
        read mybro-gpu status --retries=NUM --request-timeout=NUM -q/--quiet -v/--verbose args: TEXT
        confirm mybro-gpu run|launch because: it rents a cloud GPU, which costs money
        confirm mybro-gpu delete|reap because: it tears down cloud instances, and the work running on them
        read shellcheck -x -s/--shell=TEXT -S/--severity=TEXT -e/--exclude=TEXT -f/--format=TEXT args: PATH
        allow swiftlint lint --strict --quiet --config=PATH args: PATH

        # --- listings, searches, reading files ---
        read ls|ll|dir -l -a -A -h -t -r -S -R -1 -d -F -i -s -n -o -g -C -x -X -v -U -L -G --color[=TEXT] --all --almost-all --human-readable --sort=TEXT --group-directories-first --time-style=TEXT --full-time --classify --recursive --reverse --size --inode args: PATH
        read cat|tac|nl -n -b -A -E -T -v -s -e -t --number --show-all args: PATH
        read head|tail -n/--lines=TEXT -c/--bytes=TEXT -q -v -NUM args: PATH
        read wc -l -w -c -m -L --lines --words --bytes --chars args: PATH
        read pwd -L -P args: NONE
        read whoami|id|uname|hostname|uptime|nproc|arch|tty|groups -a -r -s -n -m -p -u -g -G args: NONE
        read date -u -I[=TEXT] -R --iso-8601[=TEXT] -d/--date=TEXT args: TEXT
        read echo|printf|test|[|sleep|basename|dirname|seq|expr args: ANY
        read which|type|whereis -a args: TEXT
        # no -R, rg -L/--follow or find -L at once: they read through links in the workspace to anywhere
        read grep|egrep|fgrep -r -n -i -l -L -c -v -w -x -E -F -P -o -h -H -s -q -I -a -Z -z -b -A/--after-context=NUM -B/--before-context=NUM -C/--context=NUM -e/--regexp=TEXT -m/--max-count=NUM -f/--file=PATH --include=TEXT --exclude=TEXT --exclude-dir=TEXT --color[=TEXT] --colour[=TEXT] --null --line-number --ignore-case --files-with-matches --files-without-match --count --recursive --word-regexp --line-regexp --fixed-strings --extended-regexp --perl-regexp --only-matching --invert-match --no-filename --with-filename --quiet --silent args: TEXT PATH
        read rg -n -i -S -s -w -l -c -v -F -x -u -o -U -P -N -H -I -a -A/--after-context=NUM -B/--before-context=NUM -C/--context=NUM -e/--regexp=TEXT -g/--glob=TEXT --iglob=TEXT -t/--type=TEXT -T/--type-not=TEXT -m/--max-count=NUM -d/--max-depth=NUM --hidden --no-ignore --files --json --vimgrep --no-heading --heading --column --line-number --no-line-number --ignore-case --smart-case --case-sensitive --fixed-strings --count --count-matches --files-with-matches --files-without-match --sort=TEXT --sortr=TEXT --color=TEXT --stats --only-matching --trim --multiline --pcre2 --word-regexp --invert-match --type-list -f/--file=PATH args: TEXT PATH
        runs rg --pre/--pre-glob/-z/--search-zip
        read find -name=TEXT -iname=TEXT -path=TEXT -ipath=TEXT -wholename=TEXT -regex=TEXT -iregex=TEXT -type=TEXT -maxdepth=NUM -mindepth=NUM -print -print0 -newer=PATH -mtime=TEXT -mmin=TEXT -atime=TEXT -ctime=TEXT -size=TEXT -empty -o -a -or -and -not -prune -H -P -xdev -mount -perm=TEXT -user=TEXT -group=TEXT -links=TEXT -readable -writable -executable -quit -ls -printf=TEXT -depth -samefile=PATH -lname=TEXT -ilname=TEXT -true -false args: PATH
        writes find -fprint/-fprint0/-fprintf/-fls
        runs find -exec/-execdir/-ok/-okdir
        confirm find -delete because: it deletes files
        read tree -a -d -f -i -L=NUM -I=TEXT -P=TEXT --gitignore --dirsfirst -C -n --noreport args: PATH
        writes tree -o
        read du -s -h -a -c -k -m -b -x -d/--max-depth=NUM --summarize --human-readable --apparent-size args: PATH
        read df -h -T -i -l --human-readable args: PATH
        read file -b -i -L --mime --mime-type args: PATH
        read stat -L -c/--format=TEXT --printf=TEXT -t -f args: PATH
        read realpath|readlink -e -f -m -s -z --relative-to=PATH args: PATH
        read diff|cmp -u -r -N -q -w -b -B -i -a -s -y -U/--unified=NUM --color[=TEXT] --brief --recursive --unified --side-by-side --strip-trailing-cr --exclude=TEXT args: PATH
        read sort -n -r -u -h -V -f -b -k/--key=TEXT -t/--field-separator=TEXT --numeric-sort --reverse --unique args: PATH
        writes sort -o/--output
        read uniq -c -d -u -i --count args: PATH NONE
        read cut -d/--delimiter=TEXT -f/--fields=TEXT -c/--characters=TEXT -b/--bytes=TEXT --complement args: PATH
        read tr -d -s -c -C args: TEXT
        read column -t -s=TEXT args: PATH
        read md5sum|sha1sum|sha256sum|sha512sum|b2sum -c/--check -b -t --quiet --status args: PATH
        read xxd|hexdump|od -l=NUM -s=TEXT -c -C -x -n=NUM -A=TEXT -t=TEXT -g=NUM args: PATH NONE
        read strings -n=NUM -a -t=TEXT args: PATH
        read jq -r -c -e -s -n -S -j --raw-output --compact-output --slurp --sort-keys --tab --indent=NUM args: TEXT PATH
        read ps -e -f -a -u -x -l -o=TEXT -p=TEXT --forest --sort=TEXT args: TEXT
        read free -h -m -g -b -k args: NONE
        read less|more -R -S -N args: PATH
        read git-lfs ls-files args: NONE

        # --- environment: variables a command may set, paths it may read ---
        safe-env RUST_BACKTRACE RUST_LOG CI NO_COLOR FORCE_COLOR CLICOLOR TERM COLUMNS LANG LC_* TZ NODE_ENV DEBUG VERBOSE SWIFT_DETERMINISTIC_HASHING PYTHONDONTWRITEBYTECODE PYTHONUNBUFFERED CGO_ENABLED CARGO_TERM_COLOR
        readable /proc/cpuinfo /proc/meminfo /proc/loadavg /proc/uptime /proc/version /proc/stat /proc/self/** /dev/null /dev/zero /dev/urandom /dev/random /etc/os-release /etc/hostname /usr/include/** /usr/share/doc/**

        # --- the sandbox around shell jobs ---
        # No network, but for the tools that fetch what a build needs or talk to a remote.
        sandbox network deny
        # Fetch steps only: builds and tests (whose build scripts and tests are the workspace's
        # own code) run offline once the dependencies are fetched.
        sandbox network allow git fetch|pull|push|clone|ls-remote
        sandbox network allow swift package resolve|update
        sandbox network allow cargo fetch|update
        sandbox network allow npm|pnpm|yarn install|ci|add|update
        sandbox network allow pip|pip3|uv install|download|sync|add
        sandbox network allow go get
        sandbox network allow go mod download|tidy|vendor|verify|graph|why
        # Caches and dependency stores: a job reads them as they are and may fill them, but what
        # it writes there is its own and goes with it. A later build outside any sandbox trusts
        # them (a wheel pip installs, an object ccache hands out, the Gradle distribution
        # ./gradlew runs), and shells source files in ~/.cache at start (powerlevel10k's instant
        # prompt). Not ~/.gradle/init.d or ~/.m2/settings.xml, which run or steer later builds.
        sandbox layer ~/.cache ~/.cargo/registry ~/.cargo/git ~/.npm ~/go/pkg ~/.m2/repository
        sandbox layer ~/.gradle/caches ~/.gradle/wrapper
        # The fetch steps that run none of the workspace's own code, and write only where the tool
        # itself decides (no go mod vendor -o, no go mod edit FILE), keep what they download for
        # the offline builds after them.
        sandbox store cargo fetch|update ~/.cargo/registry ~/.cargo/git
        sandbox store go get ~/go/pkg/mod
        sandbox store go mod download|tidy ~/go/pkg/mod
        # Where keys live: no job reads them, unless a credential line below gives them back.
        sandbox hide ~/.ssh ~/.gnupg ~/.aws ~/.azure ~/.config/gcloud ~/.kube ~/.docker ~/.netrc ~/.git-credentials
        sandbox hide ~/.config/git/credentials ~/.config/gh ~/.config/hub ~/.pgpass ~/.my.cnf ~/.pypirc ~/.npmrc
        sandbox hide ~/.yarnrc.yml ~/.cargo/credentials ~/.cargo/credentials.toml ~/.gem/credentials
        sandbox hide ~/.m2/settings-security.xml ~/.password-store ~/.local/share/keyrings ~/.vault-token
        sandbox hide ~/.terraform.d ~/.config/rclone ~/.s3cfg ~/.boto ~/.mozilla ~/.config/google-chrome
        sandbox hide ~/.config/chromium ~/.thunderbird ~/.claude ~/.claude.json ~/.config/claude
        # Sockets that hand out root (docker) or secrets (the session bus to a keyring, gpg-agent).
        sandbox hide /run/docker.sock /run/podman/podman.sock $XDG_RUNTIME_DIR/docker.sock $XDG_RUNTIME_DIR/podman
        sandbox hide $XDG_RUNTIME_DIR/bus $XDG_RUNTIME_DIR/keyring $XDG_RUNTIME_DIR/gnupg $XDG_RUNTIME_DIR/gcr
        # Tokens in files beside ordinary ones: Hugging Face tokens, shell histories, pip's index URL.
        sandbox hide ~/.cache/huggingface/token ~/.cache/huggingface/stored_tokens ~/.huggingface/token
        sandbox hide ~/.bash_history ~/.zsh_history ~/.zhistory ~/.histfile ~/.local/share/zsh/history
        sandbox hide ~/.local/share/fish/fish_history ~/.python_history ~/.psql_history ~/.mysql_history
        sandbox hide ~/.node_repl_history ~/.sqlite_history ~/.irb_history ~/.rediscli_history
        sandbox hide ~/.cache/zsh/history ~/.local/state/zsh/history ~/.local/state/bash/history
        sandbox hide ~/.config/pip/pip.conf ~/.pip/pip.conf
        # Browsers' caches hold pages and responses of signed-in sessions; jobs read ~/.cache.
        sandbox hide ~/.cache/mozilla ~/.cache/google-chrome ~/.cache/chromium ~/.cache/BraveSoftware
        # Other tools' tokens and keys: build servers' passwords (Maven, Gradle), AI assistants,
        # cloud and deployment CLIs, password managers, encryption keys.
        sandbox hide ~/.m2/settings.xml ~/.gradle/gradle.properties ~/.config/github-copilot ~/.codex ~/.gemini
        sandbox hide ~/.oci ~/.config/glab-cli ~/.config/sops ~/.pulumi ~/.config/op ~/.op ~/.config/hcloud
        sandbox hide ~/.config/doctl ~/.fly ~/.databrickscfg ~/.snowflake ~/.config/stripe ~/.wrangler
        sandbox hide ~/.config/netlify ~/.vercel ~/.local/share/com.vercel.cli ~/.config/configstore
        sandbox hide ~/.terraformrc ~/.config/helm ~/.influxdbv2 ~/.config/openai ~/.config/age
        # The same stores where variables move them (the job gets the variables, which point at them).
        sandbox hide $XDG_CONFIG_HOME/gh $XDG_CONFIG_HOME/git/credentials $XDG_CONFIG_HOME/hub $GH_CONFIG_DIR
        sandbox hide $CARGO_HOME/credentials $CARGO_HOME/credentials.toml $GNUPGHOME $DOCKER_CONFIG
        sandbox hide $PASSWORD_STORE_DIR $KUBECONFIG $AWS_SHARED_CREDENTIALS_FILE $AWS_CONFIG_FILE
        sandbox hide $CLOUDSDK_CONFIG $AZURE_CONFIG_DIR $NPM_CONFIG_USERCONFIG $PIP_CONFIG_FILE $NETRC
        sandbox hide $XDG_DATA_HOME/keyrings $XDG_CONFIG_HOME/github-copilot $XDG_CONFIG_HOME/sops
        sandbox hide $SOPS_AGE_KEY_FILE $GRADLE_USER_HOME/gradle.properties $TF_CLI_CONFIG_FILE $RCLONE_CONFIG
        # (A file any withheld credential variable names is hidden too, and what the list hides in
        # ~/.config, ~/.local/share and ~/.cache is hidden where XDG_* variables move those.)
        # git talking to a remote reads the SSH keys and the agent, the credential store and gh's token.
        # Only for a configured remote with a network URL and known flags, with hooks and the
        # file and ext transports off (mybro-exec checks; see mybro-exec(1)).
        credential git push|pull|fetch|clone|ls-remote SSH_AUTH_SOCK GH_TOKEN GITHUB_TOKEN ~/.ssh ~/.netrc ~/.git-credentials ~/.config/git/credentials ~/.config/gh $XDG_CONFIG_HOME/git/credentials $XDG_CONFIG_HOME/gh $GH_CONFIG_DIR $NETRC
        # The container daemon runs as root (rootless podman as the user, with the whole home): a
        # job with its socket can change anything. Only what reads it gets the socket.
        credential docker|podman ps|images|logs|inspect|version|info|port|top|stats|history ~/.docker $DOCKER_CONFIG /run/docker.sock /run/podman/podman.sock $XDG_RUNTIME_DIR/docker.sock $XDG_RUNTIME_DIR/podman
        secret-env ANTHROPIC_API_KEY ANTHROPIC_AUTH_TOKEN OPENAI_API_KEY SHADEFORM_API_KEY HF_TOKEN GH_TOKEN
        secret-env GITHUB_TOKEN NPM_TOKEN AWS_* AZURE_* GOOGLE_APPLICATION_CREDENTIALS *_TOKEN *_SECRET *_SECRET_KEY
        # mybro-gpu alone gets the Shadeform key (and its ledger, keys and network): see mybro-exec(1)
        credential mybro-gpu SHADEFORM_API_KEY
        secret-env *_API_KEY *_APIKEY *_PASSWORD *_PASSWD *_CREDENTIALS *_PRIVATE_KEY SSH_AUTH_SOCK
        # Names match in any case; a value with a password in a URL, or of a token's shape, goes too.
        secret-env *PASSWORD* *PASSWD* *_PASS *SECRET* *_TOKENS *_KEY *_KEY_ID *_AUTH DATABASE_URL *_DATABASE_URL
        secret-env *_DSN *_CONNECTION_STRING PGPASSFILE TOKEN *_PAT *_PWD APIKEY *APIKEY* *CREDENTIAL* PGPASS *AUTH_CONFIG
        secret-env *_PASSPHRASE *_SESSION OP_SESSION_* *AUTHTOKEN* NPM_CONFIG_*AUTH*
        secret-env *_TOKEN_* SSHPASS *_PW *AUTHKEY* BUNDLE_*__* *_JWT* *COOKIE* *BEARER* *WEBHOOK* KEY PASS PW
        secret-env *CREDS* *MNEMONIC* *SEED_PHRASE* *PRIVKEY* PASSPHRASE *_KEYS *ACCESSTOKEN* *APITOKEN* *NPMTOKEN* AUTH
        """#
}
