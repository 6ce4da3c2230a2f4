function __mybro-transcribe_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-transcribe_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __mybro-transcribe_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-transcribe_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __mybro-transcribe_parse_tokens -S
    set -l unparsed_tokens (__mybro-transcribe_tokens -pc)
    switch $unparsed_tokens[1]
    case 'mybro-transcribe'
        __mybro-transcribe_parse_subcommand -r 1 'q/quiet' 'v/verbose' 'log-format=' 'strict' 'model=' 'format=' 'raw' 'threads=' 'no-timestamps' 'full-window' 'padding-margin=' 'padding-stride=' 'beam-size=' 'no-fallback' 'language=' 'task=' 'initial-prompt=' 'workspace-prompt=' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __mybro-transcribe_parse_subcommand -r 1 'version'
        end
    end
end

function __mybro-transcribe_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __mybro-transcribe_parse_subcommand -S -a positional_count
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

function __mybro-transcribe_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __mybro-transcribe_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__mybro-transcribe_tokens -p)
    if test -z "$(__mybro-transcribe_tokens -t)"
        set -l index (count (__mybro-transcribe_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'mybro-transcribe' -f
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_flags_or_options "mybro-transcribe" q quiet' -l 'quiet' -s 'q' -d 'Print errors only on stderr.'
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_flags_or_options "mybro-transcribe" v verbose' -l 'verbose' -s 'v' -d 'Print debugging diagnostics on stderr.'
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_flags_or_options "mybro-transcribe" log-format' -l 'log-format' -d 'Diagnostics on stderr as \'text\' or \'json\' (JSON Lines).' -rfka 'text json'
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_flags_or_options "mybro-transcribe" strict' -l 'strict' -d 'Treat the first malformed record or sample as fatal (exit 65) instead of skipping it.'
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_flags_or_options "mybro-transcribe" model' -l 'model' -d 'The Whisper model directory.' -rfka ''
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_flags_or_options "mybro-transcribe" format' -l 'format' -d 'Output of files and --raw: txt, json (JSON Lines records), srt, vtt or tsv.' -rfka 'txt json srt vtt tsv'
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_flags_or_options "mybro-transcribe" raw' -l 'raw' -d 'Read canonical PCM or a WAV stream on stdin and print one transcript.'
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_flags_or_options "mybro-transcribe" threads' -l 'threads' -d 'Threads for the encoder\'s matrix products, 1-1024 (default: the machine\'s cores).' -rfka ''
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_flags_or_options "mybro-transcribe" no-timestamps' -l 'no-timestamps' -d 'Do not predict timestamps: one segment per 30 s window (faster).'
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_flags_or_options "mybro-transcribe" full-window' -l 'full-window' -d 'Run the encoder over the whole 30 s window, as faster-whisper does, instead of over the audio plus 0.64 s with cached padding states (slower on short clips; transcripts identical to faster-whisper\'s).'
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_flags_or_options "mybro-transcribe" padding-margin' -l 'padding-margin' -d 'Seconds of the window\'s padding the encoder computes beyond the audio, 0-30 (default 0.64; more is closer to --full-window, slower).' -rfka ''
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_flags_or_options "mybro-transcribe" padding-stride' -l 'padding-stride' -d 'Also compute every N-th padding position beyond the margin and interpolate the content\'s effect on the others, 0-1500 (default 16; 0 reuses the cached padding states unchanged; smaller is closer to --full-window, slower).' -rfka ''
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_flags_or_options "mybro-transcribe" beam-size' -l 'beam-size' -d 'Beam search with this many hypotheses, 1-16 (1: greedy, the fastest).' -rfka ''
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_flags_or_options "mybro-transcribe" no-fallback' -l 'no-fallback' -d 'Decode at temperature 0 only, without falling back to sampling at 0.2…1.0 when the text is repetitive (compression ratio > 2.4) or unlikely (average log-probability < −1).'
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_flags_or_options "mybro-transcribe" language' -l 'language' -d 'Language code of the speech for multilingual models (default: detected).' -rfka ''
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_flags_or_options "mybro-transcribe" task' -l 'task' -d 'transcribe, or translate into English (multilingual models).' -rfka ''
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_flags_or_options "mybro-transcribe" initial-prompt' -l 'initial-prompt' -d 'Text the speech follows, to steer vocabulary and spelling (e.g. "Swift, Makefile, README").' -rfka ''
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_flags_or_options "mybro-transcribe" workspace-prompt' -l 'workspace-prompt' -d 'Prompt with coding words (git, diff, commit, README…) and DIR\'s Makefile targets and file names, before any --initial-prompt (mybro listen passes its workspace).' -rfka ''
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_flags_or_options "mybro-transcribe" version' -l 'version' -d 'Show the version.'
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_flags_or_options "mybro-transcribe" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_positional "mybro-transcribe" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'mybro-transcribe' -n '__mybro-transcribe_should_offer_completions_for_flags_or_options "mybro-transcribe help" version' -l 'version' -d 'Show the version.'
