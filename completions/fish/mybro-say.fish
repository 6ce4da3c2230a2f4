function __mybro-say_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-say_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __mybro-say_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-say_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __mybro-say_parse_tokens -S
    set -l unparsed_tokens (__mybro-say_tokens -pc)
    switch $unparsed_tokens[1]
    case 'mybro-say'
        __mybro-say_parse_subcommand -r 1 'device=' 'o/output=' 'wav' 'voice=' 'rate=' 'pitch=' 'list-voices' 'strict' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __mybro-say_parse_subcommand -r 1 'version'
        end
    end
end

function __mybro-say_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __mybro-say_parse_subcommand -S -a positional_count
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

function __mybro-say_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __mybro-say_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__mybro-say_tokens -p)
    if test -z "$(__mybro-say_tokens -t)"
        set -l index (count (__mybro-say_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'mybro-say' -f
complete -c 'mybro-say' -n '__mybro-say_should_offer_completions_for_flags_or_options "mybro-say" device' -l 'device' -d 'ALSA playback device.' -rfka ''
complete -c 'mybro-say' -n '__mybro-say_should_offer_completions_for_flags_or_options "mybro-say" o output' -l 'output' -s 'o' -d 'Write audio to FILE (\'-\' for standard output) instead of the sound card.' -rfka ''
complete -c 'mybro-say' -n '__mybro-say_should_offer_completions_for_flags_or_options "mybro-say" wav' -l 'wav' -d 'With --output, write a WAV file instead of raw PCM.'
complete -c 'mybro-say' -n '__mybro-say_should_offer_completions_for_flags_or_options "mybro-say" voice' -l 'voice' -d 'espeak-ng voice (see --list-voices).' -rfka ''
complete -c 'mybro-say' -n '__mybro-say_should_offer_completions_for_flags_or_options "mybro-say" rate' -l 'rate' -d 'Speaking rate in words per minute (80-450).' -rfka ''
complete -c 'mybro-say' -n '__mybro-say_should_offer_completions_for_flags_or_options "mybro-say" pitch' -l 'pitch' -d 'Base pitch, 0-100.' -rfka ''
complete -c 'mybro-say' -n '__mybro-say_should_offer_completions_for_flags_or_options "mybro-say" list-voices' -l 'list-voices' -d 'List the voices espeak-ng offers, and exit.'
complete -c 'mybro-say' -n '__mybro-say_should_offer_completions_for_flags_or_options "mybro-say" strict' -l 'strict' -d 'Treat the first malformed record or sample as fatal (exit 65) instead of skipping it.'
complete -c 'mybro-say' -n '__mybro-say_should_offer_completions_for_flags_or_options "mybro-say" q quiet' -l 'quiet' -s 'q' -d 'Print errors only on stderr.'
complete -c 'mybro-say' -n '__mybro-say_should_offer_completions_for_flags_or_options "mybro-say" v verbose' -l 'verbose' -s 'v' -d 'Print debugging diagnostics on stderr.'
complete -c 'mybro-say' -n '__mybro-say_should_offer_completions_for_flags_or_options "mybro-say" log-format' -l 'log-format' -d 'Diagnostics on stderr as \'text\' or \'json\' (JSON Lines).' -rfka 'text json'
complete -c 'mybro-say' -n '__mybro-say_should_offer_completions_for_flags_or_options "mybro-say" version' -l 'version' -d 'Show the version.'
complete -c 'mybro-say' -n '__mybro-say_should_offer_completions_for_flags_or_options "mybro-say" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mybro-say' -n '__mybro-say_should_offer_completions_for_positional "mybro-say" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'mybro-say' -n '__mybro-say_should_offer_completions_for_flags_or_options "mybro-say help" version' -l 'version' -d 'Show the version.'
