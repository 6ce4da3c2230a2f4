// "check the codebase", "scan for secrets", "is the repo healthy": the codebase doctor.
extension RulesGrammar {
    static let doctorPhrases: [[String]] = [
        ["check", "codebase"], ["check", "code", "base"], ["check", "code"], ["check", "repo"],
        ["check", "repository"],
        ["scan", "for", "secrets"], ["scan", "secrets"], ["check", "for", "secrets"], ["look", "for", "secrets"],
        ["find", "secrets"], ["any", "secrets"], ["leaked", "secrets"], ["scan", "codebase"], ["scan", "repo"],
        ["scan", "code"], ["is", "repo", "healthy"], ["is", "repository", "healthy"], ["is", "codebase", "healthy"],
        ["is", "code", "healthy"], ["how", "healthy", "is", "repo"], ["how", "healthy", "is", "codebase"],
        ["how", "healthy", "is", "code"], ["run", "doctor"], ["health", "check"], ["check", "health"],
        ["audit", "code"], ["audit", "codebase"], ["security", "check"], ["security", "scan"],
    ]
    /// Words a doctor request may carry around its phrase.
    static let doctorFillers: Set<String> = [
        "the", "a", "my", "our", "this", "whole", "entire", "please", "for", "me", "can", "you", "could", "would",
        "project", "now", "again", "quick", "quickly", "codebase", "problems", "issues", "of",
    ]

    /// The doctor's command for a request to check the codebase (read-only: it changes nothing).
    static func doctorRequest(_ keys: [String]) -> String? {
        let words = keys.filter { !["the", "a", "my", "our", "this", "whole", "entire"].contains($0) }
        guard words.count <= 8 else { return nil }
        for phrase in doctorPhrases {
            guard
                let start = (0...max(0, words.count - phrase.count)).first(where: {
                    $0 + phrase.count <= words.count && Array(words[$0..<$0 + phrase.count]) == phrase
                })
            else { continue }
            let rest = words[..<start] + words[(start + phrase.count)...]
            if rest.allSatisfy({ doctorFillers.contains($0) }) { return "mybro-doctor" }
        }
        return nil
    }
}
