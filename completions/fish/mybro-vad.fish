function __mybro-vad_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-vad_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __mybro-vad_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-vad_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __mybro-vad_parse_tokens -S
    set -l unparsed_tokens (__mybro-vad_tokens -pc)
    switch $unparsed_tokens[1]
    case 'mybro-vad'
        __mybro-vad_parse_subcommand 0 'mode=' 'frame-ms=' 'window-ms=' 'start-ratio=' 'silence-ms=' 'pause-ms=' 'partial-ms=' 'end-ratio=' 'floor-db=' 'pad-ms=' 'min-ms=' 'max-ms=' 'frames' 'audio' 'segments' 'format=' 'strict' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __mybro-vad_parse_subcommand -r 1 'version'
        end
    end
end

function __mybro-vad_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __mybro-vad_parse_subcommand -S -a positional_count
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

function __mybro-vad_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __mybro-vad_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__mybro-vad_tokens -p)
    if test -z "$(__mybro-vad_tokens -t)"
        set -l index (count (__mybro-vad_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'mybro-vad' -f
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" mode' -l 'mode' -d 'Aggressiveness: 0 quality, 1 low bitrate, 2 aggressive, 3 very aggressive.' -rfka ''
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" frame-ms' -l 'frame-ms' -d 'Frame length in milliseconds: 10, 20 or 30.' -rfka ''
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" window-ms' -l 'window-ms' -d 'Length of the start window in milliseconds (a frame to 10000).' -rfka ''
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" start-ratio' -l 'start-ratio' -d 'Share of voiced frames in the window that starts speech (above 0, at most 1).' -rfka ''
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" silence-ms' -l 'silence-ms' -d 'Unvoiced audio that ends speech, in milliseconds (a frame to 60000).' -rfka ''
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" pause-ms' -l 'pause-ms' -d 'A pause inside speech to report, in milliseconds (0 none, at most 60000): the speech so far at half of it, a pause record at it.' -rfka ''
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" partial-ms' -l 'partial-ms' -d 'Also report the speech so far every this many milliseconds of speech, for partial transcripts (0 never, at most 600000).' -rfka ''
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" end-ratio' -l 'end-ratio' -d 'Share of unvoiced frames in the last --silence-ms that ends speech (above 0, at most 1).' -rfka ''
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" floor-db' -l 'floor-db' -d 'Frames less than this many dB above the noise floor do not keep speech going (0: off; at most 60).' -rfka ''
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" pad-ms' -l 'pad-ms' -d 'Audio kept before and after each utterance, in milliseconds (0-10000).' -rfka ''
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" min-ms' -l 'min-ms' -d 'Speech shorter than this is dropped as noise, in milliseconds (0-600000).' -rfka ''
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" max-ms' -l 'max-ms' -d 'Longer speech is split at its quietest frame, in milliseconds (at most 600000, ten minutes).' -rfka ''
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" frames' -l 'frames' -d 'Print one decision per frame (0 or 1) instead of records.'
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" audio' -l 'audio' -d 'Write only the speech as canonical PCM.'
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" segments' -l 'segments' -d 'Write one segment record per utterance, without audio.'
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" format' -l 'format' -d 'Format of --segments: json or tsv.' -rfka 'json tsv'
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" strict' -l 'strict' -d 'Treat the first malformed record or sample as fatal (exit 65) instead of skipping it.'
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" q quiet' -l 'quiet' -s 'q' -d 'Print errors only on stderr.'
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" v verbose' -l 'verbose' -s 'v' -d 'Print debugging diagnostics on stderr.'
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" log-format' -l 'log-format' -d 'Diagnostics on stderr as \'text\' or \'json\' (JSON Lines).' -rfka 'text json'
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" version' -l 'version' -d 'Show the version.'
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_positional "mybro-vad" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'mybro-vad' -n '__mybro-vad_should_offer_completions_for_flags_or_options "mybro-vad help" version' -l 'version' -d 'Show the version.'
