function __mybro-listen_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-listen_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __mybro-listen_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-listen_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __mybro-listen_parse_tokens -S
    set -l unparsed_tokens (__mybro-listen_tokens -pc)
    switch $unparsed_tokens[1]
    case 'mybro-listen'
        __mybro-listen_parse_subcommand 0 'device=' 'model=' 'backend=' 'cwd=' 'voice=' 'input=' 'output=' 'events=' 'claude=' 'coding-prompt' 'end-silence-ms=' 'control=' 'status' 'print-pipeline' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __mybro-listen_parse_subcommand -r 1 'version'
        end
    end
end

function __mybro-listen_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __mybro-listen_parse_subcommand -S -a positional_count
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

function __mybro-listen_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __mybro-listen_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__mybro-listen_tokens -p)
    if test -z "$(__mybro-listen_tokens -t)"
        set -l index (count (__mybro-listen_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'mybro-listen' -f
complete -c 'mybro-listen' -n '__mybro-listen_should_offer_completions_for_flags_or_options "mybro-listen" device' -l 'device' -d 'ALSA device for the microphone and the speaker.' -rfka ''
complete -c 'mybro-listen' -n '__mybro-listen_should_offer_completions_for_flags_or_options "mybro-listen" model' -l 'model' -d 'Whisper model directory for mybro-transcribe.' -rfka ''
complete -c 'mybro-listen' -n '__mybro-listen_should_offer_completions_for_flags_or_options "mybro-listen" backend' -l 'backend' -d 'Intent backend for mybro-intent: auto, claude or rules.' -rfka ''
complete -c 'mybro-listen' -n '__mybro-listen_should_offer_completions_for_flags_or_options "mybro-listen" cwd' -l 'cwd' -d 'Workspace where mybro-exec runs jobs.' -rfka ''
complete -c 'mybro-listen' -n '__mybro-listen_should_offer_completions_for_flags_or_options "mybro-listen" voice' -l 'voice' -d 'espeak-ng voice for mybro-say.' -rfka ''
complete -c 'mybro-listen' -n '__mybro-listen_should_offer_completions_for_flags_or_options "mybro-listen" input' -l 'input' -d 'Listen to this recording instead of the microphone.' -rfka ''
complete -c 'mybro-listen' -n '__mybro-listen_should_offer_completions_for_flags_or_options "mybro-listen" output' -l 'output' -d 'Write the spoken replies to this WAV file instead of the sound card.' -rfka ''
complete -c 'mybro-listen' -n '__mybro-listen_should_offer_completions_for_flags_or_options "mybro-listen" events' -l 'events' -d 'Write every record of the loop to this JSON Lines file (\'-\': to standard output, instead of the last stage\'s records).' -rfka ''
complete -c 'mybro-listen' -n '__mybro-listen_should_offer_completions_for_flags_or_options "mybro-listen" claude' -l 'claude' -d 'The Claude Code executable for mybro-exec.' -rfka ''
complete -c 'mybro-listen' -n '__mybro-listen_should_offer_completions_for_flags_or_options "mybro-listen" coding-prompt' -l 'coding-prompt' -d 'Prompt mybro-transcribe with coding words and the workspace\'s Makefile targets and file names.'
complete -c 'mybro-listen' -n '__mybro-listen_should_offer_completions_for_flags_or_options "mybro-listen" end-silence-ms' -l 'end-silence-ms' -d 'Silence that ends a request not yet known to be complete (mybro-vad --silence-ms; 100 to 10000).' -rfka ''
complete -c 'mybro-listen' -n '__mybro-listen_should_offer_completions_for_flags_or_options "mybro-listen" control' -l 'control' -d 'Merge control records from this FIFO (made if missing): stop, confirm and deny intents go to mybro-exec, mute records mute listening.' -rfka ''
complete -c 'mybro-listen' -n '__mybro-listen_should_offer_completions_for_flags_or_options "mybro-listen" status' -l 'status' -d 'Start mybro-status beside the loop: the dashboard on http://127.0.0.1:7777/, its controls through --control.'
complete -c 'mybro-listen' -n '__mybro-listen_should_offer_completions_for_flags_or_options "mybro-listen" print-pipeline' -l 'print-pipeline' -d 'Print the pipeline as a shell command line, and exit.'
complete -c 'mybro-listen' -n '__mybro-listen_should_offer_completions_for_flags_or_options "mybro-listen" q quiet' -l 'quiet' -s 'q' -d 'Print errors only on stderr.'
complete -c 'mybro-listen' -n '__mybro-listen_should_offer_completions_for_flags_or_options "mybro-listen" v verbose' -l 'verbose' -s 'v' -d 'Print debugging diagnostics on stderr.'
complete -c 'mybro-listen' -n '__mybro-listen_should_offer_completions_for_flags_or_options "mybro-listen" log-format' -l 'log-format' -d 'Diagnostics on stderr as \'text\' or \'json\' (JSON Lines).' -rfka 'text json'
complete -c 'mybro-listen' -n '__mybro-listen_should_offer_completions_for_flags_or_options "mybro-listen" version' -l 'version' -d 'Show the version.'
complete -c 'mybro-listen' -n '__mybro-listen_should_offer_completions_for_flags_or_options "mybro-listen" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mybro-listen' -n '__mybro-listen_should_offer_completions_for_positional "mybro-listen" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'mybro-listen' -n '__mybro-listen_should_offer_completions_for_flags_or_options "mybro-listen help" version' -l 'version' -d 'Show the version.'
