import MybroRules

/// The project's technology rules, given to the model so the tasks it writes for Claude Code
/// follow the product's stack. `mybro-intent --print-rules` prints them as a starting point
/// for a `--rules FILE` of your own.
public enum TechnologyRules {
    public static let defaultText = """
        # mybro technology rules
        # One rule per line; the model is told to follow them when it writes a task for Claude Code.

        | area                  | use                                         | not                               |
        |-----------------------|---------------------------------------------|-----------------------------------|
        | Python web services   | FastAPI with uvicorn                        | Flask, Django for APIs            |
        | HTTP from Python      | httpx (async with httpx.AsyncClient)        | requests inside async code        |
        | Python packaging      | pyproject.toml, uv or pip in a venv         | setup.py, global pip installs     |
        | Python tests          | pytest                                      | unittest boilerplate              |
        | Python checks         | ruff (lint and format), mypy for types      | pylint+black+isort stacks         |
        | Swift                 | SwiftPM, Swift 6 language mode, Swift Testing | Xcode projects, new XCTest suites |
        | Compute               | CPU code, BLAS/SIMD, portable kernels       | CUDA or any GPU-only dependency   |
        | Development env       | the host toolchain, venvs                   | Docker or containers for development |
        | Data                  | SQLite (GRDB in Swift, sqlite3 in Python)   | a database server for local state |
        | Configuration         | TOML or environment variables               | YAML with anchors                 |
        | Version control       | small commits on a branch, pull requests    | force-pushing main                |

        - Prefer the standard library; every new dependency must pay for itself.
        - Never write secrets (API keys, tokens) into files, logs or commit messages.
        """

    /// The rules with the stack mandates mybro-doctor enforces (built-in, the user's and the
    /// project's rules.toml merged), so the model writes code the doctor will not flag.
    public static func prompt(stack: TechnologyRuleSet) -> String {
        defaultText + "\n\n" + stack.promptText
    }
}
