#!/usr/bin/env python3
"""Generates spoken coding requests with their expected intents from templates and vocabulary.

    Benchmarks/intent/generate.py [--seed N] [--per-template K] > generated.jsonl

Each template belongs to the "tune" or the "heldout" split. Held-out templates are phrasings
that the grammar was never tuned on: the figures on them estimate accuracy on requests never
seen. Do not look at held-out failures to change the grammar; write new held-out templates
instead, and say so in the commit.

Fields: text, category, split, template, and the expected intent: action and, where they
matter, command (a string or a list of accepted strings), task, mode.
"""
import argparse
import json
import random
import re
import sys

NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 10: "ten", 12: "twelve", 20: "twenty"}
POLITE = ["", "please ", "could you ", "can you ", "um ", "hey ", "okay ", "would you ", "go ahead and ", "i want you to "]
POLITE_END = ["", "", " please", " now", " for me", " thanks"]
BRANCHES = [("login fix", "login-fix"), ("new parser", "new-parser"), ("dark mode", "dark-mode"),
            ("release notes", "release-notes"), ("cleanup", "cleanup"), ("api tokens", "api-tokens"),
            ("hotfix two", "hotfix-2"), ("cache layer", "cache-layer")]
MESSAGES = ["fix the parser", "add dark mode", "update the readme", "remove dead code",
            "handle empty input", "bump the version", "rename the config loader"]
DIRS = [("sources", "Sources"), ("tests", "Tests"), ("docs", "docs"), ("scripts", "scripts")]
FILES = [("readme", "README.md"), ("makefile", "Makefile"), ("package swift", "Package.swift"),
         ("package.swift", "Package.swift"), ("changelog", "CHANGELOG.md"), ("license", "LICENSE"),
         ("main.swift", "Sources/App/main.swift"), ("parser.swift", "Sources/App/Parser.swift")]
SYMBOLS = [("parse config", "parse[_-]?config"), ("load settings", "load[_-]?settings"),
           ("user id", "user[_-]?id"), ("handle request", "handle[_-]?request"), ("retry", "retry"),
           ("todo", "todo"), ("open socket", "open[_-]?socket")]
DATES = [("yesterday", "yesterday"), ("last week", "'1 week ago'"), ("monday", "monday"),
         ("two days ago", "'2 days ago'"), ("this morning", "midnight"), ("today", "midnight")]
CODE_TASKS = ["fix the failing test in the parser", "add a retry to the http client",
              "rename the config struct to settings", "write a unit test for the tokenizer",
              "refactor the server module into smaller functions", "add logging to the upload handler",
              "make the build script faster", "remove the unused imports", "document the public api",
              "implement pagination for the list endpoint", "change the default port to eight thousand",
              "add a readme section about installation", "optimize the database query in the report",
              "convert the callbacks to async await", "add input validation to the signup form"]
QUESTION_WORDS = {"what", "what's", "which", "who", "how", "how's", "is", "are", "did", "were", "where", "git",
                  "the", "new", "let's", "tell", "line"}
NONSENSE = ["the weather is lovely today", "banana phone", "i had pasta for lunch", "hmm",
            "la la la", "my cat is asleep", "what a day", "okay so anyway", "uh huh right",
            "the quick brown fox", "thank you very much", "good morning", "it is raining again"]


def n(k):
    return NUMBERS.get(k, str(k))


def templates():
    """(split, category, expected, phrasings): {slots} are filled by `fill`."""
    T = []

    def add(split, category, expected, *phrasings):
        T.append((split, category, expected, list(phrasings)))

    # Project tasks.
    add("tune", "test", {"action": "run", "task": "test"}, "run the tests", "run all the tests", "test it", "run the unit tests")
    add("heldout", "test", {"action": "run", "task": "test"}, "kick off the test suite", "let's see if the tests pass",
        "run the whole test suite again", "execute the tests", "fire off the tests")
    add("tune", "build", {"action": "run", "task": "build"}, "build the project", "compile the code", "run a build")
    add("heldout", "build", {"action": "run", "task": "build"}, "do a build", "compile everything", "kick off a build", "build it again")
    add("tune", "build", {"action": "run", "task": "build", "mode": "release"}, "build the project in release mode", "make a release build")
    add("heldout", "build", {"action": "run", "task": "build", "mode": "release"}, "compile it for release", "do a release build",
        "build with optimizations", "build the release version")
    add("heldout", "build", {"action": "run", "task": "build", "mode": "debug"}, "do a debug build", "compile in debug mode")
    add("tune", "lint", {"action": "run", "task": "lint"}, "run the linter", "lint the code")
    add("heldout", "lint", {"action": "run", "task": "lint"}, "check the code for lint", "run lint on everything", "lint it")
    add("tune", "format", {"action": "run", "task": "format"}, "format the code", "run the formatter")
    add("heldout", "format", {"action": "run", "task": "format"}, "reformat the sources", "format everything", "fix the formatting")
    add("tune", "app", {"action": "run", "task": "start"}, "run the app", "start the application")
    add("heldout", "app", {"action": "run", "task": "start"}, "launch the app", "fire up the app", "start the program", "run the program")

    # Read-only git.
    add("tune", "git-status", {"action": "run", "command": "git status"}, "git status", "what is the git status", "show me the git status")
    add("heldout", "git-status", {"action": "run", "command": "git status"}, "which files have i modified",
        "are there any uncommitted changes", "is the working tree clean", "what's the state of the repo")
    add("tune", "git-diff", {"action": "run", "command": "git diff"}, "show me the diff", "git diff", "what did you change")
    add("heldout", "git-diff", {"action": "run", "command": "git diff"}, "show the current changes", "let me see the diff",
        "what are the changes", "show me what changed in the code")
    add("tune", "git-log", {"action": "run", "command": "git log -{k}"}, "show me the last {nk} commits", "the last {nk} commits")
    add("heldout", "git-log", {"action": "run", "command": "git log -{k}"}, "list the {nk} most recent commits",
        "what were the last {nk} commits", "give me the previous {nk} commits", "git log with {nk} entries")
    add("tune", "git-log", {"action": "run", "command": ["git log --since={date}"]}, "what changed since {d}", "show the commits since {d}")
    add("heldout", "git-log", {"action": "run", "command": ["git log --since={date}"]}, "what got committed since {d}",
        "list commits from {d}", "what have we committed since {d}")
    add("tune", "git-log", {"action": "run", "command": ["git log -10", "git log --oneline -20"]}, "show the git log", "show me the commit history")
    add("heldout", "git-log", {"action": "run", "command": ["git log -10", "git log --oneline -20"]}, "what are the recent commits", "show me the history of the repo")
    add("tune", "git-branch", {"action": "run", "command": "git branch --show-current"}, "what branch am i on", "which branch is this")
    add("heldout", "git-branch", {"action": "run", "command": "git branch --show-current"}, "tell me the current branch", "what's the current branch")
    add("tune", "git-branch", {"action": "run", "command": "git branch"}, "list the branches", "show all branches")
    add("heldout", "git-branch", {"action": "run", "command": "git branch"}, "what branches do we have", "which branches exist")
    add("tune", "git-blame", {"action": "run", "command": "git blame {file}"}, "git blame {f}", "who changed {f}")
    add("heldout", "git-blame", {"action": "run", "command": "git blame {file}"}, "who wrote {f}", "blame {f}", "show the blame for {f}")
    add("tune", "git-show", {"action": "run", "command": ["git show", "git log -1", "git show HEAD"]}, "show me the last commit", "what was the last commit")
    add("heldout", "git-show", {"action": "run", "command": ["git show", "git log -1", "git show HEAD"]}, "show the latest commit", "what's in the most recent commit")

    # Git writes.
    add("tune", "git-commit", {"action": "run", "command": "git commit -am '{msg}'"}, "commit with the message {msg}", "commit everything with message {msg}")
    add("heldout", "git-commit", {"action": "run", "command": "git commit -am '{msg}'"}, "make a commit saying {msg}",
        "commit the changes with the message {msg}", "commit this as {msg}")
    add("tune", "git-new-branch", {"action": "run", "command": "git switch -c {slug}"}, "create a branch called {b}", "make a new branch named {b}")
    add("heldout", "git-new-branch", {"action": "run", "command": "git switch -c {slug}"}, "start a new branch called {b}",
        "open a branch named {b}", "new branch {b}", "create a new git branch called {b}")
    add("tune", "git-switch", {"action": "run", "command": "git switch {slug}"}, "switch to the {b} branch", "check out {b}")
    add("heldout", "git-switch", {"action": "run", "command": "git switch {slug}"}, "go to the branch {b}", "change to branch {b}", "switch branches to {b}")
    add("tune", "git-pull", {"action": "run", "command": "git pull"}, "pull", "git pull", "pull the latest changes")
    add("heldout", "git-pull", {"action": "run", "command": "git pull"}, "get the latest from the remote", "pull down the newest code", "update from origin")
    add("tune", "git-push", {"action": "run", "command": "git push"}, "push", "push my changes", "git push")
    add("heldout", "git-push", {"action": "run", "command": "git push"}, "push it to the remote", "push the branch", "send my commits to origin")
    add("tune", "git-stash", {"action": "run", "command": "git stash"}, "stash my changes", "git stash")
    add("heldout", "git-stash", {"action": "run", "command": "git stash"}, "stash everything", "put my changes in the stash")
    add("tune", "git-stash", {"action": "run", "command": "git stash pop"}, "pop the stash", "git stash pop")
    add("heldout", "git-stash", {"action": "run", "command": "git stash pop"}, "bring back my stashed changes", "apply the stash and drop it")

    # Files.
    add("tune", "files-list", {"action": "run", "command": "ls {dir}"}, "list the files in the {dn} folder", "what is in the {dn} directory")
    add("heldout", "files-list", {"action": "run", "command": "ls {dir}"}, "show me the contents of the {dn} folder",
        "what files are in {dn}", "list {dn}", "show the {dn} directory")
    add("tune", "files-show", {"action": "run", "command": "cat {file}"}, "open the {f} file", "show me {f}")
    add("heldout", "files-show", {"action": "run", "command": "cat {file}"}, "print {f}", "display the {f} file", "read me the {f}")
    add("tune", "files-find", {"action": "run", "command": "find . -iname '*{sym1}*'"}, "find the file called {s1}", "where is the {s1} file")
    add("heldout", "files-find", {"action": "run", "command": "find . -iname '*{sym1}*'"}, "locate the {s1} file", "look for a file named {s1}")
    add("tune", "files-count", {"action": "run", "command": "find {dir} -type f | wc -l"}, "how many files are in the {dn} folder", "count the files in {dn}")
    add("heldout", "files-count", {"action": "run", "command": "find {dir} -type f | wc -l"}, "what's the number of files in {dn}", "count how many files {dn} has")
    add("tune", "files-count", {"action": "run", "command": "wc -l {file}"}, "how many lines are in {f}", "count the lines in {f}")
    add("heldout", "files-count", {"action": "run", "command": "wc -l {file}"}, "how long is {f}", "line count of {f}")

    # Search.
    add("tune", "search", {"action": "run", "command": "rg -n -i '{pat}'"}, "search the project for {sym}", "search for the function {sym}", "grep for {sym}")
    add("heldout", "search", {"action": "run", "command": "rg -n -i '{pat}'"}, "find where {sym} is used", "look for {sym} in the code",
        "find all references to {sym}", "search the code base for {sym}", "where is {sym} defined")

    # Undo.
    add("tune", "undo", {"action": "undo"}, "undo the last change", "undo that", "revert that")
    add("heldout", "undo", {"action": "undo"}, "take back the last change", "undo what you just did", "roll back the last change", "revert the last thing you did")

    # Status and history.
    add("tune", "status", {"action": "status"}, "is it still running", "what are you doing", "status")
    add("heldout", "status", {"action": "status"}, "are you still working on it", "what's going on right now", "how's it going", "are you finished yet")
    add("tune", "status", {"action": "status", "task": "build"}, "what is the status of the build", "is the build done")
    add("heldout", "status", {"action": "status", "task": "build"}, "how is the build going", "is the build still running")
    add("tune", "history", {"action": "history", "task": "test"}, "did the tests pass", "how long did the tests take")
    add("heldout", "history", {"action": "history", "task": "test"}, "were the tests green", "how did the tests go", "did the test run succeed")
    add("tune", "history", {"action": "history", "task": "build"}, "how long did the last build take", "did the build succeed")
    add("heldout", "history", {"action": "history", "task": "build"}, "did the build work", "how did the last build go", "did the build fail")
    add("heldout", "history", {"action": "history"}, "did it work", "did that succeed", "how did the last job go")

    # Stop, deny, confirm.
    add("tune", "stop", {"action": "stop"}, "stop", "cancel that", "never mind")
    add("heldout", "stop", {"action": "stop"}, "stop what you're doing", "cancel the build", "forget about it", "stop everything", "abort")
    add("tune", "deny", {"action": "deny"}, "no", "no do not do that", "nope")
    add("heldout", "deny", {"action": "deny"}, "no don't", "no thanks", "please don't", "no that's wrong", "nah skip it")
    add("tune", "confirm", {"action": "confirm"}, "yes", "yeah go ahead", "do it")
    add("heldout", "confirm", {"action": "confirm"}, "yes please do", "sure go for it", "that's right", "yep run it", "absolutely")

    # Code tasks for Claude.
    for i, task in enumerate(CODE_TASKS):
        add("tune" if i % 3 else "heldout", "code", {"action": "code"}, task, "ask claude to " + task, "please " + task)

    # Nothing to do.
    for i, text in enumerate(NONSENSE):
        add("tune" if i % 2 else "heldout", "none", {"action": "none"}, text)
    return T


def fill(phrase, expected, rng):
    b = rng.choice(BRANCHES)
    msg = rng.choice(MESSAGES)
    d = rng.choice(DIRS)
    f = rng.choice(FILES)
    s = rng.choice(SYMBOLS)
    date = rng.choice(DATES)
    k = rng.choice(list(NUMBERS))
    slots = {"b": b[0], "slug": b[1], "msg": msg, "dn": d[0], "dir": d[1], "f": f[0], "file": f[1],
             "sym": s[0], "pat": s[1], "s1": s[0].split()[0], "sym1": s[0].split()[0], "d": date[0], "date": date[1],
             "k": str(k), "nk": n(k)}
    # Dates in the accepted diff form are spelled as git writes them.
    text = phrase.format(**slots)
    exp = {}
    for key, value in expected.items():
        if isinstance(value, list):
            exp[key] = [v.format(**slots) for v in value]
        else:
            exp[key] = value.format(**slots)
    return text, exp


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-template", type=int, default=2, help="variants of each phrasing")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    seen = set()
    for index, (split, category, expected, phrasings) in enumerate(templates()):
        for phrase in phrasings:
            slotted = "{" in phrase
            for _ in range(args.per_template if slotted else 1):
                for variant in range(2):
                    text, exp = fill(phrase, expected, rng)
                    if variant:
                        if category in ("stop", "deny", "confirm", "none"):
                            continue
                        question = text.split()[0] in QUESTION_WORDS
                        text = ("" if question else rng.choice(POLITE)) + text + rng.choice(POLITE_END)
                    text = re.sub(r"\s+", " ", text).strip()
                    if text in seen:
                        continue
                    seen.add(text)
                    record = {"text": text, "category": category, "split": split, "template": index}
                    record.update(exp)
                    print(json.dumps(record))


if __name__ == "__main__":
    sys.exit(main())
