import MybroCore

/// The last few exchanges (what was heard, what it was taken to mean), so a follow-up such as
/// "do the same for the other file" can be understood.
public struct ConversationMemory: Sendable {
    public struct Exchange: Sendable, Equatable {
        public var transcript: String
        public var intent: String
    }

    public let capacity: Int
    public private(set) var exchanges: [Exchange] = []

    public init(capacity: Int = 6) { self.capacity = max(capacity, 0) }

    public mutating func remember(transcript: String, intent: Intent) {
        guard capacity > 0 else { return }
        var summary = intent.action.rawValue
        if let prompt = intent.prompt { summary += ": \(prompt)" }
        if let command = intent.command { summary += ": \(command)" }
        if let task = intent.task { summary += ": \(task.rawValue)" }
        if let text = intent.text { summary += ": \(text)" }
        exchanges.append(Exchange(transcript: transcript, intent: summary))
        if exchanges.count > capacity { exchanges.removeFirst(exchanges.count - capacity) }
    }

    /// The exchanges as lines for the system prompt, oldest first.
    public var promptText: String {
        exchanges.map { "- heard \"\($0.transcript)\" → \($0.intent)" }.joined(separator: "\n")
    }
}
