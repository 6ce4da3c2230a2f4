import Foundation
import MybroCore
import MybroRules

/// The git modes: the index (--staged, for pre-commit hooks) and every commit (--history).
extension Doctor {
    /// Scans the staged version of each added, copied, modified or renamed file.
    public static func scanStaged(_ configuration: DoctorConfiguration, at directory: String) throws(MybroError)
        -> DoctorReport
    {
        let root = try Git.topLevel(directory)
        let names = try Git.run(
            ["diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", "--no-renames"], in: root)
        var scanner = ContentScanner(rules: configuration.rules)
        scanner.categories = [.secret, .security, .policy]
        var report = DoctorReport()
        var todos = 0
        for name in names.split(separator: "\0").map(String.init) {
            let data = try Git.runData(["show", ":\(name)"], in: root)
            if data.count > configuration.maxFileBytes { continue }
            let isBinary = data.prefix(8192).contains(0)
            if isBinary {
                report.skippedBinary += 1
                continue
            }
            report.filesScanned += 1
            report.bytesScanned += data.count
            data.withUnsafeBytes { raw in
                todos += scanner.scan(path: name, bytes: raw.bindMemory(to: UInt8.self), into: &report.findings)
            }
            if ContextDetectors.isEnvFile(name.split(separator: "/").last ?? "") {
                report.findings.append(
                    Finding(
                        check: CheckCatalog.committedEnv, file: name, line: nil, message: "\(name) is being committed",
                        evidence: name))
            }
        }
        report.finish(baseline: configuration.baseline)
        return report
    }

    /// Secrets added by any commit reachable from any ref, reported with the commit, the file
    /// and the line in that commit's version of the file. `git log -p` is read as a stream.
    public static func scanHistory(_ configuration: DoctorConfiguration, at directory: String) throws(MybroError)
        -> DoctorReport
    {
        let root = try Git.topLevel(directory)
        var options = ChildProcess.Options()
        options.directory = root
        options.environment = Git.environment
        options.stdout = .pipe
        options.stderr = .null
        let process: ChildProcess
        do {
            process = try ChildProcess(
                arguments: [
                    "git", "log", "-p", "--all", "-U0", "--no-color", "--no-ext-diff", "--no-renames",
                    "--format=commit %H",
                    "--diff-filter=AM", "--text",
                ], options: options)
        } catch let error as MybroError {
            throw error
        } catch {
            throw MybroError("cannot run git log: \(error)", status: .unavailable)
        }
        var collector = HistoryCollector(rules: configuration.rules, report: DoctorReport())
        let reader = LineReader(fd: process.stdoutFD!, maximumLineBytes: 1 << 20)
        do {
            while let line = try reader.next() {
                if case .line(let bytes, _) = line { collector.consume(bytes) }
            }
        } catch {
            process.signalGroup(SIGKILL)
            throw MybroError("cannot read git log: \(error)", status: .ioError)
        }
        close(process.stdoutFD!)
        collector.flush()
        let status = process.waitForExit()
        guard status == 0 else {
            throw MybroError("git log failed with status \(status ?? -1) in \(root)", status: .unavailable)
        }
        var report = collector.report
        // One finding per secret: the earliest commit that added it (git log lists newest first).
        var seen: Set<String> = []
        var unique: [Finding] = []
        for finding in report.findings.reversed() where seen.insert(finding.fingerprint).inserted {
            unique.append(finding)
        }
        report.findings = unique
        report.finish(baseline: configuration.baseline)
        return report
    }
}

/// Gathers the added lines of each file in each commit and scans them for secrets.
struct HistoryCollector {
    let scanner: ContentScanner
    var report: DoctorReport
    private var commit = ""
    private var file: String?
    private var buffer: [UInt8] = []
    private var lineNumbers: [Int] = []
    private var nextLine = 0

    init(rules: TechnologyRuleSet, report: DoctorReport) {
        var scanner = ContentScanner(rules: rules)
        scanner.categories = [.secret]
        self.scanner = scanner
        self.report = report
    }

    mutating func consume(_ line: ArraySlice<UInt8>) {
        if line.starts(with: "commit ".utf8) {
            flush()
            commit = String(decoding: line.dropFirst(7), as: UTF8.self)
        } else if line.starts(with: "+++ ".utf8) {
            flush()
            let path = line.dropFirst(4)
            file = path.starts(with: "b/".utf8) ? String(decoding: path.dropFirst(2), as: UTF8.self) : nil
        } else if line.starts(with: "@@ ".utf8) {
            // @@ -a,b +c,d @@: added lines start at c.
            let text = String(decoding: line, as: UTF8.self)
            if let plus = text.split(separator: " ").first(where: { $0.hasPrefix("+") }) {
                nextLine = Int(plus.dropFirst().split(separator: ",").first ?? "") ?? 0
            }
        } else if file != nil, line.first == 0x2B {
            buffer.append(contentsOf: line.dropFirst())
            buffer.append(0x0A)
            lineNumbers.append(nextLine)
            nextLine += 1
        }
    }

    mutating func flush() {
        defer {
            buffer.removeAll(keepingCapacity: true)
            lineNumbers.removeAll(keepingCapacity: true)
        }
        guard let file, !buffer.isEmpty, !buffer.prefix(8192).contains(0) else { return }
        var found: [Finding] = []
        report.filesScanned += 1
        report.bytesScanned += buffer.count
        _ = buffer.withUnsafeBufferPointer { scanner.scan(path: file, bytes: $0, into: &found) }
        for var finding in found {
            // Lines of the buffer map back to lines of the file in that commit.
            if let line = finding.line, line - 1 < lineNumbers.count {
                let span = (finding.endLine ?? line) - line
                finding.line = lineNumbers[line - 1]
                finding.endLine = lineNumbers[line - 1] + span
            }
            finding.commit = commit
            report.findings.append(finding)
        }
    }
}
