function __mybro-capture_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-capture_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __mybro-capture_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-capture_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __mybro-capture_parse_tokens -S
    set -l unparsed_tokens (__mybro-capture_tokens -pc)
    switch $unparsed_tokens[1]
    case 'mybro-capture'
        __mybro-capture_parse_subcommand 0 'device=' 'list-devices' 'input=' 'wav' 'duration=' 'rate=' 'buffer=' 'strict' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __mybro-capture_parse_subcommand -r 1 'version'
        end
    end
end

function __mybro-capture_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __mybro-capture_parse_subcommand -S -a positional_count
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

function __mybro-capture_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __mybro-capture_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__mybro-capture_tokens -p)
    if test -z "$(__mybro-capture_tokens -t)"
        set -l index (count (__mybro-capture_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'mybro-capture' -f
complete -c 'mybro-capture' -n '__mybro-capture_should_offer_completions_for_flags_or_options "mybro-capture" device' -l 'device' -d 'ALSA device to capture from (default: default; see --list-devices).' -rfka ''
complete -c 'mybro-capture' -n '__mybro-capture_should_offer_completions_for_flags_or_options "mybro-capture" list-devices' -l 'list-devices' -d 'List the ALSA devices that can capture, one \'NAME<TAB>DESCRIPTION\' per line, and exit.'
complete -c 'mybro-capture' -n '__mybro-capture_should_offer_completions_for_flags_or_options "mybro-capture" input' -l 'input' -d 'Decode this audio file instead of capturing; \'-\' reads stdin.' -rfka ''
complete -c 'mybro-capture' -n '__mybro-capture_should_offer_completions_for_flags_or_options "mybro-capture" wav' -l 'wav' -d 'Write a WAV stream (header first) instead of headerless PCM.'
complete -c 'mybro-capture' -n '__mybro-capture_should_offer_completions_for_flags_or_options "mybro-capture" duration' -l 'duration' -d 'Stop after this many seconds of output (at most 604800, a week).' -rfka ''
complete -c 'mybro-capture' -n '__mybro-capture_should_offer_completions_for_flags_or_options "mybro-capture" rate' -l 'rate' -d 'Output sample rate in Hz, 1000-768000 (mybro\'s stream is 16000).' -rfka ''
complete -c 'mybro-capture' -n '__mybro-capture_should_offer_completions_for_flags_or_options "mybro-capture" buffer' -l 'buffer' -d 'Seconds of live audio held for a slow consumer before the oldest is dropped (at most 3600).' -rfka ''
complete -c 'mybro-capture' -n '__mybro-capture_should_offer_completions_for_flags_or_options "mybro-capture" strict' -l 'strict' -d 'Refuse input without a header, a truncated file and a stray last byte (exit 65) instead of warning.'
complete -c 'mybro-capture' -n '__mybro-capture_should_offer_completions_for_flags_or_options "mybro-capture" q quiet' -l 'quiet' -s 'q' -d 'Print errors only on stderr.'
complete -c 'mybro-capture' -n '__mybro-capture_should_offer_completions_for_flags_or_options "mybro-capture" v verbose' -l 'verbose' -s 'v' -d 'Print debugging diagnostics on stderr.'
complete -c 'mybro-capture' -n '__mybro-capture_should_offer_completions_for_flags_or_options "mybro-capture" log-format' -l 'log-format' -d 'Diagnostics on stderr as \'text\' or \'json\' (JSON Lines).' -rfka 'text json'
complete -c 'mybro-capture' -n '__mybro-capture_should_offer_completions_for_flags_or_options "mybro-capture" version' -l 'version' -d 'Show the version.'
complete -c 'mybro-capture' -n '__mybro-capture_should_offer_completions_for_flags_or_options "mybro-capture" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mybro-capture' -n '__mybro-capture_should_offer_completions_for_positional "mybro-capture" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'mybro-capture' -n '__mybro-capture_should_offer_completions_for_flags_or_options "mybro-capture help" version' -l 'version' -d 'Show the version.'
