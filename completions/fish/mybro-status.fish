function __mybro-status_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-status_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __mybro-status_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-status_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __mybro-status_parse_tokens -S
    set -l unparsed_tokens (__mybro-status_tokens -pc)
    switch $unparsed_tokens[1]
    case 'mybro-status'
        __mybro-status_parse_subcommand 0 'follow=' 'control=' 'listen=' 'port=' 'log-port=' 'history=' 'log-dir=' 'log-ring=' 'client-queue=' 'token-file=' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __mybro-status_parse_subcommand -r 1 'version'
        end
    end
end

function __mybro-status_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __mybro-status_parse_subcommand -S -a positional_count
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

function __mybro-status_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __mybro-status_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__mybro-status_tokens -p)
    if test -z "$(__mybro-status_tokens -t)"
        set -l index (count (__mybro-status_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'mybro-status' -f
complete -c 'mybro-status' -n '__mybro-status_should_offer_completions_for_flags_or_options "mybro-status" follow' -l 'follow' -d 'Follow this file of the loop\'s records (like tail -F) instead of reading standard input.' -rfka ''
complete -c 'mybro-status' -n '__mybro-status_should_offer_completions_for_flags_or_options "mybro-status" control' -l 'control' -d 'The FIFO of mybro listen --control, where Stop, Yes, No and Mute are written.' -rfka ''
complete -c 'mybro-status' -n '__mybro-status_should_offer_completions_for_flags_or_options "mybro-status" listen' -l 'listen' -d 'Address to serve on; off loopback every request needs the token.' -rfka ''
complete -c 'mybro-status' -n '__mybro-status_should_offer_completions_for_flags_or_options "mybro-status" port' -l 'port' -d 'Dashboard port, 0 to 65535 (0: any free port, printed on stderr).' -rfka ''
complete -c 'mybro-status' -n '__mybro-status_should_offer_completions_for_flags_or_options "mybro-status" log-port' -l 'log-port' -d 'Log service port, 0 to 65535 (0: any free port, printed on stderr).' -rfka ''
complete -c 'mybro-status' -n '__mybro-status_should_offer_completions_for_flags_or_options "mybro-status" history' -l 'history' -d 'Job history to show (default: mybro-exec\'s, ~/.local/state/mybro/history.sqlite).' -rfka ''
complete -c 'mybro-status' -n '__mybro-status_should_offer_completions_for_flags_or_options "mybro-status" log-dir' -l 'log-dir' -d 'Directory for the log service\'s rotated files (default: ~/.local/state/mybro/logs).' -rfka ''
complete -c 'mybro-status' -n '__mybro-status_should_offer_completions_for_flags_or_options "mybro-status" log-ring' -l 'log-ring' -d 'Log records kept in memory, 100 to 1000000.' -rfka ''
complete -c 'mybro-status' -n '__mybro-status_should_offer_completions_for_flags_or_options "mybro-status" client-queue' -l 'client-queue' -d 'Messages a WebSocket client may fall behind before it is dropped, 16 to 100000.' -rfka ''
complete -c 'mybro-status' -n '__mybro-status_should_offer_completions_for_flags_or_options "mybro-status" token-file' -l 'token-file' -d 'File holding the access token (made, mode 0600, when missing and needed).' -rfka ''
complete -c 'mybro-status' -n '__mybro-status_should_offer_completions_for_flags_or_options "mybro-status" q quiet' -l 'quiet' -s 'q' -d 'Print errors only on stderr.'
complete -c 'mybro-status' -n '__mybro-status_should_offer_completions_for_flags_or_options "mybro-status" v verbose' -l 'verbose' -s 'v' -d 'Print debugging diagnostics on stderr.'
complete -c 'mybro-status' -n '__mybro-status_should_offer_completions_for_flags_or_options "mybro-status" log-format' -l 'log-format' -d 'Diagnostics on stderr as \'text\' or \'json\' (JSON Lines).' -rfka 'text json'
complete -c 'mybro-status' -n '__mybro-status_should_offer_completions_for_flags_or_options "mybro-status" version' -l 'version' -d 'Show the version.'
complete -c 'mybro-status' -n '__mybro-status_should_offer_completions_for_flags_or_options "mybro-status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mybro-status' -n '__mybro-status_should_offer_completions_for_positional "mybro-status" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'mybro-status' -n '__mybro-status_should_offer_completions_for_flags_or_options "mybro-status help" version' -l 'version' -d 'Show the version.'
