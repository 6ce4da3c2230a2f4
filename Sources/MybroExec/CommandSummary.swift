import Foundation
import MybroCore

/// Watches a shell job's output for test-runner totals and turns the outcome into one short
/// spoken sentence ("tests passed, 42 of 42").
struct CommandSummary {
    private var swiftTesting: (total: Int, failed: Int?)?
    private var xctest: (total: Int, failed: Int)?
    private var pytest: (passed: Int, failed: Int)?
    private var cargo = (passed: 0, failed: 0, seen: false)
    private var jest: (passed: Int, total: Int)?
    /// Python's unittest: "Ran N tests in …", then "OK" or "FAILED (failures=F, errors=E)".
    private var unittest: (total: Int, failed: Int?)?
    private var firstError: String?
    private var lastLine: String?
    private var lineCount = 0
    /// mybro-doctor's findings, when the job is the codebase doctor.
    private var doctor = DoctorSummary()

    mutating func observe(_ line: String) {
        lineCount += 1
        doctor.observe(line)
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty { lastLine = trimmed }
        if firstError == nil, trimmed.contains("error:") || trimmed.hasPrefix("error") { firstError = trimmed }
        if let groups = Self.match(Patterns.swiftTestingPassed, line) {
            swiftTesting = (Int(groups[0]) ?? 0, 0)
        } else if let groups = Self.match(Patterns.swiftTestingFailed, line) {
            let issues = Self.match(Patterns.issues, line).flatMap { Int($0[0]) }
            swiftTesting = (Int(groups[0]) ?? 0, issues)
        }
        if let groups = Self.match(Patterns.xctest, line) {
            xctest = (Int(groups[0]) ?? 0, Int(groups[1]) ?? 0)
        }
        if line.contains(" in "), line.contains("passed") || line.contains("failed"),
            line.hasPrefix("=") || line.hasPrefix("FAILED") || Self.match(Patterns.pytestStart, line) != nil
        {
            let passed = Self.match(Patterns.passed, line).flatMap { Int($0[0]) } ?? 0
            let failed =
                (Self.match(Patterns.failed, line).flatMap { Int($0[0]) } ?? 0)
                + (Self.match(Patterns.errors, line).flatMap { Int($0[0]) } ?? 0)
            pytest = (passed, failed)
        }
        if let groups = Self.match(Patterns.cargo, line) {
            cargo.passed += Int(groups[0]) ?? 0
            cargo.failed += Int(groups[1]) ?? 0
            cargo.seen = true
        }
        if let groups = Self.match(Patterns.unittestRan, line) {
            unittest = (Int(groups[0]) ?? 0, nil)
        } else if let run = unittest, run.failed == nil {
            if trimmed == "OK" || trimmed.hasPrefix("OK (") {
                unittest = (run.total, 0)
            } else if trimmed.hasPrefix("FAILED (") {
                let failures = Self.match(Patterns.unittestFailures, line).flatMap { Int($0[0]) } ?? 0
                let errors = Self.match(Patterns.unittestErrors, line).flatMap { Int($0[0]) } ?? 0
                unittest = (run.total, failures + errors)
            }
        }
        if line.hasPrefix("Tests:"), let total = Self.match(Patterns.total, line).flatMap({ Int($0[0]) }) {
            jest = (Self.match(Patterns.passed, line).flatMap { Int($0[0]) } ?? 0, total)
        }
    }

    /// Passed and total test counts, when a test runner reported them.
    var testCounts: (passed: Int, total: Int)? {
        var passed = 0, total = 0, seen = false
        if let run = swiftTesting, run.total > 0 || xctest == nil {
            seen = true
            total += run.total
            passed += run.failed == 0 ? run.total : max(0, run.total - (run.failed ?? run.total))
        }
        if let run = xctest, run.total > 0 || swiftTesting == nil {
            seen = true
            total += run.total
            passed += run.total - run.failed
        }
        if let run = pytest {
            seen = true
            total += run.passed + run.failed
            passed += run.passed
        }
        if cargo.seen {
            seen = true
            total += cargo.passed + cargo.failed
            passed += cargo.passed
        }
        if let run = unittest, let failed = run.failed {
            seen = true
            total += run.total
            passed += run.total - failed
        }
        if let run = jest {
            seen = true
            total += run.total
            passed += run.passed
        }
        return seen ? (passed, total) : nil
    }

    /// One sentence for the user.
    func sentence(task: Intent.Task?, command: String, status: JobStatus, exit: Int32?, duration: Double) -> String {
        switch status {
        case .stopped: return "Stopped \(Self.spokenName(task: task, command: command))."
        case .timeout:
            return
                "\(Self.spokenName(task: task, command: command).capitalizedFirst) timed out after \(Int(duration.rounded())) seconds."
        case .error: return "Could not start \(Self.spokenName(task: task, command: command))."
        default: break
        }
        let succeeded = status == .succeeded
        // The doctor exits 0, or 1 under --fail-on, with its summary record last.
        if doctor.sawSummary && (succeeded || exit == 1) { return doctor.sentence }
        if let counts = testCounts, task == .test || counts.total > 0 {
            if succeeded && counts.passed == counts.total {
                return "Tests passed, \(counts.passed) of \(counts.total)."
            }
            return "Tests failed, \(counts.passed) of \(counts.total) passed."
        }
        switch task {
        case .test: return succeeded ? "Tests passed." : "Tests failed with exit status \(exit ?? -1)."
        case .build:
            if succeeded { return "Build succeeded." }
            return "Build failed" + (firstError.map { ": \(Self.clip($0))" } ?? ".")
        case .lint: return succeeded ? "Lint passed." : "Lint found problems."
        case .format: return succeeded ? "Formatted." : "Formatting failed with exit status \(exit ?? -1)."
        case .start: return succeeded ? "The app finished." : "The app failed with exit status \(exit ?? -1)."
        case nil:
            if succeeded {
                if lineCount == 1, let line = lastLine, line.count <= 80 { return line }
                return "\(Self.clip(command, 40)) finished."
            }
            return "\(Self.clip(command, 40)) failed with exit status \(exit ?? -1)."
        }
    }

    static func spokenName(task: Intent.Task?, command: String) -> String {
        switch task {
        case .test: return "the tests"
        case .build: return "the build"
        case .lint: return "the linter"
        case .format: return "the formatter"
        case .start: return "the app"
        case nil: return clip(command, 40)
        }
    }

    static func clip(_ text: String, _ limit: Int = 120) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }

    /// Compiled once: these run on every output line.
    enum Patterns {
        static let swiftTestingPassed = try! NSRegularExpression(
            pattern: #"Test run with (\d+) tests?(?: in \d+ suites?)? passed"#)
        static let swiftTestingFailed = try! NSRegularExpression(
            pattern: #"Test run with (\d+) tests?(?: in \d+ suites?)? failed"#)
        static let issues = try! NSRegularExpression(pattern: #"with (\d+) issues?"#)
        static let xctest = try! NSRegularExpression(pattern: #"Executed (\d+) tests?, with (\d+) failures?"#)
        static let pytestStart = try! NSRegularExpression(pattern: #"^\d+ (passed|failed)"#)
        static let passed = try! NSRegularExpression(pattern: #"(\d+) passed"#)
        static let failed = try! NSRegularExpression(pattern: #"(\d+) failed"#)
        static let errors = try! NSRegularExpression(pattern: #"(\d+) errors?"#)
        static let cargo = try! NSRegularExpression(pattern: #"test result: \w+\. (\d+) passed; (\d+) failed"#)
        static let total = try! NSRegularExpression(pattern: #"(\d+) total"#)
        static let unittestRan = try! NSRegularExpression(pattern: #"^Ran (\d+) tests? in "#)
        static let unittestFailures = try! NSRegularExpression(pattern: #"failures=(\d+)"#)
        static let unittestErrors = try! NSRegularExpression(pattern: #"errors=(\d+)"#)
    }

    static func match(_ expression: NSRegularExpression, _ text: String) -> [String]? {
        guard let found = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else {
            return nil
        }
        return (1..<found.numberOfRanges).map { index in
            Range(found.range(at: index), in: text).map { String(text[$0]) } ?? ""
        }
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
