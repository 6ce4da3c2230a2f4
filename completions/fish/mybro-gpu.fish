function __mybro-gpu_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-gpu_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __mybro-gpu_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mybro-gpu_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __mybro-gpu_parse_tokens -S
    set -l unparsed_tokens (__mybro-gpu_tokens -pc)
    switch $unparsed_tokens[1]
    case 'mybro-gpu'
        __mybro-gpu_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'offers'
            __mybro-gpu_parse_subcommand 0 'api-url=' 'key-file=' 'retries=' 'request-timeout=' 'gpu=+' 'count=' 'min-vram=' 'nvlink' 'region=+' 'prefer-region=+' 'max-price=' 'cloud=+' 'spot' 'sort=' 'format=' 'limit=' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        case 'launch'
            __mybro-gpu_parse_subcommand 1 'api-url=' 'key-file=' 'retries=' 'request-timeout=' 'gpu=+' 'count=' 'min-vram=' 'nvlink' 'region=+' 'prefer-region=+' 'max-price=' 'cloud=+' 'spot' 'sort=' 'name=' 'ttl=' 'budget=' 'max-attempts=' 'boot-timeout=' 'poll-interval=' 'os=' 'dry-run' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        case 'list'
            __mybro-gpu_parse_subcommand 0 'api-url=' 'key-file=' 'retries=' 'request-timeout=' 'all' 'format=' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        case 'status'
            __mybro-gpu_parse_subcommand 1 'api-url=' 'key-file=' 'retries=' 'request-timeout=' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        case 'delete'
            __mybro-gpu_parse_subcommand -r 1 'api-url=' 'key-file=' 'retries=' 'request-timeout=' 'dry-run' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        case 'costs'
            __mybro-gpu_parse_subcommand 0 'format=' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        case 'run'
            __mybro-gpu_parse_subcommand -r 1 'api-url=' 'key-file=' 'retries=' 'request-timeout=' 'gpu=+' 'count=' 'min-vram=' 'nvlink' 'region=+' 'prefer-region=+' 'max-price=' 'cloud=+' 'spot' 'sort=' 'name=' 'ttl=' 'budget=' 'max-attempts=' 'boot-timeout=' 'poll-interval=' 'os=' 'offer=' 'upload=+' 'fetch=+' 'fetch-to=' 'remote-dir=' 'dry-run' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        case 'reap'
            __mybro-gpu_parse_subcommand 0 'api-url=' 'key-file=' 'retries=' 'request-timeout=' 'dry-run' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        case 'help'
            __mybro-gpu_parse_subcommand -r 1 'version'
        end
    end
end

function __mybro-gpu_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __mybro-gpu_parse_subcommand -S -a positional_count
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

function __mybro-gpu_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __mybro-gpu_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__mybro-gpu_tokens -p)
    if test -z "$(__mybro-gpu_tokens -t)"
        set -l index (count (__mybro-gpu_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'mybro-gpu' -f
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu" version' -l 'version' -d 'Show the version.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_positional "mybro-gpu" -eq 1' -fa 'offers' -d 'List the offers that meet the constraints, best first.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_positional "mybro-gpu" -eq 1' -fa 'launch' -d 'Create an instance from an offer id or the best offer that meets the constraints.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_positional "mybro-gpu" -eq 1' -fa 'list' -d 'List the account\'s mybro instances (all with --all), as instance records.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_positional "mybro-gpu" -eq 1' -fa 'status' -d 'Show one instance (by id or mybro name), with its ledger entry.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_positional "mybro-gpu" -eq 1' -fa 'delete' -d 'Delete instances (by id or mybro name); one already gone counts as deleted.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_positional "mybro-gpu" -eq 1' -fa 'costs' -d 'What was spent, per instance, from the ledger (whole cents; final once billing stopped).'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_positional "mybro-gpu" -eq 1' -fa 'run' -d 'Provision, upload, run a command over SSH, fetch, and tear down, in one call.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_positional "mybro-gpu" -eq 1' -fa 'reap' -d 'Delete this ledger\'s instances that are past their TTL, over budget, or whose owner died.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_positional "mybro-gpu" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu offers" api-url' -l 'api-url' -d 'Shadeform\'s base URL (default $SHADEFORM_API_URL or https://api.shadeform.ai/v1).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu offers" key-file' -l 'key-file' -d 'A file holding the API key, mode 600 (when SHADEFORM_API_KEY is unset).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu offers" retries' -l 'retries' -d 'Tries after the first for a read that meets 429, 5xx or no connection (0-20).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu offers" request-timeout' -l 'request-timeout' -d 'Seconds each request may take (1-600).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu offers"' -l 'gpu' -d 'GPU type (H100, A100, A100_80G, RTX4090, …); repeat or separate with commas to accept several.' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu offers" count' -l 'count' -d 'Exactly this many GPUs (1-64).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu offers" min-vram' -l 'min-vram' -d 'At least this many GB of memory per GPU (1-1024).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu offers" nvlink' -l 'nvlink' -d 'Only GPUs joined by NVLink (or SXM boards).'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu offers"' -l 'region' -d 'The region must start with this prefix (repeat to accept several).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu offers"' -l 'prefer-region' -d 'Rank regions starting with this prefix first (repeatable).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu offers" max-price' -l 'max-price' -d 'The most dollars per hour for the whole instance (e.g. 2.50).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu offers"' -l 'cloud' -d 'Only this cloud (repeat or separate with commas).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu offers" spot' -l 'spot' -d 'Spot rentals (cheaper, may be reclaimed) instead of on-demand ones.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu offers" sort' -l 'sort' -d 'Rank by price, price-per-gpu or boot-time.' -rfka 'price price-per-gpu boot-time'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu offers" format' -l 'format' -d 'json (records) or table.' -rfka 'json table'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu offers" limit' -l 'limit' -d 'Show at most this many offers (1-10000).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu offers" q quiet' -l 'quiet' -s 'q' -d 'Print errors only on stderr.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu offers" v verbose' -l 'verbose' -s 'v' -d 'Print debugging diagnostics on stderr.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu offers" log-format' -l 'log-format' -d 'Diagnostics on stderr as \'text\' or \'json\' (JSON Lines).' -rfka 'text json'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu offers" version' -l 'version' -d 'Show the version.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu offers" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" api-url' -l 'api-url' -d 'Shadeform\'s base URL (default $SHADEFORM_API_URL or https://api.shadeform.ai/v1).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" key-file' -l 'key-file' -d 'A file holding the API key, mode 600 (when SHADEFORM_API_KEY is unset).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" retries' -l 'retries' -d 'Tries after the first for a read that meets 429, 5xx or no connection (0-20).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" request-timeout' -l 'request-timeout' -d 'Seconds each request may take (1-600).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch"' -l 'gpu' -d 'GPU type (H100, A100, A100_80G, RTX4090, …); repeat or separate with commas to accept several.' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" count' -l 'count' -d 'Exactly this many GPUs (1-64).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" min-vram' -l 'min-vram' -d 'At least this many GB of memory per GPU (1-1024).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" nvlink' -l 'nvlink' -d 'Only GPUs joined by NVLink (or SXM boards).'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch"' -l 'region' -d 'The region must start with this prefix (repeat to accept several).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch"' -l 'prefer-region' -d 'Rank regions starting with this prefix first (repeatable).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" max-price' -l 'max-price' -d 'The most dollars per hour for the whole instance (e.g. 2.50).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch"' -l 'cloud' -d 'Only this cloud (repeat or separate with commas).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" spot' -l 'spot' -d 'Spot rentals (cheaper, may be reclaimed) instead of on-demand ones.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" sort' -l 'sort' -d 'Rank by price, price-per-gpu or boot-time.' -rfka 'price price-per-gpu boot-time'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" name' -l 'name' -d 'A word for the instance name (mybro-NAME-xxxxxxxx).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" ttl' -l 'ttl' -d 'Tear the instance down after this long (e.g. 90m, 2h; at most 30d).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" budget' -l 'budget' -d 'The most dollars the instance may cost (e.g. 10 or 2.50).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" max-attempts' -l 'max-attempts' -d 'Offers tried before giving up (1-50).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" boot-timeout' -l 'boot-timeout' -d 'How long an instance may take to be active and answer SSH (e.g. 15m; default: twice its expected boot time plus 2m).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" poll-interval' -l 'poll-interval' -d 'Seconds between status checks (0.05-600).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" os' -l 'os' -d 'The OS image (one of the type\'s os_options; default its first).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" dry-run' -l 'dry-run' -d 'Print the requests that would change something instead of sending them.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" q quiet' -l 'quiet' -s 'q' -d 'Print errors only on stderr.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" v verbose' -l 'verbose' -s 'v' -d 'Print debugging diagnostics on stderr.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" log-format' -l 'log-format' -d 'Diagnostics on stderr as \'text\' or \'json\' (JSON Lines).' -rfka 'text json'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" version' -l 'version' -d 'Show the version.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu launch" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu list" api-url' -l 'api-url' -d 'Shadeform\'s base URL (default $SHADEFORM_API_URL or https://api.shadeform.ai/v1).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu list" key-file' -l 'key-file' -d 'A file holding the API key, mode 600 (when SHADEFORM_API_KEY is unset).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu list" retries' -l 'retries' -d 'Tries after the first for a read that meets 429, 5xx or no connection (0-20).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu list" request-timeout' -l 'request-timeout' -d 'Seconds each request may take (1-600).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu list" all' -l 'all' -d 'Also instances not named mybro-….'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu list" format' -l 'format' -d 'json (records) or table.' -rfka 'json table'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu list" q quiet' -l 'quiet' -s 'q' -d 'Print errors only on stderr.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu list" v verbose' -l 'verbose' -s 'v' -d 'Print debugging diagnostics on stderr.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu list" log-format' -l 'log-format' -d 'Diagnostics on stderr as \'text\' or \'json\' (JSON Lines).' -rfka 'text json'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu list" version' -l 'version' -d 'Show the version.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu status" api-url' -l 'api-url' -d 'Shadeform\'s base URL (default $SHADEFORM_API_URL or https://api.shadeform.ai/v1).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu status" key-file' -l 'key-file' -d 'A file holding the API key, mode 600 (when SHADEFORM_API_KEY is unset).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu status" retries' -l 'retries' -d 'Tries after the first for a read that meets 429, 5xx or no connection (0-20).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu status" request-timeout' -l 'request-timeout' -d 'Seconds each request may take (1-600).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu status" q quiet' -l 'quiet' -s 'q' -d 'Print errors only on stderr.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu status" v verbose' -l 'verbose' -s 'v' -d 'Print debugging diagnostics on stderr.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu status" log-format' -l 'log-format' -d 'Diagnostics on stderr as \'text\' or \'json\' (JSON Lines).' -rfka 'text json'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu status" version' -l 'version' -d 'Show the version.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu delete" api-url' -l 'api-url' -d 'Shadeform\'s base URL (default $SHADEFORM_API_URL or https://api.shadeform.ai/v1).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu delete" key-file' -l 'key-file' -d 'A file holding the API key, mode 600 (when SHADEFORM_API_KEY is unset).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu delete" retries' -l 'retries' -d 'Tries after the first for a read that meets 429, 5xx or no connection (0-20).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu delete" request-timeout' -l 'request-timeout' -d 'Seconds each request may take (1-600).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu delete" dry-run' -l 'dry-run' -d 'Print the delete requests instead of sending them.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu delete" q quiet' -l 'quiet' -s 'q' -d 'Print errors only on stderr.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu delete" v verbose' -l 'verbose' -s 'v' -d 'Print debugging diagnostics on stderr.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu delete" log-format' -l 'log-format' -d 'Diagnostics on stderr as \'text\' or \'json\' (JSON Lines).' -rfka 'text json'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu delete" version' -l 'version' -d 'Show the version.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu delete" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu costs" format' -l 'format' -d 'json (records) or table.' -rfka 'json table'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu costs" q quiet' -l 'quiet' -s 'q' -d 'Print errors only on stderr.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu costs" v verbose' -l 'verbose' -s 'v' -d 'Print debugging diagnostics on stderr.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu costs" log-format' -l 'log-format' -d 'Diagnostics on stderr as \'text\' or \'json\' (JSON Lines).' -rfka 'text json'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu costs" version' -l 'version' -d 'Show the version.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu costs" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" api-url' -l 'api-url' -d 'Shadeform\'s base URL (default $SHADEFORM_API_URL or https://api.shadeform.ai/v1).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" key-file' -l 'key-file' -d 'A file holding the API key, mode 600 (when SHADEFORM_API_KEY is unset).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" retries' -l 'retries' -d 'Tries after the first for a read that meets 429, 5xx or no connection (0-20).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" request-timeout' -l 'request-timeout' -d 'Seconds each request may take (1-600).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run"' -l 'gpu' -d 'GPU type (H100, A100, A100_80G, RTX4090, …); repeat or separate with commas to accept several.' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" count' -l 'count' -d 'Exactly this many GPUs (1-64).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" min-vram' -l 'min-vram' -d 'At least this many GB of memory per GPU (1-1024).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" nvlink' -l 'nvlink' -d 'Only GPUs joined by NVLink (or SXM boards).'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run"' -l 'region' -d 'The region must start with this prefix (repeat to accept several).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run"' -l 'prefer-region' -d 'Rank regions starting with this prefix first (repeatable).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" max-price' -l 'max-price' -d 'The most dollars per hour for the whole instance (e.g. 2.50).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run"' -l 'cloud' -d 'Only this cloud (repeat or separate with commas).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" spot' -l 'spot' -d 'Spot rentals (cheaper, may be reclaimed) instead of on-demand ones.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" sort' -l 'sort' -d 'Rank by price, price-per-gpu or boot-time.' -rfka 'price price-per-gpu boot-time'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" name' -l 'name' -d 'A word for the instance name (mybro-NAME-xxxxxxxx).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" ttl' -l 'ttl' -d 'Tear the instance down after this long (e.g. 90m, 2h; at most 30d).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" budget' -l 'budget' -d 'The most dollars the instance may cost (e.g. 10 or 2.50).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" max-attempts' -l 'max-attempts' -d 'Offers tried before giving up (1-50).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" boot-timeout' -l 'boot-timeout' -d 'How long an instance may take to be active and answer SSH (e.g. 15m; default: twice its expected boot time plus 2m).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" poll-interval' -l 'poll-interval' -d 'Seconds between status checks (0.05-600).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" os' -l 'os' -d 'The OS image (one of the type\'s os_options; default its first).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" offer' -l 'offer' -d 'Use this offer id instead of choosing one.' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run"' -l 'upload' -d 'A local file or folder to copy into the remote folder first (repeatable); DIR/ or . copies the folder\'s contents. Version control, build output, .env files and keys stay behind.' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run"' -l 'fetch' -d 'A path, relative to the remote folder, to copy back afterwards (repeatable).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" fetch-to' -l 'fetch-to' -d 'Where fetched paths land.' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" remote-dir' -l 'remote-dir' -d 'The remote working folder.' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" dry-run' -l 'dry-run' -d 'Print the requests that would change something instead of sending them.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" q quiet' -l 'quiet' -s 'q' -d 'Print errors only on stderr.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" v verbose' -l 'verbose' -s 'v' -d 'Print debugging diagnostics on stderr.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" log-format' -l 'log-format' -d 'Diagnostics on stderr as \'text\' or \'json\' (JSON Lines).' -rfka 'text json'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" version' -l 'version' -d 'Show the version.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu run" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu reap" api-url' -l 'api-url' -d 'Shadeform\'s base URL (default $SHADEFORM_API_URL or https://api.shadeform.ai/v1).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu reap" key-file' -l 'key-file' -d 'A file holding the API key, mode 600 (when SHADEFORM_API_KEY is unset).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu reap" retries' -l 'retries' -d 'Tries after the first for a read that meets 429, 5xx or no connection (0-20).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu reap" request-timeout' -l 'request-timeout' -d 'Seconds each request may take (1-600).' -rfka ''
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu reap" dry-run' -l 'dry-run' -d 'Print the delete requests instead of sending them.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu reap" q quiet' -l 'quiet' -s 'q' -d 'Print errors only on stderr.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu reap" v verbose' -l 'verbose' -s 'v' -d 'Print debugging diagnostics on stderr.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu reap" log-format' -l 'log-format' -d 'Diagnostics on stderr as \'text\' or \'json\' (JSON Lines).' -rfka 'text json'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu reap" version' -l 'version' -d 'Show the version.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu reap" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mybro-gpu' -n '__mybro-gpu_should_offer_completions_for_flags_or_options "mybro-gpu help" version' -l 'version' -d 'Show the version.'
