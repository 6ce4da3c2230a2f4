function __mybro-exec_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-exec_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __mybro-exec_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-exec_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __mybro-exec_parse_tokens -S
    set -l unparsed_tokens (__mybro-exec_tokens -pc)
    switch $unparsed_tokens[1]
    case 'mybro-exec'
        __mybro-exec_parse_subcommand 1 'q/quiet' 'v/verbose' 'log-format=' 'strict' 'cwd=' 'policy=' 'print-policy' 'claude=' 'permission-mode=' 'allowed-tools=' 'claude-model=' 'resume=' 'timeout=' 'stop-grace=' 'interrupt-grace=' 'confirm-timeout=' 'output-rate=' 'history-file=' 'no-history' 'history' 'no-credential-proxy' 'no-sandbox' 'allow-write=+' 'undo' 'undo-list' 'undo-dir=' 'no-undo' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __mybro-exec_parse_subcommand -r 1 'version'
        end
    end
end

function __mybro-exec_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __mybro-exec_parse_subcommand -S -a positional_count
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

function __mybro-exec_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __mybro-exec_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__mybro-exec_tokens -p)
    if test -z "$(__mybro-exec_tokens -t)"
        set -l index (count (__mybro-exec_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'mybro-exec' -f
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" q quiet' -l 'quiet' -s 'q' -d 'Print errors only on stderr.'
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" v verbose' -l 'verbose' -s 'v' -d 'Print debugging diagnostics on stderr.'
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" log-format' -l 'log-format' -d 'Diagnostics on stderr as \'text\' or \'json\' (JSON Lines).' -rfka 'text json'
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" strict' -l 'strict' -d 'Treat the first malformed record or sample as fatal (exit 65) instead of skipping it.'
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" cwd' -l 'cwd' -d 'The workspace directory jobs run in.' -rfka ''
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" policy' -l 'policy' -d 'A safety policy file (default: the shipped policy).' -rfka ''
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" print-policy' -l 'print-policy' -d 'Print the shipped safety policy and exit.'
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" claude' -l 'claude' -d 'The Claude Code executable.' -rfka ''
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" permission-mode' -l 'permission-mode' -d 'Claude Code\'s --permission-mode (default, acceptEdits, plan, bypassPermissions, dontAsk, auto).' -rfka ''
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" allowed-tools' -l 'allowed-tools' -d 'Tools Claude Code may use without asking (comma-separated, e.g. "Read,Edit,Bash(git log:*)").' -rfka ''
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" claude-model' -l 'claude-model' -d 'The model Claude Code uses (default: its own).' -rfka ''
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" resume' -l 'resume' -d 'Continue this Claude Code session with the first code job.' -rfka ''
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" timeout' -l 'timeout' -d 'Seconds a job may run before it is stopped (0: no limit; at most 604800, a week).' -rfka ''
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" stop-grace' -l 'stop-grace' -d 'Seconds between the steps of a stop (SIGINT, SIGTERM, SIGKILL), 0-60.' -rfka ''
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" interrupt-grace' -l 'interrupt-grace' -d 'Seconds Claude Code gets to end its turn after a stream-json interrupt, before the signals (0-60).' -rfka ''
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" confirm-timeout' -l 'confirm-timeout' -d 'Seconds to wait for a spoken yes before dropping a command that needs one (0-3600).' -rfka ''
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" output-rate' -l 'output-rate' -d 'The most job_output lines a second (0: no limit; at most 100000).' -rfka ''
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" history-file' -l 'history-file' -d 'The job history database (default: under $XDG_STATE_HOME/mybro).' -rfka ''
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" no-history' -l 'no-history' -d 'Keep no job history.'
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" history' -l 'history' -d 'List the recent jobs from the history and exit.'
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" no-credential-proxy' -l 'no-credential-proxy' -d 'Give Claude Code the API key itself, not a stand-in through mybro-exec\'s loopback proxy.'
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" no-sandbox' -l 'no-sandbox' -d 'Run jobs without the Landlock sandbox (only the policy protects files outside the workspace).'
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec"' -l 'allow-write' -d 'Also let jobs write beneath this path (repeatable).' -rfka ''
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" undo' -l 'undo' -d 'Undo the last job not yet undone in the workspace (or JOB), print the undo and say records, and exit.'
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" undo-list' -l 'undo-list' -d 'List the workspace\'s undo snapshots, newest first, and exit.'
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" undo-dir' -l 'undo-dir' -d 'Where undo keeps its snapshots (default: undo/ beside the history file, else $XDG_STATE_HOME/mybro/undo).' -rfka ''
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" no-undo' -l 'no-undo' -d 'Take no snapshots before jobs (no undo).'
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" version' -l 'version' -d 'Show the version.'
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_positional "mybro-exec" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'mybro-exec' -n '__mybro-exec_should_offer_completions_for_flags_or_options "mybro-exec help" version' -l 'version' -d 'Show the version.'
