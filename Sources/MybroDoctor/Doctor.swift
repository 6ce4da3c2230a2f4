import Foundation
import MybroCore
import MybroRules
import Synchronization

/// What to scan and how.
public struct DoctorConfiguration: Sendable {
    public var paths: [String] = ["."]
    public var honourIgnoreFiles = true
    /// Files larger than this are reported (health.large-file) and not read.
    public var maxFileBytes = 5 * 1024 * 1024
    public var rules = TechnologyRuleSet.builtIn
    public var threads = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 16))
    /// Fingerprints to leave out (--baseline).
    public var baseline: Set<String> = []
    /// Called now and then with (files done, files in all) while a big tree is scanned.
    public var progress: (@Sendable (Int, Int) -> Void)? = nil

    public init() {}
}

/// What a scan found and how much it read.
public struct DoctorReport: Sendable {
    public var findings: [Finding] = []
    public var filesScanned = 0
    public var bytesScanned = 0
    public var skippedBinary = 0
    public var unreadable: [String] = []
    /// Findings left out because the baseline holds them.
    public var baselined = 0

    public init() {}

    mutating func finish(baseline: Set<String>) {
        if !baseline.isEmpty {
            let before = findings.count
            findings.removeAll { baseline.contains($0.fingerprint) }
            baselined = before - findings.count
        }
        findings.sort(by: Finding.ordered)
    }
}

/// Scans working trees: walks each path, runs the per-file checks on all cores, then the
/// repository-level checks for each directory.
public enum Doctor {
    public static func scan(_ configuration: DoctorConfiguration) throws(MybroError) -> DoctorReport {
        var report = DoctorReport()
        let scanner = ContentScanner(rules: configuration.rules)
        for path in configuration.paths {
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw MybroError("cannot scan \(path): \(SystemIO.describe(errno))", status: .noInput)
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                var walker = FileWalker(honourIgnoreFiles: configuration.honourIgnoreFiles)
                let files = walker.files(under: path)
                report.unreadable += walker.unreadable.map { "\(path)/\($0)" }
                let partial = scanFiles(files, scanner: scanner, configuration: configuration)
                report.merge(partial.report)
                let tracked = trackedEnvFiles(root: path, files: files.map(\.relative))
                report.findings += HealthScanner.repository(
                    files: files.map(\.relative), todoCount: partial.todos, trackedEnvFiles: tracked.files,
                    isGitRepository: tracked.isRepository)
            } else {
                let name = (path as NSString).lastPathComponent
                let file = SourceFile(diskPath: Array(path.utf8), relative: name, size: Int(info.st_size))
                report.merge(scanFiles([file], scanner: scanner, configuration: configuration).report)
            }
        }
        report.finish(baseline: configuration.baseline)
        return report
    }

    /// Per-file results of one thread.
    struct Partial: Sendable {
        var report = DoctorReport()
        var todos = 0
    }

    static func scanFiles(_ files: [SourceFile], scanner: ContentScanner, configuration: DoctorConfiguration)
        -> Partial
    {
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let results = Mutex<[Partial]>([])
        let threadCount = max(1, min(configuration.threads, files.count))
        let group = DispatchGroup()
        for index in 0..<threadCount {
            group.enter()
            let thread = Thread {
                var partial = Partial()
                var buffer = FileBuffer()
                while true {
                    let position = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard position < files.count else { break }
                    scanOne(
                        files[position], scanner: scanner, limit: configuration.maxFileBytes, buffer: &buffer,
                        into: &partial)
                    let finished = done.wrappingAdd(1, ordering: .relaxed).newValue
                    if finished % 2000 == 0 { configuration.progress?(finished, files.count) }
                }
                buffer.release()
                results.withLock { $0.append(partial) }
                group.leave()
            }
            thread.name = "mybro-doctor scan \(index)"
            thread.stackSize = 4 << 20
            thread.start()
        }
        group.wait()
        var total = Partial()
        for partial in results.withLock({ $0 }) {
            total.report.merge(partial.report)
            total.todos += partial.todos
        }
        return total
    }

    static func scanOne(
        _ file: SourceFile, scanner: ContentScanner, limit: Int, buffer: inout FileBuffer, into partial: inout Partial
    ) {
        if file.size > limit {
            if scanner.categories.contains(.health) {
                partial.report.findings.append(
                    Finding(
                        check: CheckCatalog.largeFile, file: file.relative, line: nil,
                        message:
                            "\(file.relative) is \(file.size / 1_048_576) MB, over the \(limit / 1_048_576) MB limit (not scanned)",
                        evidence: file.relative))
            }
            return
        }
        switch buffer.read(path: file.diskPath, expectedSize: file.size, limit: limit) {
        case .unreadable:
            partial.report.unreadable.append(file.relative)
        case .binary:
            partial.report.skippedBinary += 1
        case .text(let bytes):
            partial.report.filesScanned += 1
            partial.report.bytesScanned += bytes.count
            partial.todos += scanner.scan(
                path: file.relative, bytes: bytes, executable: file.executable, into: &partial.report.findings)
        }
    }

    /// The .env files git tracks under `root`, and whether `root` is in a git work tree.
    static func trackedEnvFiles(root: String, files: [String]) -> (files: Set<String>, isRepository: Bool) {
        let envFiles = files.filter { ContextDetectors.isEnvFile($0.split(separator: "/").last ?? "") }
        guard let inside = try? Git.run(["rev-parse", "--is-inside-work-tree"], in: root), inside.hasPrefix("true")
        else { return ([], false) }
        guard !envFiles.isEmpty,
            let listed = try? Git.run(["ls-files", "-z", "--"] + envFiles, in: root)
        else { return ([], true) }
        return (Set(listed.split(separator: "\0").map(String.init)), true)
    }
}

extension DoctorReport {
    mutating func merge(_ other: DoctorReport) {
        findings += other.findings
        filesScanned += other.filesScanned
        bytesScanned += other.bytesScanned
        skippedBinary += other.skippedBinary
        unreadable += other.unreadable
    }
}

/// One thread's reusable read buffer: files are read whole with read(2), binaries (a NUL byte
/// in the first 8 KiB) are put aside after the first block.
struct FileBuffer {
    enum Outcome {
        case text(UnsafeBufferPointer<UInt8>)
        case binary
        case unreadable
    }

    private var storage = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)

    mutating func release() { storage.deallocate() }

    mutating func read(path: [UInt8], expectedSize: Int, limit: Int) -> Outcome {
        let fd = (path + [0]).withUnsafeBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) {
                open($0.baseAddress!, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
            }
        }
        guard fd >= 0 else { return .unreadable }
        defer { close(fd) }
        let wanted = min(limit, expectedSize) + 1
        if storage.count < wanted {
            storage.deallocate()
            storage = .allocate(byteCount: max(wanted, storage.count * 2), alignment: 16)
        }
        var total = 0
        while total < wanted {
            let chunk = UnsafeMutableRawBufferPointer(rebasing: storage[total..<wanted])
            switch SystemIO.read(fd, into: chunk) {
            case .bytes(let count):
                if total == 0 && memchr(storage.baseAddress!, 0, min(count, 8192)) != nil { return .binary }
                total += count
            case .end:
                return .text(
                    UnsafeBufferPointer(start: storage.baseAddress!.assumingMemoryBound(to: UInt8.self), count: total))
            default:
                return total == 0
                    ? .unreadable
                    : .text(
                        UnsafeBufferPointer(
                            start: storage.baseAddress!.assumingMemoryBound(to: UInt8.self), count: total))
            }
        }
        // It grew while we read: scan what fits under the limit.
        return .text(
            UnsafeBufferPointer(
                start: storage.baseAddress!.assumingMemoryBound(to: UInt8.self), count: min(total, limit)))
    }
}
