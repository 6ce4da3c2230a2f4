function __mybro-doctor_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-doctor_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __mybro-doctor_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-doctor_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __mybro-doctor_parse_tokens -S
    set -l unparsed_tokens (__mybro-doctor_tokens -pc)
    switch $unparsed_tokens[1]
    case 'mybro-doctor'
        __mybro-doctor_parse_subcommand -r 1 'format=' 'fail-on=' 'staged' 'history' 'install-hook' 'force' 'baseline=' 'write-baseline=' 'fix' 'diff' 'no-ignore' 'max-file-size=' 'threads=' 'print-rules' 'list-checks' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __mybro-doctor_parse_subcommand -r 1 'version'
        end
    end
end

function __mybro-doctor_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __mybro-doctor_parse_subcommand -S -a positional_count
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

function __mybro-doctor_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __mybro-doctor_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__mybro-doctor_tokens -p)
    if test -z "$(__mybro-doctor_tokens -t)"
        set -l index (count (__mybro-doctor_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'mybro-doctor' -f
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_flags_or_options "mybro-doctor" format' -l 'format' -d 'Output: jsonl, text or sarif (default: text on a terminal, jsonl otherwise).' -rfka 'jsonl text sarif'
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_flags_or_options "mybro-doctor" fail-on' -l 'fail-on' -d 'Exit 1 when a finding reaches this severity: critical, high, medium, low or info.' -rfka 'critical high medium low info'
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_flags_or_options "mybro-doctor" staged' -l 'staged' -d 'Scan the git index instead of the working tree (for pre-commit hooks).'
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_flags_or_options "mybro-doctor" history' -l 'history' -d 'Scan every commit of the repository for secrets added in the past.'
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_flags_or_options "mybro-doctor" install-hook' -l 'install-hook' -d 'Write a git pre-commit hook that runs mybro-doctor --staged.'
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_flags_or_options "mybro-doctor" force' -l 'force' -d 'With --install-hook: replace a pre-commit hook mybro-doctor did not write.'
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_flags_or_options "mybro-doctor" baseline' -l 'baseline' -d 'Report only findings whose fingerprint is not in this file.' -rfka ''
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_flags_or_options "mybro-doctor" write-baseline' -l 'write-baseline' -d 'Write the fingerprints of all findings to this file and exit 0.' -rfka ''
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_flags_or_options "mybro-doctor" fix' -l 'fix' -d 'Apply the safe fixes.'
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_flags_or_options "mybro-doctor" diff' -l 'diff' -d 'Print the safe fixes as a unified diff without changing anything.'
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_flags_or_options "mybro-doctor" no-ignore' -l 'no-ignore' -d 'Also scan files that .gitignore ignores.'
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_flags_or_options "mybro-doctor" max-file-size' -l 'max-file-size' -d 'Files over this many MiB are reported, not read (1-1024).' -rfka ''
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_flags_or_options "mybro-doctor" threads' -l 'threads' -d 'Threads that scan files (1-64; default: the number of cores).' -rfka ''
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_flags_or_options "mybro-doctor" print-rules' -l 'print-rules' -d 'Print the merged technology rules and exit.'
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_flags_or_options "mybro-doctor" list-checks' -l 'list-checks' -d 'Print every check\'s id, category, severity and title and exit.'
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_flags_or_options "mybro-doctor" q quiet' -l 'quiet' -s 'q' -d 'Print errors only on stderr.'
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_flags_or_options "mybro-doctor" v verbose' -l 'verbose' -s 'v' -d 'Print debugging diagnostics on stderr.'
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_flags_or_options "mybro-doctor" log-format' -l 'log-format' -d 'Diagnostics on stderr as \'text\' or \'json\' (JSON Lines).' -rfka 'text json'
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_flags_or_options "mybro-doctor" version' -l 'version' -d 'Show the version.'
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_flags_or_options "mybro-doctor" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_positional "mybro-doctor" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'mybro-doctor' -n '__mybro-doctor_should_offer_completions_for_flags_or_options "mybro-doctor help" version' -l 'version' -d 'Show the version.'
