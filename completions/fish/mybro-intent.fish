function __mybro-intent_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-intent_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __mybro-intent_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-intent_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __mybro-intent_parse_tokens -S
    set -l unparsed_tokens (__mybro-intent_tokens -pc)
    switch $unparsed_tokens[1]
    case 'mybro-intent'
        __mybro-intent_parse_subcommand 0 'q/quiet' 'v/verbose' 'log-format=' 'strict' 'backend=' 'model=' 'base-url=' 'rules=' 'print-rules' 'structured-output=' 'timeout=' 'retries=' 'memory=' 'cwd=' 'none-reply' 'no-none-reply' 'none-reply-interval=' 'ask-below=' 'ask-timeout=' 'continuation-ms=' 'embedding' 'no-embedding' 'embedding-model=' 'embedding-threshold=' 'embedding-margin=' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __mybro-intent_parse_subcommand -r 1 'version'
        end
    end
end

function __mybro-intent_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __mybro-intent_parse_subcommand -S -a positional_count
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

function __mybro-intent_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __mybro-intent_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__mybro-intent_tokens -p)
    if test -z "$(__mybro-intent_tokens -t)"
        set -l index (count (__mybro-intent_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'mybro-intent' -f
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" q quiet' -l 'quiet' -s 'q' -d 'Print errors only on stderr.'
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" v verbose' -l 'verbose' -s 'v' -d 'Print debugging diagnostics on stderr.'
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" log-format' -l 'log-format' -d 'Diagnostics on stderr as \'text\' or \'json\' (JSON Lines).' -rfka 'text json'
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" strict' -l 'strict' -d 'Treat the first malformed record or sample as fatal (exit 65) instead of skipping it.'
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" backend' -l 'backend' -d 'Which backend understands transcripts: auto, claude or rules.' -rfka 'auto claude rules'
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" model' -l 'model' -d 'The model for the claude backend.' -rfka ''
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" base-url' -l 'base-url' -d 'The Messages API base URL (default: $ANTHROPIC_BASE_URL or https://api.anthropic.com).' -rfka ''
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" rules' -l 'rules' -d 'A technology rules file for the system prompt (default: the shipped rules).' -rfka ''
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" print-rules' -l 'print-rules' -d 'Print the shipped technology rules and exit.'
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" structured-output' -l 'structured-output' -d 'How the model returns the intent: json-schema (output_config.format) or tool (a forced tool call).' -rfka 'json-schema tool'
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" timeout' -l 'timeout' -d 'Seconds allowed for one API attempt, from request to the whole answer (at most 3600).' -rfka ''
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" retries' -l 'retries' -d 'Retries after a failed API attempt (429, 5xx, 529, connection failures), 0-10.' -rfka ''
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" memory' -l 'memory' -d 'Earlier exchanges of the conversation to show the model, 0-100.' -rfka ''
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" cwd' -l 'cwd' -d 'The workspace whose file and folder names the rules resolve ("the sources folder" → Sources).' -rfka ''
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" none-reply' -l 'none-reply' -d 'Say "I didn\'t catch that: …" (a say record) when a transcript gives no intent.'
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" no-none-reply' -l 'no-none-reply' -d 'Say "I didn\'t catch that: …" (a say record) when a transcript gives no intent.'
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" none-reply-interval' -l 'none-reply-interval' -d 'Seconds between two "I didn\'t catch that" replies at least.' -rfka ''
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" ask-below' -l 'ask-below' -d 'Ask back ("did you mean …?") before a run or code intent under this confidence; 0 never asks.' -rfka ''
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" ask-timeout' -l 'ask-timeout' -d 'Seconds a question about a guess waits for its yes or no.' -rfka ''
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" continuation-ms' -l 'continuation-ms' -d 'Milliseconds a spoken transcript that stops mid-sentence waits for the rest; 0 acts at once.' -rfka ''
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" embedding' -l 'embedding' -d 'Read requests the grammar does not know by their closeness to example requests (sentence embeddings).'
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" no-embedding' -l 'no-embedding' -d 'Read requests the grammar does not know by their closeness to example requests (sentence embeddings).'
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" embedding-model' -l 'embedding-model' -d 'The sentence-embedding model (default: $MYBRO_EMBEDDING_MODEL or ~/.local/share/mybro/models/minilm).' -rfka ''
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" embedding-threshold' -l 'embedding-threshold' -d 'The least cosine with an example request that counts as a match, 0-1.' -rfka ''
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" embedding-margin' -l 'embedding-margin' -d 'The least lead of the closest kind of request over the next kind, 0-1.' -rfka ''
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" version' -l 'version' -d 'Show the version.'
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_positional "mybro-intent" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'mybro-intent' -n '__mybro-intent_should_offer_completions_for_flags_or_options "mybro-intent help" version' -l 'version' -d 'Show the version.'
