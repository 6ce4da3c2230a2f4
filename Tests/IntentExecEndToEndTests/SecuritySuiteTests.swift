import Foundation
import MybroCore
import MybroStore
import MybroTestSupport
import Testing

/// The security suite: the built `mybro-intent` and `mybro-exec` against real files.
///
/// Every test builds a world of its own in a temporary directory: a workspace, a victim
/// directory outside it, a fake HOME with canary files, and separate state, config and
/// temporary directories, which HOME, XDG_STATE_HOME, XDG_CONFIG_HOME, XDG_CACHE_HOME and
/// TMPDIR point at. Nothing here aims at the user's own files; "root" attacks use canary names
/// (`/mybro-canary-<uuid>`) that the test removes again. Each part prints a line of figures
/// to stderr (and appends it to `$MYBRO_SECURITY_FIGURES` when that names a file).
@Suite(.serialized) final class SecuritySuiteTests {
    let world: SecurityWorld

    init() throws { world = try SecurityWorld() }

    deinit { world.remove() }

    // MARK: 1. spoken requests through the shipped policy

    enum Verdict: String, CustomStringConvertible {
        case ranAtOnce = "ran at once", asked, refused, ignored
        var description: String { rawValue }
    }

    /// Transcripts (V: the victim directory) and what the shipped policy and the rules grammar
    /// really make of them, as observed; the sandbox must hold for every one that runs.
    static let spokenRequests: [(transcript: String, verdict: Verdict)] = [
        ("run python3 -m pytest --basetemp=V", .asked),
        ("run pytest --basetemp=V/sub", .asked),
        ("run git diff --output=V/a.txt", .asked),
        ("run git log --output=V/a.txt", .asked),
        ("run find . -fprint V/a.txt", .asked),
        ("run find V -delete", .asked),
        ("run find ~ -delete", .refused),
        ("run find V -name a.txt -exec rm {} +", .asked),
        ("run rm -rf V", .refused),
        ("run rm -rf ~", .refused),
        ("run rm -rf ~/.ssh", .refused),
        ("run rm -rf *", .refused),
        ("run rm ~/notes.txt", .asked),
        ("run rm V/a.txt", .asked),
        ("run unlink ~/.bashrc", .asked),
        ("run mv V/a.txt V/moved.txt", .asked),
        ("run cp /dev/null ~/.bashrc", .asked),
        ("run truncate -s 0 ~/.bashrc", .asked),
        ("run chmod 000 ~/.ssh/id_rsa", .asked),
        ("run chmod -R 777 V", .refused),
        ("run ln -sf /dev/null ~/.bashrc", .asked),
        ("run ln V/a.txt hard.txt", .asked),
        ("run touch V/new.txt", .asked),
        ("run echo pwned > ~/.bashrc", .asked),
        ("run echo pwned >> V/a.txt", .asked),
        ("run tee V/a.txt", .asked),
        ("run sed -i d ~/.bashrc", .asked),
        ("run perl -i -pe s/a/b/ V/a.txt", .asked),
        ("run python3 -c \"open('V/a.txt','w')\"", .asked),
        ("run sh -c \"rm -rf V\"", .refused),
        ("run bash -c \"echo x > ~/notes.txt\"", .asked),
        ("run git --work-tree=V checkout -- .", .asked),
        ("run git --git-dir=V/.git init", .asked),
        // make alone and the build task run the Makefile's default goal, which deletes V.
        ("run make", .ranAtOnce),
        ("run make -k", .ranAtOnce),
        ("run build it", .ranAtOnce),
        ("run make -C V", .asked),
        ("run make -f V/Makefile", .asked),
        ("run dd if=/dev/zero of=V/a.txt count=1", .asked),
        ("run shred ~/notes.txt", .asked),
        ("run rsync -a --delete src/ V/", .asked),
        ("run install -m 777 keep.txt V/x", .asked),
        ("run sort -o ~/.bashrc keep.txt", .asked),
        ("run tree -o V/a.txt", .asked),
        ("run cat keep.txt > ~/.bashrc", .asked),
        ("run cd .. && rm -rf victim", .asked),
        ("run xargs rm -rf < targets.txt", .asked),
        ("run git branch -D foo", .asked),
        // To Claude Code (the fake CLI tries rm -rf on HOME and V with a shell command).
        ("delete the branch foo with force", .asked),
        ("remove the home folder", .asked),
        ("delete the files in my home folder", .asked),
        ("clean out the home directory", .asked),
        ("delete everything in my home directory", .asked),
        ("delete my ssh keys", .asked),
        ("remove the dot files in my home directory", .asked),
        ("delete all the files outside the project", .asked),
        ("delete everything", .asked),
        ("clean up my bashrc", .asked),
        ("ask claude to delete my home directory", .asked),
        ("ask claude to wipe my documents", .asked),
        ("tell claude to remove everything in the parent folder", .asked),
        ("tell claude to clean out my home folder", .asked),
        ("claude please empty my home folder", .asked),
        ("hey claude nuke my home directory", .asked),
        ("have claude reset my shell config", .asked),
        ("ask claude to tidy up my home folder", .asked),
        ("ask claude to free up disk space", .asked),
        // The prompt gate lets this through ("my notes" may well be in the project): only the
        // sandbox stands between the fake Claude's rm -rf $HOME/* and HOME.
        ("ask claude to erase my notes", .ranAtOnce),
        // The rules grammar makes nothing of these.
        ("wipe my documents", .ignored),
        ("erase my home folder", .ignored),
        ("get rid of everything in my home directory", .ignored),
        ("empty my home folder", .ignored),
        ("clear out my documents folder", .ignored),
        ("nuke the home directory", .ignored),
    ]

    @Test func spokenAttacksChangeNothingOutsideTheWorkspace() throws {
        let world = self.world
        try world.makeWorkspace(makefileDefaultGoal: "rm -rf \(world.victim)")
        try "\(world.victim)/a.txt\n\(world.home)/notes.txt\n".write(
            toFile: world.workspace + "/targets.txt", atomically: true, encoding: .utf8)
        let attempts = world.claudeDirectory + "/attempts"
        let script = world.claudeDirectory + "/destroy.jsonl"
        let destroy =
            "rm -rf \"$HOME\"/* \"$HOME\"/.[!.]* \(world.victim)/* \(world.victim)/.[!.]*;"
            + " echo pwned > \"$HOME/.bashrc\"; echo $? >> \(attempts)"
        try [
            #"{"type":"system","subtype":"init","session_id":"s-suite","model":"fake"}"#,
            JSONObject(["fake": .string("spawn"), "command": .string(destroy), "wait": .bool(true)]).serialized(),
            #"{"type":"result","subtype":"success","is_error":false,"result":"done","session_id":"s-suite"}"#, "",
        ].joined(separator: "\n").write(toFile: script, atomically: true, encoding: .utf8)
        let head = try world.gitHead()
        let outsideBefore = world.outside()

        var counts: [String: Int] = [:]
        var claudeRuns = 0
        var failures: [String] = []
        for (spoken, expected) in Self.spokenRequests {
            let transcript = spoken.replacingOccurrences(of: "V", with: world.victim)
            for answer in [false, true] {
                var input =
                    JSONObject(["type": .string("transcript"), "text": .string(transcript)]).serialized() + "\n"
                if answer { input += #"{"type":"transcript","text":"yes"}"# + "\n" }
                let before = world.outside()
                let result = try world.run(
                    "\"$INTENT\" --backend rules | \"$EXEC\" --cwd \(shellQuoted(world.workspace))"
                        + " --history-file \(shellQuoted(world.historyFile)) --confirm-timeout 20"
                        + " --claude \(shellQuoted(Harness.fixture("fake-claude")))"
                        + " --allow-write \(shellQuoted(world.claudeDirectory))",
                    input: input, environment: ["FAKE_CLAUDE_SCRIPT": script])
                let verdict = Self.verdict(of: result)
                let started = !result.records("job_started").isEmpty
                let label = "\(answer ? "with" : "without") yes: \(transcript)"
                if verdict != expected { failures.append("\(label): \(verdict), expected \(expected)") }
                if expected == .asked && started != answer {
                    failures.append("\(label): \(started ? "ran" : "did not run")")
                }
                if started && result.records("job_started").first?["action"]?.stringValue == "code" { claudeRuns += 1 }
                counts[verdict.rawValue, default: 0] += 1
                if started { counts["ran", default: 0] += 1 }
                for change in world.outside().changes(from: before) {
                    failures.append("\(label) changed \(change)")
                    counts["changed outside", default: 0] += 1
                }
            }
        }
        let changes = world.outside().changes(from: outsideBefore)
        world.report(
            "part 1 (spoken requests, shipped policy): \(Self.spokenRequests.count) transcripts,"
                + " \(Self.spokenRequests.count * 2) runs (without and with yes);"
                + " asked \(counts["asked", default: 0]), refused \(counts["refused", default: 0]),"
                + " ran at once \(counts["ran at once", default: 0]), ignored \(counts["ignored", default: 0]),"
                + " jobs started \(counts["ran", default: 0]) (Claude Code \(claudeRuns));"
                + " runs that changed anything outside the workspace: \(counts["changed outside", default: 0])")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        #expect(changes.isEmpty, "outside the workspace: \(changes)")
        // Every Claude Code job really tried its destruction (and was refused by the sandbox).
        let tries = (try? String(contentsOfFile: attempts, encoding: .utf8))?.split(separator: "\n") ?? []
        #expect(tries.count == claudeRuns && claudeRuns > 0, "\(tries.count) attempts for \(claudeRuns) Claude jobs")
        #expect(tries.allSatisfy { $0 != "0" }, "a destruction succeeded: \(tries)")
        // The workspace: its files as they were; a yes to `git branch -D foo` took only the branch.
        #expect(try world.gitHead() == head)
        #expect(world.read(world.workspace + "/keep.txt") == "keep\n")
        #expect(world.read(world.workspace + "/src/main.c") == "int main(void) { return 0; }\n")
        #expect(FileManager.default.fileExists(atPath: world.workspace + "/Makefile"))
    }

    static func verdict(of result: CommandResult) -> Verdict {
        if !result.records("confirm").isEmpty { return .asked }
        if result.records("say").contains(where: { $0["text"]?.stringValue?.contains("deny list") == true }) {
            return .refused
        }
        return result.records("job_started").isEmpty ? .ignored : .ranAtOnce
    }

    // MARK: 2. the sandbox alone

    struct Attack {
        enum Check {
            /// Only that nothing outside the workspace changes (checked for every attack).
            case outside
            /// The job must fail (a read, a signal, a privilege).
            case fails
            /// The job must fail, and its output must hold none of these.
            case failsSilently([String])
            /// The job learns none of these: not in its output, not in a copy it made in the
            /// workspace (where mybro's state is covered, reading it succeeds and finds nothing).
            case learnsNothing([String])
            /// The file is still a whole SQLite database, without what the job tried to append.
            case leavesDatabaseIntact(String)
            /// None of the job's processes may be left once it ended (the marker is in their argv).
            case leavesNoProcess(String)
            /// Its output must hold none of these (the API key).
            case doesNotPrint([String])
            /// This path must not exist afterwards (removed if it does).
            case creates(String)
            /// A TCP connect to the test's loopback listener succeeds (true) or fails (false).
            case connects(Bool)
            /// This file must hold the same bytes afterwards.
            case leavesUnchanged(String)
            /// No datagram may reach the test's UDP socket.
            case sendsNoDatagram
            /// The job must succeed, and this path must not exist on the host afterwards.
            case succeedsPrivately(String)
            /// The job must succeed (it changed the file as it saw it), and the file must hold
            /// the same bytes on the host afterwards.
            case succeedsLeaving(String)
            /// This git config file (if it exists) may not hold this key afterwards.
            case leavesNoKey(String, String)
            /// None of these repositories' effective configs may hold this key afterwards.
            case leavesNoKeyIn([String], String)
        }
        var name: String
        var command: String
        var check: Check = .outside
        var policy: Policy = .minimal
        enum Policy { case minimal, noNetwork, network }
    }

    func sandboxAttacks(
        key: String, port: UInt16, udpPort: UInt16, token: String, otherSecrets: [String], sessionSockets: [String],
        terminal: String, lateSocket: String, sharedMemory: (path: String, secret: String), systemVKey: String
    ) -> [Attack] {
        let v = world.victim
        let h = world.home
        let history = world.historyFile
        let undo = world.undoDirectory
        let canary = "mybro-canary-\(UUID().uuidString)"
        let marker = "mybro-suite-daemon-\(UUID().uuidString)"
        let prefix = String(key.prefix(20))
        let secrets = [key]
        let privateText = ["SQLite format 3", token]
        return [
            Attack(name: "a benign job for the history", command: "echo \(token)"),
            Attack(name: "rm -rf the victim", command: "rm -rf \(v)"),
            Attack(name: "rm a victim file", command: "rm -f \(v)/a.txt"),
            Attack(name: "find -delete", command: "find \(v) -delete"),
            Attack(name: "find -exec rm", command: "find \(v) \(h) -type f -exec rm -f {} +"),
            Attack(name: "overwrite", command: "echo pwned > \(v)/a.txt"),
            Attack(name: "append", command: "echo pwned >> \(h)/.bashrc"),
            Attack(name: "truncate by redirection", command: ": > \(h)/notes.txt"),
            Attack(name: "truncate", command: "truncate -s 0 \(h)/.ssh/id_rsa"),
            Attack(name: "chmod a HOME file", command: "chmod 000 \(h)/.ssh/id_rsa"),
            Attack(name: "chmod -R the victim", command: "chmod -R 777 \(v)"),
            Attack(name: "chown", command: "chown -R 1:1 \(v)"),
            Attack(name: "timestamps", command: "touch -d 2001-01-01 \(v)/a.txt"),
            Attack(
                name: "extended attribute",
                command: "python3 -c \"import os; os.setxattr('\(v)/a.txt', 'user.mybro', b'x')\""),
            Attack(name: "rename within the victim", command: "mv \(v)/a.txt \(v)/renamed.txt"),
            Attack(name: "rename into the workspace", command: "mv \(h)/notes.txt ./stolen.txt"),
            Attack(name: "hard link, then write", command: "ln \(v)/a.txt ./hard && echo pwned > ./hard"),
            Attack(name: "symlink, then write through it", command: "ln -s \(v)/a.txt ./sym && echo pwned > ./sym"),
            Attack(name: "symlink swap", command: "rm -f \(h)/.bashrc; ln -s /dev/null \(h)/.bashrc"),
            Attack(name: "write through /proc/self/root", command: "echo pwned > /proc/self/root\(v)/a.txt"),
            Attack(name: "write through /proc/self/cwd/..", command: "echo pwned > /proc/self/cwd/../victim/a.txt"),
            Attack(name: "cd .. escape", command: "cd .. && rm -rf victim home"),
            Attack(name: "cd .. and overwrite", command: "cd .. && echo pwned > victim/sub/b.txt"),
            Attack(name: "git --git-dir", command: "git --git-dir=\(v)/.git init"),
            Attack(name: "git -C", command: "git -C \(v) init"),
            Attack(name: "git --work-tree", command: "git --work-tree=\(v) checkout -f -- ."),
            Attack(name: "pytest --basetemp", command: "python3 -m pytest -q --basetemp=\(v)"),
            Attack(name: "python rmtree", command: "python3 -c \"import shutil; shutil.rmtree('\(h)')\""),
            Attack(name: "python write", command: "python3 -c \"open('\(h)/.bashrc', 'w').write('pwned')\""),
            Attack(name: "perl unlink", command: "perl -e 'unlink glob(\"\(v)/* \(h)/*\")'"),
            Attack(name: "perl -i", command: "perl -i -pe 's/./X/' \(h)/notes.txt \(v)/a.txt"),
            Attack(name: "a file in /", command: "touch /\(canary)", check: .creates("/\(canary)")),
            Attack(name: "a file in /etc", command: "touch /etc/\(canary)", check: .creates("/etc/\(canary)")),
            Attack(
                name: "a directory in /usr/local", command: "mkdir /usr/local/\(canary)",
                check: .creates("/usr/local/\(canary)")),
            Attack(name: "a file in /tmp", command: "touch /tmp/\(canary)", check: .creates("/tmp/\(canary)")),
            Attack(
                name: "a block device node", command: "mknod ./\(canary) b 7 200",
                check: .creates(world.workspace + "/" + canary)),
            Attack(
                name: "write the history", command: "echo mybro-appended >> \(history)",
                check: .leavesDatabaseIntact(history)),
            Attack(name: "sqlite3 the history", command: "sqlite3 \(history) 'delete from jobs'", check: .fails),
            Attack(name: "remove the history", command: "rm \(history)", check: .fails),
            Attack(name: "remove the undo snapshots", command: "rm -rf \(undo)", check: .fails),
            Attack(name: "cat the history", command: "cat \(history)", check: .learnsNothing(privateText)),
            Attack(name: "sqlite3 .dump", command: "sqlite3 \(history) .dump", check: .learnsNothing(privateText)),
            Attack(
                name: "copy the history", command: "cp \(history) ./copy.sqlite", check: .learnsNothing(privateText)),
            Attack(
                name: "list the undo snapshots", command: "ls -R \(undo)",
                check: .learnsNothing(privateText + ["refs", "objects", "HEAD"])),
            Attack(name: "the test runner", command: "kill -CONT \(getpid())", check: .fails),
            Attack(name: "the job's parent", command: "kill -CONT $PPID; kill -TERM $PPID; sleep 0.2", check: .outside),
            Attack(name: "root powers", command: "grep -q '^CapEff:[[:space:]]*0*$' /proc/self/status"),
            Attack(name: "sethostname (same name)", command: "hostname \"$(hostname)\"", check: .fails),
            Attack(
                name: "setsid", command: "setsid sh -c 'sleep 300; : \(marker)' > /dev/null 2>&1 &",
                check: .leavesNoProcess(marker)),
            Attack(
                name: "nohup", command: "nohup sh -c 'sleep 300; : \(marker)' > /dev/null 2>&1 &",
                check: .leavesNoProcess(marker)),
            Attack(
                name: "double fork", command: "sh -c '(sh -c \"sleep 300; : \(marker)\" > /dev/null 2>&1 &) &'",
                check: .leavesNoProcess(marker)),
            Attack(
                name: "python daemon",
                command:
                    "python3 -c 'import os, sys, time; os.fork() and sys.exit(); os.setsid(); os.fork() and sys.exit();"
                    + " os.close(1); os.close(2); time.sleep(300)' \(marker)",
                check: .leavesNoProcess(marker)),
            Attack(
                name: "TCP connect, network denied", command: "bash -c 'exec 3<>/dev/tcp/127.0.0.1/\(port)'",
                check: .connects(false), policy: .noNetwork),
            Attack(
                name: "TCP connect, network allowed (control)", command: "bash -c 'exec 3<>/dev/tcp/127.0.0.1/\(port)'",
                check: .connects(true), policy: .network),
            Attack(
                name: "TCP connect, no network line (the default)",
                command: "bash -c 'exec 3<>/dev/tcp/127.0.0.1/\(port)'", check: .connects(false)),
            Attack(
                name: "a test suite's own local server still works without the network",
                command:
                    "python3 -c \"import socket, threading; s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(1);"
                    + " threading.Thread(target=s.accept, daemon=True).start();"
                    + " socket.create_connection(s.getsockname(), timeout=5)\"",
                check: .connects(true)),
            Attack(
                name: "UDP out, no network",
                command:
                    "python3 -c \"import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);"
                    + " s.sendto(b'leak', ('127.0.0.1', \(udpPort)))\"; sleep 0.2",
                check: .sendsNoDatagram),
            Attack(
                name: "the session bus (a keyring behind it)",
                command:
                    "python3 -c \"import os, socket; s = socket.socket(socket.AF_UNIX);"
                    + " s.connect(os.environ['XDG_RUNTIME_DIR'] + '/bus')\"",
                check: .fails),
            Attack(
                name: "an ssh-agent's socket in /tmp",
                command: "python3 -c \"import socket; socket.socket(socket.AF_UNIX).connect('\(sessionSockets[0])')\"",
                check: .fails),
            Attack(
                name: "a tmux server's socket in /tmp, with the network",
                command: "python3 -c \"import socket; socket.socket(socket.AF_UNIX).connect('\(sessionSockets[1])')\"",
                check: .fails, policy: .network),
            Attack(
                name: "the user's other terminal (what is typed there)",
                command:
                    "python3 -c \"import os; fd = os.open('\(terminal)', os.O_RDWR | os.O_NONBLOCK | os.O_NOCTTY);"
                    + " os.write(fd, b'written by a job')\"",
                check: .fails),
            Attack(
                name: "the audio server (the microphone)",
                command: "python3 -c \"import socket; socket.socket(socket.AF_UNIX).connect('\(sessionSockets[2])')\"",
                check: .fails),
            Attack(
                name: "an editor's server socket in the home folder",
                command: "python3 -c \"import socket; socket.socket(socket.AF_UNIX).connect('\(sessionSockets[3])')\"",
                check: .fails),
            Attack(
                // The test's helper binds it only once the job has started (the job's touch
                // tells it): the snapshot of bound sockets cannot know it, the private /tmp hides it.
                name: "a socket made in /tmp while the job runs",
                command:
                    "touch .late-socket-go; i=0; while [ $i -lt 60 ] && [ ! -S \(lateSocket) ]; do sleep 0.05; i=$((i+1)); done;"
                    + " python3 -c \"import socket; socket.socket(socket.AF_UNIX).connect('\(lateSocket)')\"",
                check: .fails),
            Attack(
                name: "what another program left in /dev/shm", command: "cat \(sharedMemory.path)",
                check: .learnsNothing([sharedMemory.secret])),
            Attack(
                name: "another program's System V shared memory", command: "ipcs -m",
                check: .learnsNothing([systemVKey])),
            Attack(
                name: "/tmp is the job's own, and writable",
                command: "echo private > /tmp/\(canary) && grep -q private /tmp/\(canary) && ls /tmp",
                check: .succeedsPrivately("/tmp/\(canary)")),
            Attack(
                name: "/dev/shm is the job's own",
                command: "echo private > /dev/shm/\(canary) && grep -q private /dev/shm/\(canary)",
                check: .succeedsPrivately("/dev/shm/\(canary)")),
            Attack(
                name: "a zsh prompt's cache in ~/.cache, sourced by every new shell (powerlevel10k)",
                command:
                    "printf 'touch /tmp/pwned\\n' > \(world.home)/.cache/p10k-instant-prompt-u.zsh"
                    + " && grep -q pwned \(world.home)/.cache/p10k-instant-prompt-u.zsh",
                check: .succeedsPrivately(world.home + "/.cache/p10k-instant-prompt-u.zsh")),
            Attack(
                name: "poison pip's wheel cache, which a later pip install outside the sandbox trusts",
                command:
                    "grep -q cached \(world.cachedWheel) && echo evil > \(world.cachedWheel) && grep -q evil \(world.cachedWheel)",
                check: .succeedsLeaving(world.cachedWheel)),
            Attack(
                name: "change a crate's source in cargo's registry, which the next cargo build compiles",
                command: "echo 'pub fn evil() {}' >> \(world.cachedCrate) && grep -q evil \(world.cachedCrate)",
                check: .succeedsLeaving(world.cachedCrate)),
            Attack(
                name: "replace the Gradle distribution ./gradlew runs, by renaming over it",
                command:
                    "printf '#!/bin/sh\\ntouch /tmp/pwned\\n' > \(h)/.gradle/wrapper/new && mv \(h)/.gradle/wrapper/new"
                    + " \(world.gradleDistribution) && grep -q pwned \(world.gradleDistribution)",
                check: .succeedsLeaving(world.gradleDistribution)),
            Attack(
                name: "empty the caches",
                command: "rm -rf \(h)/.cache/pip \(h)/.cargo/registry/src && test ! -e \(world.cachedWheel)",
                check: .succeedsLeaving(world.cachedWheel)),
            Attack(
                name: "SwiftPM's global mirrors, which send every project's dependency to a manifest in the workspace",
                command:
                    "mkdir -p \(world.home)/.swiftpm/configuration && echo '{\"object\":[],\"version\":1}'"
                    + " > \(world.home)/.swiftpm/configuration/mirrors.json",
                check: .creates(world.home + "/.swiftpm/configuration/mirrors.json")),
            Attack(
                name: "a socket the job makes itself still works",
                command:
                    "python3 -c \"import socket, os; p = os.environ['TMPDIR'] + '/own.sock'; s = socket.socket(socket.AF_UNIX);"
                    + " s.bind(p); s.listen(1); socket.socket(socket.AF_UNIX).connect(p)\"",
                check: .connects(true)),
            Attack(name: "read the SSH key", command: "cat \(h)/.ssh/id_rsa", check: .learnsNothing(["PRIVATE KEY"])),
            Attack(
                name: "copy the SSH keys", command: "cp -r \(h)/.ssh ./ssh-copy; cat ssh-copy/* > copy.sqlite",
                check: .learnsNothing(["PRIVATE KEY"])),
            Attack(
                name: "the SSH key through a link", command: "ln -s \(h)/.ssh keys; cat keys/id_rsa",
                check: .learnsNothing(["PRIVATE KEY"])),
            Attack(name: "the AWS keys", command: "cat \(h)/.aws/credentials", check: .learnsNothing(["aws_secret"])),
            Attack(
                name: "plant a git hook",
                command: "printf '#!/bin/sh\\necho pwned\\n' > .git/hooks/pre-commit; chmod +x .git/hooks/pre-commit",
                check: .creates(world.workspace + "/.git/hooks/pre-commit")),
            Attack(
                name: "poison the git config",
                command: "printf '[core]\\n\\tfsmonitor = touch /tmp/x\\n' >> .git/config",
                check: .leavesUnchanged(world.workspace + "/.git/config")),
            Attack(
                name: "replace the git config",
                command: "cp .git/config c; echo '[alias] st = !touch x' >> c; mv c .git/config",
                check: .leavesUnchanged(world.workspace + "/.git/config")),
            Attack(
                name: "the git config beside a git call that may write it",
                command: "git branch planted; echo '[core] fsmonitor = touch /tmp/x' >> .git/config",
                check: .leavesUnchanged(world.workspace + "/.git/config")),
            Attack(
                name: "a commondir sending git to a planted config",
                command:
                    "cp -a .git .git/x; printf '[core]\\n\\tfsmonitor = touch /tmp/x\\n' >> .git/x/config;"
                    + " echo x > .git/commondir",
                check: .creates(world.workspace + "/.git/commondir")),
            Attack(
                name: "a submodule's config",
                command: "printf '[core]\\n\\tfsmonitor = touch /tmp/x\\n' >> .git/modules/sub/config",
                check: .leavesUnchanged(world.workspace + "/.git/modules/sub/config")),
            Attack(
                name: "a submodule's hook",
                command: "printf '#!/bin/sh\\necho pwned\\n' > .git/modules/sub/hooks/pre-commit",
                check: .creates(world.workspace + "/.git/modules/sub/hooks/pre-commit")),
            Attack(
                name: "a hook where core.hooksPath points (husky)",
                command: "printf '#!/bin/sh\\necho pwned\\n' > .husky/pre-commit; chmod +x .husky/pre-commit",
                check: .creates(world.workspace + "/.husky/pre-commit")),
            // The put-back of git's control files runs unconfined: it must never list, unlink or
            // write through a link a job put where a watched folder was (a review's finds).
            Attack(
                name: "the hooks folder swapped for a link to the victim (its files were deleted)",
                command: "mv .husky .husky-old && ln -s \(v) .husky"),
            Attack(
                name: "a submodule's hooks as a link to ~/.ssh, step 1",
                command:
                    "mkdir -p .git/modules/k && echo 'ref: refs/heads/main' > .git/modules/k/HEAD"
                    + " && ln -s \(h)/.ssh .git/modules/k/hooks"),
            Attack(
                name: "step 2: the link made a folder (the key was copied into it)",
                command: "rm .git/modules/k/hooks && mkdir .git/modules/k/hooks"),
            Attack(
                name: "step 3: read the copy", command: "cat .git/modules/k/hooks/id_rsa",
                check: .learnsNothing(["PRIVATE KEY"])),
            Attack(
                name: "a submodule with an ssh config, step 1",
                command:
                    "mkdir -p .git/modules/evil/hooks && echo 'ref: refs/heads/main' > .git/modules/evil/HEAD"
                    + " && printf 'Host *\\n ProxyCommand touch /tmp/pwned\\n' > .git/modules/evil/config"),
            Attack(
                name: "step 2: the submodule swapped for a link to ~/.ssh (its config was written there)",
                command: "rm -rf .git/modules/evil && ln -s \(h)/.ssh .git/modules/evil"),
            Attack(
                name: "a nested repository's fsmonitor (git status recurses into it)",
                command:
                    "mkdir -p nested && cd nested && git init -q && git -c user.name=a -c user.email=a@b commit -q"
                    + " --allow-empty -m x && git config core.fsmonitor 'touch /tmp/x' && cd .. && git add nested",
                check: .leavesNoKey(world.workspace + "/nested/.git/config", "core.fsmonitor")),
            Attack(
                name: "a nested repository under build/, five folders down, or behind a .git link, added as gitlinks",
                command:
                    "for d in build/sub a/b/c/d/e linked; do mkdir -p $d && (cd $d && git init -q"
                    + " && git -c user.name=a -c user.email=a@b commit -q --allow-empty -m x"
                    + " && git config core.fsmonitor 'touch /tmp/x'); done"
                    + " && mv linked/.git .linked-git && ln -s ../.linked-git linked/.git"
                    + " && git add build/sub a/b/c/d/e linked",
                check: .leavesNoKeyIn(
                    ["build/sub", "a/b/c/d/e", "linked"].map { world.workspace + "/" + $0 }, "core.fsmonitor")),
            Attack(
                name: "git's own config writer setting gpg.ssh.defaultKeyCommand",
                command: "git config gpg.ssh.defaultKeyCommand 'touch /tmp/x'",
                check: .leavesNoKey(world.workspace + "/.git/config", "gpg.ssh.defaultkeycommand")),
            Attack(
                name: "git's own config writer pointing a push URL at a repository in the workspace",
                command: "git config remote.origin.pushurl ./evil.git",
                check: .leavesNoKey(world.workspace + "/.git/config", "remote.origin.pushurl")),
            Attack(
                name: "a file the repository config includes",
                command: "printf '[core]\\n\\tfsmonitor = touch /tmp/x\\n' >> .gitinc",
                check: .leavesUnchanged(world.workspace + "/.gitinc")),
            Attack(
                name: "git's own config writer setting core.sshCommand",
                command: "git config core.sshCommand 'cat ~/.ssh/id_rsa'",
                check: .leavesNoKey(world.workspace + "/.git/config", "core.sshcommand")),
            Attack(
                name: "move the hooks away", command: "mv .git/hooks .git/old-hooks && mkdir .git/hooks",
                check: .fails),
            Attack(
                name: "credentials under other names", command: "env > copy.sqlite; env",
                check: .learnsNothing(otherSecrets)),
            Attack(name: "env", command: "env", check: .doesNotPrint(secrets)),
            Attack(name: "parent's environ", command: "cat /proc/$PPID/environ", check: .doesNotPrint(secrets)),
            Attack(name: "every environ", command: "cat /proc/*/environ", check: .doesNotPrint(secrets)),
            Attack(name: "strings environ", command: "strings /proc/*/environ", check: .doesNotPrint(secrets)),
            Attack(name: "pid 1's environ", command: "cat /proc/1/environ", check: .doesNotPrint(secrets)),
            Attack(name: "ps eww", command: "ps eww", check: .doesNotPrint(secrets)),
            Attack(
                name: "grep -r environ", command: "grep -ra \(prefix) /proc/*/environ", check: .doesNotPrint(secrets)),
            Attack(
                name: "the keeper's memory", command: "cat /proc/*/cmdline /proc/*/maps", check: .doesNotPrint(secrets)),
        ]
    }

    /// A cargo fetch writes cargo's registry through its layer (the offline build after it
    /// needs what it fetched), so it must run no program the workspace chooses: cargo runs
    /// `rustc -vV` during a fetch, and the workspace's config may name that rustc.
    func cargoStoreAttacks(world: SecurityWorld) -> [Attack] {
        let rustc = world.workspace + "/evil-rustc.sh"
        return [
            Attack(
                name: "plant a cargo config that picks the rustc a fetch runs",
                command:
                    "mkdir -p .cargo src && printf '[package]\\nname = \"w\"\\nversion = \"0.1.0\"\\nedition = \"2021\"\\n'"
                    + " > Cargo.toml && touch src/lib.rs && printf '[build]\\nrustc = \"\(rustc)\"\\n' > .cargo/config.toml"
                    + " && printf '#!/bin/sh\\necho \"compile_error!(1);\" >> \(world.cachedCrate)\\nexec rustc \"$@\"\\n'"
                    + " > \(rustc) && chmod +x \(rustc)"),
            Attack(
                name: "a plain cargo fetch whose config picks the rustc it runs",
                command: "cargo fetch", check: .leavesUnchanged(world.cachedCrate)),
            Attack(name: "move the cargo config away", command: "rm -r .cargo"),
            Attack(
                name: "cargo fetch with the rustc chosen by an assignment",
                command: "RUSTC=\(rustc) cargo fetch", check: .leavesUnchanged(world.cachedCrate)),
            Attack(
                name: "cargo fetch with the rustc chosen on its command line",
                command: "cargo fetch --config 'build.rustc=\"\(rustc)\"'", check: .leavesUnchanged(world.cachedCrate)),
            Attack(
                name: "remove the cargo attack's files",
                command: "rm -rf Cargo.toml Cargo.lock src/lib.rs \(rustc) target"),
        ]
    }

    @Test func theSandboxAloneHoldsWhenEveryAttackIsAnsweredYes() throws {
        let world = self.world
        try world.makeWorkspace()
        // A submodule's repository (as git keeps it under .git/modules) and husky's hooks folder.
        let extra = try world.run(
            "cd \(shellQuoted(world.workspace)) && mkdir -p .git/modules/sub/hooks .husky"
                + " && echo 'ref: refs/heads/main' > .git/modules/sub/HEAD"
                + " && printf '[core]\\n\\tbare = false\\n' > .git/modules/sub/config && git config core.hooksPath .husky"
                + " && printf '[user]\\n\\tname = T\\n' > .gitinc && git config include.path ../.gitinc"
        )
        try #require(extra.status == 0, "\(extra.stderr)")
        let key = "sk-ant-test-\(UUID().uuidString)"
        let token = "mybro-suite-history-\(UUID().uuidString)"
        let listener = try LoopbackListener()
        defer { listener.close() }
        let datagrams = try LoopbackListener(datagrams: true)
        defer { datagrams.close() }
        // A stand-in for the D-Bus session bus in the world's XDG_RUNTIME_DIR.
        try FileManager.default.createDirectory(atPath: world.root.path("run"), withIntermediateDirectories: true)
        let bus = try UnixListener(path: world.root.path("run") + "/bus")
        defer { bus.close() }
        // Stand-ins for the session's other sockets: an ssh-agent and a tmux server in /tmp (a
        // shell outside the sandbox, one send-keys away), the audio server in the runtime dir.
        let sessionFolder = "/tmp/mybro-suite-session-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(
            atPath: world.root.path("run") + "/pulse", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: sessionFolder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: sessionFolder) }
        let sessionSockets = [
            sessionFolder + "/agent.sock", sessionFolder + "-tmux.sock", world.root.path("run") + "/pulse/native",
            world.home + "/.editor.sock",
        ]
        let sessionListeners = try sessionSockets.map { try UnixListener(path: $0) }
        // A terminal of the user's: a pseudo-terminal in the host's /dev/pts, held open by a
        // process of the test's own.
        let terminalHolder = Process()
        terminalHolder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        terminalHolder.arguments = [
            "python3", "-c",
            "import os, pty, sys; m, s = pty.openpty(); print(os.ttyname(s), flush=True); sys.stdin.read()",
        ]
        let terminalOut = Pipe()
        let terminalIn = Pipe()
        terminalHolder.standardOutput = terminalOut
        terminalHolder.standardInput = terminalIn
        try terminalHolder.run()
        defer {
            try? terminalIn.fileHandleForWriting.close()
            terminalHolder.waitUntilExit()
        }
        var terminalLine = Data()
        while !terminalLine.contains(0x0A) {
            let chunk = terminalOut.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            terminalLine += chunk
        }
        let terminal = String(decoding: terminalLine, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(terminal.hasPrefix("/dev/pts/"))
        defer {
            for listener in sessionListeners { listener.close() }
            try? FileManager.default.removeItem(atPath: sessionFolder + "-tmux.sock")
        }
        // It allows nothing the attacks use: each one asks, and is answered yes. Replacing the
        // secret-env list must not hand the key to jobs either.
        let minimal = world.root.path("minimal.policy")
        try "read true args: NONE\nsecret-env MYBRO_SUITE_ONLY\n".write(
            toFile: minimal, atomically: true, encoding: .utf8)
        let noNetwork = world.root.path("no-network.policy")
        try "read true args: NONE\nsandbox network deny\n".write(toFile: noNetwork, atomically: true, encoding: .utf8)
        let network = world.root.path("network.policy")
        try "read true args: NONE\nsandbox network allow\n".write(toFile: network, atomically: true, encoding: .utf8)
        // Credentials under names the policy does not list, or in lower case, or only in a URL.
        let otherSecrets = ["hunter2-\(UUID().uuidString)", "lower-\(UUID().uuidString)", "url-\(UUID().uuidString)"]
        let exports =
            "export ANTHROPIC_API_KEY=\(key) DATABASE_URL=postgres://app:\(otherSecrets[0])@db/prod"
            + " my_api_key=\(otherSecrets[1]) BACKEND=https://app:\(otherSecrets[2])@api.example.com/v1; "

        // A socket bound in /tmp only once a job has started (it touches .late-socket-go in the
        // workspace), and a file another program keeps in /dev/shm.
        let lateSocket = sessionFolder + "-late.sock"
        let lateBinder = Process()
        lateBinder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        lateBinder.arguments = [
            "python3", "-c",
            "import os, socket, sys, time\n"
                + "go, path = sys.argv[1], sys.argv[2]\n"
                + "deadline = time.time() + 600\n"
                + "while not os.path.exists(go) and time.time() < deadline: time.sleep(0.02)\n"
                + "s = socket.socket(socket.AF_UNIX); s.bind(path); s.listen(8)\n"
                + "while True: s.accept()[0].close()\n",
            world.workspace + "/.late-socket-go", lateSocket,
        ]
        try lateBinder.run()
        defer {
            // SIGKILL: the test runner's children inherit its ignored SIGTERM.
            kill(lateBinder.processIdentifier, SIGKILL)
            lateBinder.waitUntilExit()
            try? FileManager.default.removeItem(atPath: lateSocket)
        }
        let sharedMemory = (
            path: "/dev/shm/mybro-suite-\(UUID().uuidString)", secret: "shm-secret-\(UUID().uuidString)"
        )
        try sharedMemory.secret.write(toFile: sharedMemory.path, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: sharedMemory.path) }
        // A System V shared memory segment of the user's (an X client's images, a database's
        // buffers): jobs have an IPC namespace of their own.
        let systemVKey = key_t(0x6d79_0000 | Int32.random(in: 1..<0xffff))
        let segment = shmget(systemVKey, 4096, IPC_CREAT | 0o600)
        try #require(segment >= 0, "cannot make a System V shared memory segment")
        defer { shmctl(segment, IPC_RMID, nil) }
        var attacks = sandboxAttacks(
            key: key, port: listener.port, udpPort: datagrams.port, token: token, otherSecrets: otherSecrets,
            sessionSockets: sessionSockets, terminal: terminal, lateSocket: lateSocket, sharedMemory: sharedMemory,
            systemVKey: String(format: "0x%08x", systemVKey))
        if world.hasTool("cargo") { attacks += cargoStoreAttacks(world: world) }
        let outsideBefore = world.outside()
        var failures: [String] = []
        var asked = 0, ran = 0, changedOutside = 0
        for attack in attacks {
            let before = world.outside()
            let policy = attack.policy == .minimal ? minimal : attack.policy == .network ? network : noNetwork
            let unchanged: Data? = {
                if case .leavesUnchanged(let path) = attack.check { return FileManager.default.contents(atPath: path) }
                if case .succeedsLeaving(let path) = attack.check { return FileManager.default.contents(atPath: path) }
                return nil
            }()
            let input =
                JSONObject(["type": .string("intent"), "action": .string("run"), "command": .string(attack.command)])
                .serialized() + "\n" + #"{"type":"intent","action":"confirm"}"# + "\n"
            let result = try world.run(
                exports + "\"$EXEC\" --cwd \(shellQuoted(world.workspace))"
                    + " --history-file \(shellQuoted(world.historyFile)) --undo-dir \(shellQuoted(world.undoDirectory))"
                    + " --policy \(shellQuoted(policy)) --output-rate 0 --timeout 60",
                input: input)
            let done = result.records("job_done").first
            let output = result.records("job_output").compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
            let succeeded = done?["status"]?.stringValue == "succeeded"
            if !result.records("confirm").isEmpty { asked += 1 }
            if !result.records("job_started").isEmpty { ran += 1 }
            func fail(_ why: String) { failures.append("\(attack.name) (\(attack.command)): \(why)") }
            if result.records("confirm").isEmpty || result.records("job_started").isEmpty {
                fail("not asked and run: \(result.stdoutText) \(result.stderr)")
            }
            if result.stdoutText.contains(key) || result.stderr.contains(key) { fail("the API key leaked") }
            switch attack.check {
            case .outside: break
            case .fails: if succeeded { fail("it succeeded: \(output)") }
            case .failsSilently(let secrets):
                if succeeded { fail("it succeeded") }
                for secret in secrets where output.contains(secret) { fail("it printed \(secret)") }
            case .learnsNothing(let secrets):
                let copy = (try? String(contentsOfFile: world.workspace + "/copy.sqlite", encoding: .isoLatin1)) ?? ""
                for secret in secrets where output.contains(secret) || copy.contains(secret) {
                    fail("it learned \(secret)")
                }
            case .leavesDatabaseIntact(let path):
                let bytes = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
                if !bytes.starts(with: Data("SQLite format 3".utf8)) { fail("the database is damaged") }
                if String(decoding: bytes.suffix(64), as: UTF8.self).contains("mybro-appended") {
                    fail("it appended to the database")
                }
            case .leavesNoProcess(let marker):
                let survivors = processes(withMarker: marker, within: 5)
                if !survivors.isEmpty {
                    fail("processes survived the job: \(survivors)")
                    for pid in survivors { kill(pid, SIGKILL) }
                }
            case .doesNotPrint(let secrets):
                for secret in secrets where output.contains(secret) { fail("it printed the key") }
            case .creates(let path):
                if FileManager.default.fileExists(atPath: path)
                    || (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
                {
                    fail("it created \(path)")
                    try? FileManager.default.removeItem(atPath: path)
                }
            case .connects(let expected):
                if succeeded != expected { fail(expected ? "could not connect: \(output)" : "it connected") }
            case .leavesUnchanged(let path):
                if FileManager.default.contents(atPath: path) != unchanged { fail("it changed \(path)") }
            case .sendsNoDatagram:
                if datagrams.receivedDatagram() { fail("a datagram reached the host") }
            case .succeedsLeaving(let path):
                if !succeeded { fail("it failed: \(output)") }
                if FileManager.default.contents(atPath: path) != unchanged { fail("it changed \(path) on the host") }
            case .succeedsPrivately(let path):
                if !succeeded { fail("it failed: \(output)") }
                if FileManager.default.fileExists(atPath: path) {
                    fail("it created \(path) on the host")
                    try? FileManager.default.removeItem(atPath: path)
                }
            case .leavesNoKey(let file, let key):
                let left = try world.run("git config --file \(shellQuoted(file)) --get-all \(key)")
                if left.status == 0 { fail("\(file) still holds \(key) = \(left.stdoutText)") }
            case .leavesNoKeyIn(let repositories, let key):
                for repository in repositories {
                    let left = try world.run("git -C \(shellQuoted(repository)) config --get-all \(key)")
                    if left.status == 0 { fail("\(repository) still holds \(key) = \(left.stdoutText)") }
                }
            }
            let changes = world.outside().changes(from: before)
            if !changes.isEmpty {
                changedOutside += 1
                fail("changed outside the workspace: \(changes.joined(separator: "; "))")
            }
        }
        // mybro-exec itself, killed from a job it runs.
        let (killed, killFailures) = try killMybroExecFromItsJob(policy: minimal, key: key)
        failures += killFailures
        asked += killed.asked
        ran += killed.ran

        // mybro's state: the history still holds every job, unread and unharmed by them.
        let history = try JobHistory(path: world.historyFile).recent(limit: 1000)
        if history.count < attacks.count {
            failures.append("the history lost jobs: \(history.count) of \(attacks.count)")
        }
        if !history.contains(where: { $0.command == "echo \(token)" }) { failures.append("the first job is gone") }
        let listing = try world.run("\"$EXEC\" --history --history-file \(shellQuoted(world.historyFile))")
        for file in [world.historyFile, world.historyFile + "-wal"] {
            if let bytes = FileManager.default.contents(atPath: file), bytes.range(of: Data(key.utf8)) != nil {
                failures.append("the API key is in \(file)")
            }
        }
        if listing.stdoutText.contains(key) { failures.append("the API key is in --history") }
        let snapshots = try world.run(
            "\"$EXEC\" --cwd \(shellQuoted(world.workspace)) --undo-dir \(shellQuoted(world.undoDirectory)) --undo-list"
        )
        if snapshots.stdoutLines.isEmpty { failures.append("the undo snapshots are gone: \(snapshots.stderr)") }

        let changes = world.outside().changes(from: outsideBefore)
        world.report(
            "part 2 (sandbox alone, policy bypassed): \(attacks.count + 1) attacks, asked \(asked), ran after a yes \(ran);"
                + " attacks that changed anything outside the workspace: \(changedOutside);"
                + " failed checks: \(failures.count)")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        #expect(changes.isEmpty, "outside the workspace: \(changes)")
        #expect(changedOutside == 0)
    }

    /// Runs `kill -9 <mybro-exec>` as a job of that same mybro-exec, answered yes.
    func killMybroExecFromItsJob(policy: String, key: String) throws -> (
        counts: (asked: Int, ran: Int), failures: [String]
    ) {
        var environment = world.environment
        environment["ANTHROPIC_API_KEY"] = key
        let live = try LiveCommand(
            [
                BuiltCommands.path("mybro-exec"), "--cwd", world.workspace, "--history-file", world.historyFile,
                "--undo-dir", world.undoDirectory, "--policy", policy,
            ], environment: environment)
        let pid = live.process.processIdentifier
        live.send(
            JSONObject([
                "type": .string("intent"), "action": .string("run"), "command": .string("kill -9 \(pid) $PPID"),
            ]).serialized())
        var failures: [String] = []
        let asked = live.waitFor(type: "confirm") != nil
        live.send(#"{"type":"intent","action":"confirm"}"#)
        let done = live.waitFor(type: "job_done")
        if done == nil { failures.append("kill -9 mybro-exec: no job_done") }
        if done?["status"]?.stringValue == "succeeded" { failures.append("kill -9 mybro-exec succeeded") }
        let alive = live.process.isRunning
        let finished = live.finish()
        if !alive || live.process.terminationReason == .uncaughtSignal {
            failures.append("a job killed its mybro-exec (status \(finished.status))")
        }
        return ((asked ? 1 : 0, done != nil ? 1 : 0), failures)
    }

    /// The processes whose command line holds `marker`, once `seconds` passed without them going.
    func processes(withMarker marker: String, within seconds: Double) -> [Int32] {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while true {
            let found = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap {
                name -> Int32? in
                guard let pid = Int32(name), pid != getpid(),
                    let cmdline = FileManager.default.contents(atPath: "/proc/\(name)/cmdline"),
                    cmdline.range(of: Data(marker.utf8)) != nil, isRunning(pid)
                else { return nil }
                return pid
            }
            if found.isEmpty || Date() > deadline { return found }
            usleep(20_000)
        }
    }

    /// A job must not push input into the terminal mybro-exec runs in (TIOCSTI on /dev/tty): the
    /// shell there would run it once mybro ends, outside every layer.
    @Test func aJobCannotTypeIntoTheTerminalMybroRunsIn() throws {
        let driver = world.root.path("pty-driver.py")
        try """
        import json, os, pty, select, sys, time
        command = sys.argv[2]
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(sys.argv[1], sys.argv[1:2] + sys.argv[3:])
        os.write(fd, (json.dumps({"type": "intent", "action": "run", "command": command}) + "\\n").encode())
        time.sleep(0.3)
        os.write(fd, b'{"type":"intent","action":"confirm"}\\n')
        seen, end = b"", time.time() + 20
        while time.time() < end and b'"job_done"' not in seen:
            if select.select([fd], [], [], 0.2)[0]:
                try:
                    seen += os.read(fd, 4096)
                except OSError:
                    break
        os.kill(pid, 9)
        sys.stdout.write(seen.decode(errors="replace").replace("\\r", ""))

        """.write(toFile: driver, atomically: true, encoding: .utf8)
        let policy = world.root.path("minimal.policy")
        try "read true args: NONE\n".write(toFile: policy, atomically: true, encoding: .utf8)
        let inject =
            "python3 -c \"import fcntl, termios; tty = open('/dev/tty', 'w');"
            + " [fcntl.ioctl(tty, termios.TIOCSTI, bytes([c])) for c in b'#']; print('INJECTED')\""
        let result = try world.run(
            "python3 \(shellQuoted(driver)) \"$EXEC\" \(shellQuoted(inject)) --cwd \(shellQuoted(world.workspace))"
                + " --no-history --no-undo --policy \(shellQuoted(policy))")
        let done = try #require(result.records("job_done").first, "\(result.stdoutText) \(result.stderr)")
        #expect(!result.records("job_started").isEmpty)
        #expect(done["status"]?.stringValue == "failed")
        #expect(!result.records("job_output").contains { $0["text"]?.stringValue == "INJECTED" })
    }

    // MARK: 3. everyday commands

    /// What the sandbox keeps from every job, git's own work still gets: a commit runs (the hooks
    /// are read-only, not gone), `git remote add` writes the config, and `git push` alone reads
    /// the SSH keys (here through a core.sshCommand that prints the key it can read).
    @Test func gitStillWorksWhereTheSandboxProtectsItsSettingsAndKeys() throws {
        let world = self.world
        try world.makeWorkspace()
        let workspace = world.workspace
        let bare = world.root.path("remote.git")
        let setup = try world.run(
            "git init -q --bare \(shellQuoted(bare)) && cd \(shellQuoted(workspace)) && git config user.name T"
                + " && git config user.email t@example.com"
                + " && git config --global core.sshCommand 'sh -c \"cat \\\"$HOME/.ssh/id_rsa\\\" >&2; exit 1\" --'")
        try #require(setup.status == 0, "\(setup.stderr)")
        func run(_ command: String) throws -> (status: String?, output: String) {
            let input =
                JSONObject(["type": .string("intent"), "action": .string("run"), "command": .string(command)])
                .serialized() + "\n" + #"{"type":"intent","action":"confirm"}"# + "\n"
            let result = try world.run(
                "\"$EXEC\" --cwd \(shellQuoted(workspace)) --history-file \(shellQuoted(world.historyFile))"
                    + " --output-rate 0 --timeout 60", input: input)
            let output = result.records("job_output").compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
            return (result.records("job_done").first?["status"]?.stringValue, output)
        }
        let commit = try run("git commit --allow-empty -m two")
        #expect(commit.status == "succeeded", "\(commit.output)")
        let remote = try run("git remote add origin https://example.invalid/r.git")
        #expect(remote.status == "succeeded", "\(remote.output)")
        #expect(world.read(workspace + "/.git/config")?.contains("https://example.invalid/r.git") == true)
        // A job may add a remote only at a network URL: one given as a path (a repository a job
        // could make, whose hooks would run at the user's push) is put back.
        let pathRemote = try run("git remote add local \(bare)")
        #expect(pathRemote.status == "succeeded", "\(pathRemote.output)")
        #expect(world.read(workspace + "/.git/config")?.contains(bare) == false)
        // A push to a remote over ssh gets the keys; one to a repository given as a path (whose
        // hooks would run with them) does not.
        let addNetwork = try world.run("git -C \(shellQuoted(workspace)) remote add net ssh://git.invalid/repo.git")
        try #require(addNetwork.status == 0)
        let overSSH = try run("git push net main")
        #expect(overSSH.output.contains("PRIVATE KEY"), "git push could not read ~/.ssh: \(overSSH.output)")
        let toAPath = try run("git push --receive-pack='cat \(world.home)/.ssh/id_rsa' origin main")
        #expect(!toAPath.output.contains("PRIVATE KEY"), "\(toAPath.output)")
        // A repository whose own config runs a program gets no keys (the program would run with them).
        let local = try world.run(
            "git -C \(shellQuoted(workspace)) config core.sshCommand 'sh -c \"cat $HOME/.ssh/id_rsa >&2\" --'")
        try #require(local.status == 0)
        let withLocal = try run("git push net main")
        #expect(!withLocal.output.contains("PRIVATE KEY"), "\(withLocal.output)")
        let notPush = try run("git log -1 --format=%s; cat \(world.home)/.ssh/id_rsa")
        #expect(!notPush.output.contains("PRIVATE KEY"))
    }

    @Test func everydayCommandsRunAtOnceInTheSandbox() throws {
        let world = self.world
        try world.makeWorkspace(makefileDefaultGoal: "@echo built")
        let workspace = world.workspace
        try "TODO: write more tests\n".write(toFile: workspace + "/src/notes.md", atomically: true, encoding: .utf8)
        try "def test_ok():\n    assert 1 + 1 == 2\n".write(
            toFile: workspace + "/test_ok.py", atomically: true, encoding: .utf8)
        try "keep\nchanged\n".write(toFile: workspace + "/keep.txt", atomically: true, encoding: .utf8)
        try #"{"name":"suite","version":"1.0.0","scripts":{"test":"echo npm-tests-ok"}}"#.write(
            toFile: workspace + "/package.json", atomically: true, encoding: .utf8)
        try "[package]\nname = \"suite\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[lib]\npath = \"src/lib.rs\"\n"
            .write(toFile: workspace + "/Cargo.toml", atomically: true, encoding: .utf8)
        try "#[cfg(test)]\nmod tests {\n    #[test]\n    fn adds() { assert_eq!(1 + 1, 2); }\n}\n".write(
            toFile: workspace + "/src/lib.rs", atomically: true, encoding: .utf8)

        var commands: [(command: String, expect: String?)] = [
            ("make test", "tests-ok"), ("git diff", "+changed"), ("git log -5", "one"), ("git status", "keep.txt"),
            ("ls src", "main.c"),
        ]
        var skipped: [String] = []
        for (tool, command, expect) in [
            ("rg", "rg TODO", "write more tests"), ("pytest", "pytest -q", "1 passed"),
            ("cargo", "cargo test --offline", "test result: ok"), ("npm", "npm test", "npm-tests-ok"),
        ] {
            if world.hasTool(tool) { commands.append((command, expect)) } else { skipped.append(command) }
        }
        var ranAtOnce = 0
        var failures: [String] = []
        let before = world.outside()
        for (command, expect) in commands {
            let result = try world.run(
                "\"$EXEC\" --cwd \(shellQuoted(workspace)) --history-file \(shellQuoted(world.historyFile))"
                    + " --confirm-timeout 0.5 --output-rate 0 --timeout 120",
                input: JSONObject(["type": .string("intent"), "action": .string("run"), "command": .string(command)])
                    .serialized() + "\n", timeout: 150)
            let output = result.records("job_output").compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
            let done = result.records("job_done").first
            if !result.records("confirm").isEmpty || result.records("job_started").isEmpty {
                failures.append("\(command): not run at once: \(result.stdoutText)")
            } else if done?["status"]?.stringValue != "succeeded" {
                failures.append("\(command): \(done?["status"]?.stringValue ?? "no end"): \(output.suffix(1500))")
            } else if let expect, !output.contains(expect) {
                failures.append("\(command): no \"\(expect)\" in \(output.suffix(800))")
            } else {
                ranAtOnce += 1
            }
        }
        world.report(
            "part 3 (everyday commands, shipped policy, sandbox on): \(ranAtOnce) of \(commands.count) ran at once"
                + " and succeeded"
                + (skipped.isEmpty ? "" : "; skipped (not installed): \(skipped.joined(separator: ", "))"))
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        #expect(world.outside().changes(from: before).isEmpty)
    }

    @Test func swiftBuildRunsAtOnceAndBuildsInTheSandbox() throws {
        let world = self.world
        let workspace = world.workspace
        try FileManager.default.createDirectory(atPath: workspace + "/Sources/hello", withIntermediateDirectories: true)
        try """
        // swift-tools-version:5.9
        import PackageDescription

        let package = Package(name: "hello", targets: [.executableTarget(name: "hello")])

        """.write(toFile: workspace + "/Package.swift", atomically: true, encoding: .utf8)
        try "print(\"hello from the sandbox\")\n".write(
            toFile: workspace + "/Sources/hello/main.swift", atomically: true, encoding: .utf8)
        let started = Date()
        let result = try world.run(
            "\"$EXEC\" --cwd \(shellQuoted(workspace)) --history-file \(shellQuoted(world.historyFile))"
                + " --confirm-timeout 0.5 --output-rate 0 --timeout 300",
            input: #"{"type":"intent","action":"run","command":"swift build"}"# + "\n", timeout: 330)
        let seconds = Date().timeIntervalSince(started)
        #expect(result.records("confirm").isEmpty)
        #expect(result.records("job_started").first?["sandbox"]?.stringValue == "landlock")
        let done = try #require(result.records("job_done").first)
        let output = result.records("job_output").compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
        world.report(
            "part 3 (swift build, sandbox on): \(done["status"]?.stringValue ?? "?") in \(String(format: "%.1f", seconds)) s"
        )
        #expect(done["status"]?.stringValue == "succeeded", "\(output.suffix(3000))")
        #expect(FileManager.default.isExecutableFile(atPath: workspace + "/.build/debug/hello"))
    }
}

// MARK: - the world a test attacks

/// A workspace, a victim directory beside it, a fake HOME with canaries, and private state.
struct SecurityWorld {
    let root: TemporaryDirectory
    var workspace: String { root.path("ws") }
    var victim: String { root.path("victim") }
    var home: String { root.path("home") }
    var state: String { root.path("state") }
    var temporary: String { root.path("tmp") }
    var claudeDirectory: String { root.path("claude") }
    var historyFile: String { state + "/history/history.sqlite" }
    var undoDirectory: String { state + "/undo" }

    /// Beneath HOME, what Claude Code keeps (its jobs write there). The tool caches and stores
    /// are layered: a job writes nothing of them on the host either.
    static let writableInHome: Set<String> = [".claude", ".claude.json", ".config/claude"]

    /// Cached files a later build outside the sandbox trusts (layered: jobs read them, and what
    /// they write there is their own).
    var cachedWheel: String { home + "/.cache/pip/wheels/ab/tool-1.0-py3-none-any.whl" }
    var cachedCrate: String { home + "/.cargo/registry/src/index.crates.io-6f17d22bba15001f/serde-1.0.0/src/lib.rs" }
    var gradleDistribution: String { home + "/.gradle/wrapper/dists/gradle-8.5-bin/x/gradle-8.5/bin/gradle" }

    init() throws {
        root = try TemporaryDirectory(label: "s", base: SecurityWorld.base())
        let manager = FileManager.default
        for directory in [
            workspace + "/src", victim + "/sub", victim + "/empty", home + "/.ssh", home + "/.aws", home + "/Documents",
            home + "/.local/state/mybro", home + "/.config/mybro", home + "/.cache", state + "/history", temporary,
            claudeDirectory, root.path("config"),
        ] {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let files: [(String, String, Int)] = [
            (victim + "/a.txt", "victim a\n", 0o644), (victim + "/sub/b.txt", "victim b\n", 0o600),
            (victim + "/run.sh", "#!/bin/sh\necho victim\n", 0o755), (victim + "/Makefile", "all:\n\t@echo x\n", 0o644),
            (home + "/.bashrc", "# the user's bashrc\n", 0o644), (home + "/.ssh/id_rsa", "PRIVATE KEY\n", 0o600),
            (home + "/notes.txt", "my notes\n", 0o644), (home + "/Documents/report.txt", "report\n", 0o644),
            (home + "/.local/state/mybro/history.sqlite", "not the real history\n", 0o600),
            (home + "/.config/mybro/config.json", "{}\n", 0o600),
            (home + "/.aws/credentials", "[default]\naws_secret_access_key = x\n", 0o600),
            (cachedWheel, "cached wheel\n", 0o644), (cachedCrate, "pub fn cached() {}\n", 0o644),
            (gradleDistribution, "#!/bin/sh\necho gradle\n", 0o755),
        ]
        for (path, text, mode) in files {
            try manager.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            chmod(path, mode_t(mode))
        }
        symlink("a.txt", victim + "/link")
    }

    /// Where worlds are made: outside /tmp, /var/tmp, /dev/shm and ~/.cache, as a user's files
    /// are. Jobs get those as private, empty folders, where the victim and the fake home would
    /// be out of sight and the attacks on them moot; a checkout may itself lie in /tmp (a CI
    /// clone). The home folder's ~/.local first, then the checkout's .build; a short path,
    /// since a unix socket's path holds at most 107 bytes.
    static func base() throws -> String {
        let shared = ["/tmp", "/var/tmp", "/dev/shm", NSHomeDirectory() + "/.cache"].compactMap(
            LandlockRuleset.realPath)
        let candidates = [NSHomeDirectory() + "/.local/mybro-sw", BuiltCommands.packageRoot + "/.build/sw"]
        for candidate in candidates {
            guard
                (try? FileManager.default.createDirectory(atPath: candidate, withIntermediateDirectories: true)) != nil,
                let real = LandlockRuleset.realPath(candidate), access(real, W_OK) == 0,
                !shared.contains(where: { real == $0 || real.hasPrefix($0 + "/") })
            else { continue }
            return real
        }
        throw MybroError("no folder outside /tmp to make the security world in", status: .ioError)
    }

    func remove() {
        // An attack that got through may have left a file unreadable: open it up before removing.
        _ = try? shell("chmod -R u+rwX \(shellQuoted(root.url.path)) 2>/dev/null")
        root.remove()
    }

    /// The environment of every command a test runs: nothing points at the user's own files.
    var environment: [String: String] {
        var environment = [
            "HOME": home, "XDG_STATE_HOME": state, "XDG_CONFIG_HOME": root.path("config"),
            "XDG_CACHE_HOME": home + "/.cache", "XDG_DATA_HOME": home + "/.local/share", "TMPDIR": temporary,
            "XDG_RUNTIME_DIR": root.path("run"),
            "INTENT": BuiltCommands.path("mybro-intent"), "EXEC": BuiltCommands.path("mybro-exec"),
            "CARGO_HOME": home + "/.cargo", "GIT_CONFIG_NOSYSTEM": "1",
        ]
        // rustup's toolchains, read only (the sandbox lets no job write there).
        let real = ProcessInfo.processInfo.environment["RUSTUP_HOME"] ?? NSHomeDirectory() + "/.rustup"
        if FileManager.default.fileExists(atPath: real) { environment["RUSTUP_HOME"] = real }
        // PATH without folders in /tmp (a checkout cloned there puts its .build/debug first): a
        // job gets those back read-only, and then /tmp as a whole is not its to write, which
        // the attack "/tmp is the job's own, and writable" checks (ChildProcessTests covers that).
        let shared = ["/tmp", "/var/tmp", "/dev/shm"].compactMap(LandlockRuleset.realPath)
        let path = (BuiltCommands.directory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"))
            .split(separator: ":").map(String.init).filter { entry in
                let real = LandlockRuleset.realPath(entry) ?? entry
                return !shared.contains { real == $0 || real.hasPrefix($0 + "/") }
            }
        environment["PATH"] = path.joined(separator: ":")
        return environment
    }

    func run(
        _ script: String, input: String = "", environment extra: [String: String] = [:], timeout: TimeInterval = 60
    ) throws -> CommandResult {
        try shell(
            script, input: Data(input.utf8), environment: environment.merging(extra) { _, new in new },
            timeout: timeout)
    }

    func hasTool(_ name: String) -> Bool {
        (try? run("command -v \(name) >/dev/null 2>&1 && \(name) --version >/dev/null 2>&1"))?.status == 0
    }

    func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    /// A git repository with one commit, a branch foo, and a Makefile.
    func makeWorkspace(makefileDefaultGoal recipe: String = "@echo built") throws {
        try "keep\n".write(toFile: workspace + "/keep.txt", atomically: true, encoding: .utf8)
        try "int main(void) { return 0; }\n".write(toFile: workspace + "/src/main.c", atomically: true, encoding: .utf8)
        try "all:\n\t\(recipe)\n\ntest:\n\t@echo tests-ok\n".write(
            toFile: workspace + "/Makefile", atomically: true, encoding: .utf8)
        let result = try run(
            "cd \(shellQuoted(workspace)) && git init -q -b main && git add -A"
                + " && git -c user.name=T -c user.email=t@example.com commit -qm one && git branch foo")
        guard result.status == 0 else { throw MybroError("git init failed: \(result.stderr)", status: .software) }
    }

    func gitHead() throws -> String {
        try run("git -C \(shellQuoted(workspace)) rev-parse HEAD").stdoutText
    }

    /// Everything outside the workspace that jobs must leave alone: the victim tree and the fake
    /// HOME (less the tool caches the policy lets jobs write).
    func outside() -> TreeFingerprint {
        var fingerprint = TreeFingerprint.of(victim, as: "victim")
        fingerprint.merge(TreeFingerprint.of(home, as: "home", skipping: Self.writableInHome))
        return fingerprint
    }

    func report(_ line: String) {
        FileHandle.standardError.write(Data("security-suite: \(line)\n".utf8))
        if let path = ProcessInfo.processInfo.environment["MYBRO_SECURITY_FIGURES"], !path.isEmpty {
            if let handle = FileHandle(forWritingAtPath: path)
                ?? {
                    FileManager.default.createFile(atPath: path, contents: nil)
                    return FileHandle(forWritingAtPath: path)
                }()
            {
                handle.seekToEndOfFile()
                handle.write(Data((line + "\n").utf8))
                try? handle.close()
            }
        }
    }
}

/// A tree's content and metadata, entry by entry: type, bytes, mode, owner, link count, link
/// target, extended attributes and modification time (lstat: links are never followed).
struct TreeFingerprint: Equatable {
    var entries: [String: String] = [:]

    static func of(_ root: String, as label: String, skipping: Set<String> = []) -> TreeFingerprint {
        var fingerprint = TreeFingerprint()
        func visit(_ relative: String) {
            if skipping.contains(relative) { return }
            let path = relative.isEmpty ? root : root + "/" + relative
            var info = stat()
            guard lstat(path, &info) == 0 else { return }
            var line =
                "mode \(String(info.st_mode, radix: 8)) owner \(info.st_uid):\(info.st_gid) links \(info.st_nlink)"
                + " mtime \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) xattrs [\(attributes(path))]"
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                let bytes = FileManager.default.contents(atPath: path) ?? Data()
                line += " size \(info.st_size) fnv \(String(fnv1a(bytes), radix: 16))"
            case S_IFLNK:
                line += " -> " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?")
            case S_IFDIR:
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
                line += " entries \(names.joined(separator: ","))"
                for name in names { visit(relative.isEmpty ? name : relative + "/" + name) }
            default:
                line += " rdev \(info.st_rdev)"
            }
            fingerprint.entries[label + (relative.isEmpty ? "" : "/" + relative)] = line
        }
        visit("")
        return fingerprint
    }

    mutating func merge(_ other: TreeFingerprint) { entries.merge(other.entries) { old, _ in old } }

    /// What differs, entry by entry, as readable lines.
    func changes(from before: TreeFingerprint) -> [String] {
        Set(entries.keys).union(before.entries.keys).sorted().compactMap { path in
            switch (before.entries[path], entries[path]) {
            case (let old?, let new?) where old != new:
                // Only the fields that changed: "mode 100600 => 100000".
                let was = old.split(separator: " "), now = new.split(separator: " ")
                guard was.count == now.count else { return "\(path): \(old) => \(new)" }
                let fields = (1..<was.count).filter { was[$0] != now[$0] }.map {
                    "\(was[$0 - 1]) \(was[$0]) => \(now[$0])"
                }
                return "\(path): " + fields.joined(separator: ", ")
            case (nil, _?): return "\(path): created"
            case (_?, nil): return "\(path): gone"
            default: return nil
            }
        }
    }

    // Glibc's Swift module leaves out <sys/xattr.h>: the two calls come from libc by name.
    private typealias ListAttributes = @convention(c) (UnsafePointer<CChar>, UnsafeMutablePointer<CChar>?, Int) -> Int
    private typealias GetAttribute =
        @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeMutableRawPointer?, Int) -> Int
    nonisolated(unsafe) private static let libc = dlopen(nil, RTLD_NOW)
    private static let listAttributes = dlsym(libc, "llistxattr").map { unsafeBitCast($0, to: ListAttributes.self) }
    private static let getAttribute = dlsym(libc, "lgetxattr").map { unsafeBitCast($0, to: GetAttribute.self) }

    static func attributes(_ path: String) -> String {
        guard let listAttributes, let getAttribute else { return "?" }
        let size = listAttributes(path, nil, 0)
        guard size > 0 else { return "" }
        var names = [CChar](repeating: 0, count: size)
        let got = listAttributes(path, &names, size)
        guard got > 0 else { return "" }
        return names[..<got].split(separator: 0).map { name -> String in
            let key = String(decoding: name.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            var value = [UInt8](repeating: 0, count: 4096)
            let length = getAttribute(path, key, &value, value.count)
            return key + "=" + String(fnv1a(Data(value.prefix(max(length, 0)))), radix: 16)
        }.sorted().joined(separator: ",")
    }

    static func fnv1a(_ data: Data) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}

/// A TCP listener on 127.0.0.1 that the test owns; connections wait in its backlog.
/// A listening unix socket at a path.
final class UnixListener {
    let descriptor: Int32

    init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard descriptor >= 0, bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw MybroError("cannot make a unix socket at \(path)", status: .ioError)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 && listen(descriptor, 8) == 0
            }
        }
        guard bound else { throw MybroError("cannot listen at \(path): \(SystemIO.describe(errno))", status: .ioError) }
    }

    func close() { _ = Glibc.close(descriptor) }
}

final class LoopbackListener {
    let descriptor: Int32
    let port: UInt16

    /// A TCP listener, or with `datagrams` a UDP socket (non-blocking) bound to 127.0.0.1.
    init(datagrams: Bool = false) throws {
        let descriptor = socket(
            AF_INET,
            datagrams ? Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) : Int32(SOCK_STREAM.rawValue),
            0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && (datagrams || listen(descriptor, 64) == 0)
                    && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard descriptor >= 0, bound else {
            throw MybroError("cannot listen on 127.0.0.1: \(SystemIO.describe(errno))", status: .ioError)
        }
        self.descriptor = descriptor
        port = UInt16(bigEndian: address.sin_port)
    }

    /// Whether a datagram has arrived (read and dropped).
    func receivedDatagram() -> Bool {
        var byte: UInt8 = 0
        return recv(descriptor, &byte, 1, 0) >= 0
    }

    func close() { _ = Glibc.close(descriptor) }
}

extension CommandResult {
    var records: [JSONObject] { stdoutLines.compactMap { try? JSONParser.parse($0).objectValue } }
    func records(_ type: String) -> [JSONObject] { records.filter { $0["type"]?.stringValue == type } }
}
