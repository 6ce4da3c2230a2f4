function __mybro-kernel_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-kernel_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __mybro-kernel_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-kernel_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __mybro-kernel_parse_tokens -S
    set -l unparsed_tokens (__mybro-kernel_tokens -pc)
    switch $unparsed_tokens[1]
    case 'mybro-kernel'
        __mybro-kernel_parse_subcommand -r 1 'pcm' 'format=' 'window=' 'scalar=' 'other=' 'query=' 'above=' 'bins=' 'range=' 'exclusive' 'rows=' 'columns=' 'channels=' 'to=' 'length=' 'sizes=' 'device=' 'no-numpy' 'strict' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __mybro-kernel_parse_subcommand -r 1 'version'
        end
    end
end

function __mybro-kernel_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __mybro-kernel_parse_subcommand -S -a positional_count
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

function __mybro-kernel_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __mybro-kernel_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__mybro-kernel_tokens -p)
    if test -z "$(__mybro-kernel_tokens -t)"
        set -l index (count (__mybro-kernel_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'mybro-kernel' -f
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" pcm' -l 'pcm' -d 'Read 16 kHz s16le PCM (or a WAV stream) instead of float32.'
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" format' -l 'format' -d 'Stream format: binary (float32 LE, the default) or json; with --pcm, the output\'s only. list and bench: text (default) or json.' -rfka 'binary json text'
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" window' -l 'window' -d 'Reduce each window of N values (1 to 67108864); quantize and dequantize: the row length.' -rfka ''
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" scalar' -l 'scalar' -d 'The second operand of add, sub, mul and div as one number (|X| at most 1e18).' -rfka ''
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" other' -l 'other' -d 'The second operand as a stream in the same format (add…div, masked_sum, compact, dot).' -rfka ''
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" query' -l 'query' -d 'cosine: the query row, a file in the same format.' -rfka ''
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" above' -l 'above' -d 'compact and threshold_count: keep or count the values above this number (|X| at most 1e18).' -rfka ''
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" bins' -l 'bins' -d 'histogram: the number of bins (1 to 1048576).' -rfka ''
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" range' -l 'range' -d 'histogram: the range as LOW,HIGH (finite, LOW < HIGH; default -1,1).' -rfka ''
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" exclusive' -l 'exclusive' -d 'scan: write the sum before each value instead of including it.'
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" rows' -l 'rows' -d 'transpose: rows of each matrix; repack: frames per block (default: the whole input).' -rfka ''
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" columns' -l 'columns' -d 'transpose: columns of each matrix (rows × columns at most 67108864).' -rfka ''
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" channels' -l 'channels' -d 'repack: the number of channels (1 to 65536).' -rfka ''
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" to' -l 'to' -d 'repack: the layout to produce, planar or interleaved.' -rfka 'interleaved planar'
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" length' -l 'length' -d 'dot: the length of each row; cosine: of each query in --query (1 to 67108864).' -rfka ''
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" sizes' -l 'sizes' -d 'bench: the sizes to time, comma-separated (each 1000 to 268435456, e.g. 1e5,1e6).' -rfka ''
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" device' -l 'device' -d 'Where to run: cpu; gpu (a Vulkan device, Mesa\'s lavapipe included); auto (a Vulkan GPU when there is one, else the CPU).' -rfka 'auto cpu gpu'
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" no-numpy' -l 'no-numpy' -d 'bench: do not time numpy.'
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" strict' -l 'strict' -d 'Treat the first malformed record or sample as fatal (exit 65) instead of skipping it.'
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" q quiet' -l 'quiet' -s 'q' -d 'Print errors only on stderr.'
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" v verbose' -l 'verbose' -s 'v' -d 'Print debugging diagnostics on stderr.'
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" log-format' -l 'log-format' -d 'Diagnostics on stderr as \'text\' or \'json\' (JSON Lines).' -rfka 'text json'
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" version' -l 'version' -d 'Show the version.'
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_positional "mybro-kernel" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'mybro-kernel' -n '__mybro-kernel_should_offer_completions_for_flags_or_options "mybro-kernel help" version' -l 'version' -d 'Show the version.'
