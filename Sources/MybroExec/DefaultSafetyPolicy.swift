extension SafetyPolicy {
    /// The shipped policy (`mybro-exec --print-policy` prints it, as a start for `--policy FILE`).
    public static let defaultText = #"""
        # mybro-exec safety policy.  VERB REGEX per line; verbs: deny, confirm, allow, confirm-prompt.
        # Deny wins over confirm, confirm over allow; a command that is not allowed waits for a spoken yes.

        # --- never ---
        # Recursive deletion of the filesystem, the home directory, the workspace itself, a parent,
        # or anything named by an absolute or home path.
        deny (^|\s)(sudo\s+)?rm\s+(.*\s)?(-[a-zA-Z]*[rR][a-zA-Z]*|--recursive)(\s+\S+)*\s+(/|~|\$HOME|\$\{HOME\}|\.\.?/?|\*|\./\*|\.\./\S*|/\S*|~/\S*)(\s|$)
        deny (^|\s)(sudo\s+)?rm\s+(.*\s)?--no-preserve-root
        deny (^|\s)(sudo\s+)?find\s+(/|~|\$HOME)(\s|/?\s).*(-delete|-exec\s+rm)
        deny (^|\s)(sudo\s+)?mkfs(\.\w+)?\b
        deny (^|\s)(sudo\s+)?(wipefs|shred)\s
        deny (^|\s)(sudo\s+)?dd\s.*\bof=/dev/
        deny >\s*/dev/(sd|nvme|hd|vd|mmcblk|disk)
        deny \b(curl|wget|fetch)\b.*\|\s*(sudo\s+)?(ba|z|da|k|fi)?sh\b
        deny \b(bash|sh|zsh)\s+(<\s*)?<\(\s*(curl|wget)
        deny :\s*\(\s*\)\s*\{.*:\s*\|\s*:.*\}
        deny (^|\s)(sudo\s+)?chmod\s+(.*\s)?(-[a-zA-Z]*R[a-zA-Z]*|--recursive)\s+(.*\s)?0?777\b
        deny (^|\s)(sudo\s+)?chmod\s+(.*\s)?0?777\s+(.*\s)?(-[a-zA-Z]*R[a-zA-Z]*|--recursive)\b
        deny (^|\s)(sudo\s+)?chown\s+(.*\s)?-R\s+\S+\s+/(\s|$)
        deny \bgit\s+push\b.*(\s-f\b|\s--force\b|\s--force-with-lease\b|\s\+\S*(main|master)\b).*
        deny (^|\s)(sudo\s+)?(shutdown|reboot|poweroff|halt|init\s+0)\b
        deny \bkill\s+-9\s+-1\b

        # --- ask first, even when a rule below would allow it ---
        confirm \bfind\b.*(-delete|-exec|-execdir|-ok)\b
        confirm \bgit\s+(reset\s+--hard|clean\s+-\S*[fdx]|checkout\s+--\s|restore|rebase|push|branch\s+-D)
        confirm (^|\s)sudo\s
        confirm (^|\s)(rm|mv|cp|chmod|chown|ln)\s
        confirm \b(npm|pip|pip3|uv|cargo|apt|apt-get|brew|gem)\s+(install|uninstall|remove|publish)\b

        # --- run at once: tests, builds, linters, read-only git and file listings ---
        allow ^swift\s+(build|test|package\s+(describe|dump-package|show-dependencies))(\s[-\w=./:,]*)*$
        allow ^make(\s+(test|check|lint|build|all))?(\s+-j\d*)?$
        allow ^(cargo)\s+(build|test|check|clippy|fmt\s+--check)(\s[-\w=./:]*)*$
        allow ^go\s+(build|test|vet)(\s[-\w=./:]*)*$
        allow ^(npm|pnpm|yarn)\s+(test|run\s+(test|build|lint|check|typecheck))$
        allow ^(python3?\s+-m\s+)?(pytest|ruff\s+check|ruff\s+format\s+--check|mypy|flake8)(\s[-\w=./:]*)*$
        allow ^(swift\s+format\s+lint|swiftlint|shellcheck)(\s[-\w=./:]*)*$
        allow ^git\s+(status|diff|log|show|branch|remote\s+-v|rev-parse|blame|shortlog)(\s[-\w=./:@~^]*)*$
        allow ^(ls|ll|pwd|tree|du\s+-sh|df\s+-h|wc|head|tail|cat|grep|rg|which|echo|date|whoami|uname)(\s[-\w=./:*'"]*)*$
        allow ^find(\s[-\w=./:*'"]*)*$

        # --- Claude Code prompts that ask for wholesale destruction wait for a yes ---
        confirm-prompt (?i)\b(delete|remove|erase|wipe|destroy|purge|nuke|drop|rm)\b.*\b(everything|all|whole|entire|every|repo|repository|project|database|history)\b
        confirm-prompt (?i)\b(force[- ]?push|reset\s+--hard|rewrite\s+(the\s+)?history)\b
        """#
}
