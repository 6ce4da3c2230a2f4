function __mybro-bench_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-bench_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __mybro-bench_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-bench_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __mybro-bench_parse_tokens -S
    set -l unparsed_tokens (__mybro-bench_tokens -pc)
    switch $unparsed_tokens[1]
    case 'mybro-bench'
        __mybro-bench_parse_subcommand 0 'quick' 'format=' 'only=' 'disk-dir=' 'save=' 'compare=' 'threshold=' 'rechecks=' 'recheck-pause=' 'report=' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'route'
            __mybro-bench_parse_subcommand 0 'transcribe=' 'model=' 'kernel=' 'n=' 'flops=' 'bytes=' 'memory=' 'workload=' 'profile=' 'budget=' 'deadline=' 'uplink=' 'strict' 'version' 'h/help'
        case 'help'
            __mybro-bench_parse_subcommand -r 1 'version'
        end
    end
end

function __mybro-bench_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __mybro-bench_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __mybro-bench_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __mybro-bench_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__mybro-bench_tokens -p)
    if test -z "$(__mybro-bench_tokens -t)"
        set -l index (count (__mybro-bench_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'mybro-bench' -f
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench" quick' -l 'quick' -d 'A short run (under 10 s): fewer repetitions, smaller sizes, the first model only.'
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench" format' -l 'format' -d 'Output: text (a table, the default on a terminal) or json (JSON Lines, the default otherwise).' -rfka 'text json'
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench" only' -l 'only' -d 'Measure only these parts, comma-separated: memory, curve, sgemm, kernels, disk, speech.' -rfka ''
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench" disk-dir' -l 'disk-dir' -d 'Where the disk test writes its file (default: $XDG_CACHE_HOME/mybro/bench).' -rfka ''
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench" save' -l 'save' -d 'Also write the run (JSON Lines) to FILE, and keep it as this machine\'s profile for route.' -rfka ''
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench" compare' -l 'compare' -d 'Compare with a run saved by --save: report changes beyond the run-to-run spread, exit 1 on a regression past --threshold.' -rfka ''
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench" threshold' -l 'threshold' -d 'With --compare: the loss (0 to 1000 percent) that fails the run.' -rfka ''
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench" rechecks' -l 'rechecks' -d 'With --compare: how many times (1 to 10) a regression past --threshold is measured again before it fails the run; all must confirm it.' -rfka ''
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench" recheck-pause' -l 'recheck-pause' -d 'With --compare: seconds (0 to 600) to wait before each recheck after the first, so that a spell of load on a shared machine can pass.' -rfka ''
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench" report' -l 'report' -d 'Write one self-contained HTML page with the plots, the hardware and every figure.' -rfka ''
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench" q quiet' -l 'quiet' -s 'q' -d 'Print errors only on stderr.'
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench" v verbose' -l 'verbose' -s 'v' -d 'Print debugging diagnostics on stderr.'
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench" log-format' -l 'log-format' -d 'Diagnostics on stderr as \'text\' or \'json\' (JSON Lines).' -rfka 'text json'
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench" version' -l 'version' -d 'Show the version.'
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_positional "mybro-bench" -eq 1' -fa 'route' -d 'Decide where a workload runs: this machine or a cloud GPU offer, with time, cost and the reason.'
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_positional "mybro-bench" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench route" transcribe' -l 'transcribe' -d 'Hours of speech to transcribe (with --model; above 0, at most 876000).' -rfka ''
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench route" model' -l 'model' -d 'The Whisper model for --transcribe: tiny, tiny.en, base, base.en, small, small.en, medium, medium.en, large-v2, large-v3.' -rfka ''
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench route" kernel' -l 'kernel' -d 'A mybro-kernel kernel (mybro-kernel list) to run over --n elements.' -rfka ''
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench route" n' -l 'n' -d 'Elements for --kernel (1 to 1e15).' -rfka ''
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench route" flops' -l 'flops' -d 'Floating-point operations of another workload (0 to 1e24; with --bytes).' -rfka ''
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench route" bytes' -l 'bytes' -d 'Bytes it moves through memory (0 to 1e24; with --flops).' -rfka ''
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench route" memory' -l 'memory' -d 'Gigabytes of memory it holds (0 to 1e6; with --flops and --bytes).' -rfka ''
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench route" workload' -l 'workload' -d 'A file holding one workload record.' -rfka ''
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench route" profile' -l 'profile' -d 'This machine\'s profile (default: the one mybro-bench --save keeps).' -rfka ''
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench route" budget' -l 'budget' -d 'Spend at most this many dollars (0 to 1e9).' -rfka ''
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench route" deadline' -l 'deadline' -d 'Finish within this long: 90m, 24h, 1h30m, 2d or seconds (1 s to 366 d).' -rfka ''
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench route" uplink' -l 'uplink' -d 'Upload speed to a rented machine in megabits per second (above 0, at most 1e6).' -rfka ''
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench route" strict' -l 'strict' -d 'Treat the first malformed record or sample as fatal (exit 65) instead of skipping it.'
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench route" version' -l 'version' -d 'Show the version.'
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench route" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mybro-bench' -n '__mybro-bench_should_offer_completions_for_flags_or_options "mybro-bench help" version' -l 'version' -d 'Show the version.'
