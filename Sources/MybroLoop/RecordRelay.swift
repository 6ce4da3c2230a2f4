import Foundation
import MybroCore
import Synchronization

/// Carries one JSON Lines link of the pipeline (a stage's stdout to the next stage's stdin,
/// or the last stage's to mybro's stdout) line by line, showing each line to an observer.
///
/// `@unchecked Sendable`: the relay's thread and the supervising thread share only
/// `closedDestination` (an Atomic) and `finished` (a semaphore); the rest is set before start.
final class RecordRelay: @unchecked Sendable {
    let index: Int
    private let source: Int32
    private let destination: OutputSink
    private let closesDestination: Bool
    private let observe: (Int, String) -> Void
    /// Whether a line goes on (a muted loop drops speech); every line is observed.
    private let admit: (String) -> Bool
    /// The destination is shared with the control channel: closed under its lock.
    private let closeDestination: () -> Void
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)
    /// Set on the relay's thread when the destination went away (a stage died, or mybro's own
    /// reader); read by the supervisor.
    private let closedDestination = Atomic<Bool>(false)
    var destinationClosed: Bool { closedDestination.load(ordering: .acquiring) }

    init(
        index: Int, source: Int32, destination: OutputSink, closesDestination: Bool,
        observe: @escaping (Int, String) -> Void, admit: @escaping (String) -> Bool = { _ in true },
        closeDestination: (() -> Void)? = nil
    ) {
        self.admit = admit
        self.closeDestination = closeDestination ?? { close(destination.fd) }
        self.index = index
        self.source = source
        self.destination = destination
        self.closesDestination = closesDestination
        self.observe = observe
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.start()
        self.thread = thread
    }

    func wait() { finished.wait() }

    private func run() {
        defer {
            close(source)
            // End of input downstream, so the next stage finishes too.
            if closesDestination { closeDestination() }
            finished.signal()
        }
        let lines = LineReader(fd: source, maximumLineBytes: RecordReader.maximumLineBytes)
        do {
            while let line = try lines.next() {
                guard case .line(let bytes, _) = line else { continue }
                let text = String(decoding: bytes, as: UTF8.self)
                observe(index, text)
                if destinationClosed || !admit(text) { continue }  // keep draining so the stage is not blocked
                do {
                    try destination.write(line: text)
                } catch is DownstreamClosed {
                    closedDestination.store(true, ordering: .releasing)
                }
            }
        } catch {
            Log.shared.warning("link \(index): \(error)")
        }
    }
}
