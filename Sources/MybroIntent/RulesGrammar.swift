import Foundation
import MybroCore

/// The offline grammar: a small set of spoken phrases, tolerant of the noise a speech
/// recogniser adds (fillers, politeness, plurals, one-letter slips in longer words).
///
/// The phrase list is documented in mybro-intent(1); keep the two in step.
public struct RulesGrammar: Sendable {
    public static let backendName = "rules"

    /// The workspace's names, for file and folder slots.
    public var workspace: WorkspaceNames

    public init(workspace: WorkspaceNames = .empty) { self.workspace = workspace }

    /// The intent for one transcript; `none` with confidence 0 when nothing matches.
    ///
    /// A chatty request wraps the request in context ("So I think I fixed the bug, could you run
    /// the tests?"). When the whole reads as nothing sure, its clauses (split where the
    /// recogniser put a full stop, a question mark or a comma) are read from the last to the
    /// first, and the first sure reading stands, for the whole transcript. A yes is never taken
    /// from a clause: "yes, but run the linter first" approves nothing.
    public func interpret(_ transcript: String, now: Date = Date()) -> Intent {
        if Self.isSaidToSomeoneElse(transcript) {
            return Intent(action: .none, confidence: 0, backend: Self.backendName, transcript: transcript)
        }
        let clauses = Self.clauses(of: transcript)
        if let corrected = correctedReading(clauses, now: now) {
            return Self.standing(corrected, for: transcript)
        }
        if let request = readingBeforeReasons(clauses, now: now) ?? readingAfterContext(clauses, now: now) {
            return Self.standing(request, for: transcript)
        }
        let whole = interpretWhole(transcript, now: now)
        guard !Self.isSure(whole) else { return whole }
        guard clauses.count > 1 else { return Self.remarkOrAsIs(whole, clauses: clauses) }
        for clause in clauses.reversed() {
            var reading = interpretWhole(clause, now: now)
            guard Self.isSure(reading), reading.action != .confirm else { continue }
            // "Hold on, my kernel died again": a hold-word before talk of something else only
            // stops the speaker's own sentence, not the job.
            if reading.action == .stop, Self.holdPhrases.contains(SpokenWords(clause).withoutHesitations().keys),
                Self.wordsBesideHolds(clauses) >= 3
            {
                continue
            }
            // "ok halt, I changed my mind": the stop is what is asked; the change of mind says why
            if reading.action == .deny,
                let stop = clauses.lazy.map({ interpretWhole($0, now: now) }).first(where: { $0.action == .stop })
            {
                reading = stop
            }
            reading.transcript = transcript
            return reading
        }
        // "the readme still says five seven, update it to five nine": a later clause that opens
        // with a coding verb asks Claude, with the whole transcript as the task
        if whole.action == .none, whole.confidence < Self.remarkConfidence,
            clauses.dropFirst().contains(where: { Self.isCodingRequest(SpokenWords($0).strippingFillers().keys) })
        {
            return Intent(
                action: .code, prompt: transcript, confidence: 0.5, backend: Self.backendName, transcript: transcript)
        }
        return Self.remarkOrAsIs(whole, clauses: clauses)
    }

    /// How many words the clauses hold besides hold-words ("hold on", "wait").
    static func wordsBesideHolds(_ clauses: [String]) -> Int {
        clauses.map { SpokenWords($0).withoutHesitations().keys }.filter { !holdPhrases.contains($0) }.joined().count
    }

    static let holdPhrases: [[String]] = [
        ["hold", "on"], ["hang", "on"], ["wait"], ["wait", "a", "second"], ["wait", "a", "minute"], ["one", "second"],
        ["just", "a", "second"], ["hold", "on", "a", "second"], ["hang", "on", "a", "second"],
    ]

    /// The confidence of a reading that is sure to be no request: a remark ("I'll look at the
    /// diff after lunch", "I think the tests are flaky"). The paraphrase matcher leaves it be.
    public static let remarkConfidence = 0.9

    /// Nothing, said surely, when the transcript asks for nothing and its last clause is a remark.
    static func remarkOrAsIs(_ reading: Intent, clauses: [String]) -> Intent {
        guard reading.action == .none, let last = clauses.last,
            isRemark(SpokenWords(last).withoutHesitations().keys)
        else { return reading }
        var remark = reading
        remark.confidence = remarkConfidence
        return remark
    }

    /// What the speaker says of their own plans or thinks of the code, asking nothing of the
    /// assistant: "I'll look at the diff after lunch", "I think the tests are flaky because of
    /// the mock". A plan counts only with a time or "myself" ("I'll check it later"); an opinion
    /// only as a statement (a copula, and no "should", "can", "you", …).
    static func isRemark(_ keys: [String]) -> Bool {
        var keys = keys[...]
        while let first = keys.first,
            ["yeah", "yes", "ok", "okay", "so", "well", "hmm", "ugh", "oh", "right", "and"].contains(first)
        {
            keys = keys.dropFirst()
        }
        let asks: Set<String> = [
            "should", "need", "needs", "can", "could", "lets", "please", "you", "want", "would", "must", "run", "go",
        ]
        if keys.starts(with: ["ill"]) || keys.starts(with: ["i", "will"]) {
            let rest = keys.dropFirst(keys.first == "ill" ? 1 : 2)
            let ownWork: Set<String> = [
                "look", "check", "read", "review", "deal", "handle", "fix", "do", "get", "take", "try",
            ]
            let later: Set<String> = [
                "later", "after", "tomorrow", "tonight", "myself", "afterwards", "monday", "tuesday", "wednesday",
                "thursday", "friday", "weekend", "lunch", "break", "meeting", "soon",
            ]
            return rest.first.map(ownWork.contains) == true && rest.contains(where: later.contains)
                && !rest.contains("you")
        }
        if isStatement(keys) { return true }
        for lead in [["i", "think"], ["i", "guess"], ["i", "suspect"], ["i", "bet"], ["i", "feel", "like"]]
        where keys.starts(with: lead) {
            let rest = keys.dropFirst(lead.count)
            return rest.prefix(6).contains(where: {
                ["is", "are", "was", "were", "seems", "seem", "looks"].contains($0)
            })
                && !rest.contains(where: asks.contains)
        }
        return false
    }

    /// A plain statement, asking nothing: "this is the worst code I've ever written", "the server
    /// thing is a problem for future me", "I swear this worked yesterday", "man, I miss when this
    /// project was small". It opens with its subject and a verb that states (not "I need", "I
    /// want", "you", a modal), and has no word that asks or names something to do anywhere.
    static func isStatement(_ keys: ArraySlice<String>) -> Bool {
        var keys = keys
        while let first = keys.first,
            ["man", "honestly", "wow", "god", "dude", "but", "ah", "oh", "huh", "nice", "no", "great"].contains(first)
        {
            keys = keys.dropFirst()
        }
        guard let subject = keys.first, keys.count >= 3 else { return false }
        let states: Set<String> = [
            "is", "are", "was", "were", "isnt", "wasnt", "arent", "seems", "looks", "worked", "works", "broke",
            "has", "had", "swear", "miss", "forgot", "moved", "changed", "rewrote", "wrote", "broke", "love", "hate",
            "cant", "keep", "kept", "still",
        ]
        let things: Set<String> = [
            "this", "that", "thats", "it", "its", "there", "theres", "the", "everything", "past", "someone", "somebody",
            "nobody", "everyone",
        ]
        let opens: Bool
        if subject == "i" {
            opens = states.contains(keys[keys.index(after: keys.startIndex)])
        } else if subject == "im" {
            opens = ["curious", "not", "so", "tired", "done", "pretty", "sure"].contains(keys.dropFirst().first ?? "")
        } else {
            // a copula, or a verb in the past ("someone starred the repo", "the formatter touched …")
            opens =
                things.contains(subject)
                && keys.prefix(6).dropFirst().contains(where: {
                    states.contains($0) || ($0.hasSuffix("ed") && $0.count > 4)
                })
        }
        guard opens else { return false }
        // Nothing that asks, and no verb of a request anywhere ("it is failing, fix it").
        let asks: Set<String> = [
            "can", "could", "would", "please", "you", "lets", "should", "want", "need", "must", "gotta", "wanna",
            "run", "show", "test", "tests", "build", "push", "pull", "commit", "stash", "check", "tell", "give", "list",
            "find", "search", "open", "undo", "revert", "stop", "cancel", "lint", "format", "diff", "explain", "what",
            "why", "how", "which", "where", "who", "whether", "try", "see", "go", "do", "put", "take", "bring", "set",
            "roll", "turn", "get",
        ]
        // Nouns as often as verbs ("the package file change is right") ask only before their
        // object ("update that section", "change it").
        let nouns: Set<String> = ["change", "update", "review", "port", "split", "clean", "document"]
        let objects: Set<String> = ["that", "this", "it", "the", "them", "those", "these", "my", "our", "all"]
        return !keys.indices.contains { index in
            let key = keys[index]
            if nouns.contains(key) {
                return index + 1 < keys.endIndex && objects.contains(keys[index + 1])
            }
            return asks.contains(key) || codingVerbs.contains(key)
        }
    }

    static func standing(_ reading: Intent, for transcript: String) -> Intent {
        var reading = reading
        reading.transcript = transcript
        return reading
    }

    /// What opens a spoken correction: "run the build, sorry, I mean the tests", "pull, no wait,
    /// push", "the last three, no, five commits", "lint it, actually format it".
    static let correctionMarkers: [[String]] = [
        ["sorry", "i", "mean"], ["i", "mean"], ["no", "wait"], ["no", "sorry"], ["no", "actually"], ["sorry", "no"],
        ["or", "rather"],
        ["no", "i", "mean"], ["actually"], ["make", "that"], ["scratch", "that"], ["rather"], ["sorry"], ["no"],
        ["wait"], ["correction"],
    ]

    /// A request the speaker corrected on the way ("run the tests, sorry, I mean the build"): the
    /// correction alone when it reads as a sure request ("push my changes"), else the words before
    /// it with their last one or two replaced by it ("give me the last three, no, five commits" →
    /// "the last five commits"). Only where something comes before the marker, and only for a
    /// sure reading that is no yes: "no, don't do that" stays an answer.
    func correctedReading(_ clauses: [String], now: Date) -> Intent? {
        guard clauses.count > 1 else { return nil }
        for index in (1..<clauses.count).reversed() {
            let keys = SpokenWords(clauses[index]).withoutHesitations().keys
            guard let marker = Self.correctionMarkers.first(where: { keys.starts(with: $0) }) else { continue }
            var rest = SpokenWords(clauses[index]).withoutHesitations().originals.dropFirst(marker.count)
                .joined(separator: " ")
            if rest.isEmpty, index + 1 < clauses.count { rest = clauses[(index + 1)...].joined(separator: ", ") }
            let before = clauses[..<index].joined(separator: ", ")
            guard !rest.isEmpty, !SpokenWords(before).strippingFillers().keys.isEmpty else { return nil }
            let alone = interpretWhole(rest, now: now)
            if Self.isSure(alone), alone.action != .confirm { return alone }
            let heard = SpokenWords(before).withoutHesitations().originals
            // "just the linter for now" replaces "the tests": without its own fillers
            let replacement = SpokenWords(rest).strippingFillers().original(from: 0)
            for dropped in 1...2 where dropped < heard.count {
                let joined = (heard.dropLast(dropped) + [replacement.isEmpty ? rest : replacement]).joined(
                    separator: " ")
                let reading = interpretWhole(joined, now: now)
                if Self.isSure(reading), reading.action != .confirm { return reading }
            }
            return nil
        }
        return nil
    }

    /// How a clause that gives a reason or context opens ("stash everything, I have to switch
    /// branches", "stop it, it is hanging"): said after a request, it asks for nothing itself.
    static let reasonOpenings: [[String]] = [
        ["i", "have", "to"], ["i", "need", "to"], ["i", "gotta"], ["i", "want", "to"], ["we", "have", "to"],
        ["we", "need", "to"], ["it", "is"], ["its"], ["it", "was"], ["it", "seems"], ["because"], ["cause"],
        ["since"], ["so", "i", "can"], ["so", "that"], ["so", "we", "can"], ["im", "about", "to"],
        ["i", "am", "about", "to"], ["im", "going", "to"], ["i", "am", "going", "to"], ["i", "need", "a"],
        ["i", "need", "the"], ["i", "think", "it"], ["seems"], ["looks", "like"], ["so", "the"], ["so", "it"],
        ["so", "nobody"], ["so", "everyone"], ["so", "you"], ["so", "they"], ["before"], ["while"], ["in", "case"],
    ]

    /// The request before the first clause that gives a reason, when it reads as a sure request
    /// on its own and something comes before that clause.
    func readingBeforeReasons(_ clauses: [String], now: Date) -> Intent? {
        guard clauses.count > 1,
            let cut = (1..<clauses.count).first(where: { index in
                let keys = SpokenWords(clauses[index]).withoutHesitations().keys
                return Self.reasonOpenings.contains { keys.starts(with: $0) && keys.count > $0.count }
            })
        else { return nil }
        let reading = interpretWhole(clauses[..<cut].joined(separator: ", "), now: now)
        return Self.isSure(reading) && reading.action != .confirm ? reading : nil
    }

    /// How a clause that sets the scene opens ("before I commit, …", "to keep the diff clean, …",
    /// "I need a clean tree, …", "ok so the guide is out of date, …"): said first, the request
    /// follows it.
    static let contextOpenings: [[String]] =
        [
            ["before"], ["after"], ["to"], ["if"], ["when"], ["once"], ["since"], ["because"], ["as", "soon", "as"],
            ["while"], ["in", "order", "to"], ["ok", "so"], ["okay", "so"], ["so"], ["now", "that"], ["i", "just"],
            ["we", "just"], ["i", "think"], ["i", "guess"], ["i", "finished"], ["i", "am", "done"], ["im", "done"],
        ] + reasonOpenings

    /// The request after a first clause that sets the scene, when what follows reads as a sure
    /// request on its own.
    func readingAfterContext(_ clauses: [String], now: Date) -> Intent? {
        guard clauses.count > 1 else { return nil }
        let keys = SpokenWords(clauses[0]).withoutHesitations().keys
        // A scene set by its opening ("before I commit, …") or a remark ("I'm not sure the
        // package file is right, so kick off a build")
        guard isContext(clauses[0]) else { return nil }
        // Past more scene ("ok so, before I mess this up, let me make a branch")
        var start = 1
        while start + 1 < clauses.count, isContext(clauses[start]),
            !Self.isSure(interpretWhole(clauses[start], now: now))
        {
            start += 1
        }
        // What follows, or its beginning when what ends it only says what for ("…, so kick off a
        // build, and let's find out")
        for end in (start + 1...clauses.count).reversed() {
            let reading = interpretWhole(clauses[start..<end].joined(separator: ", "), now: now)
            if Self.isSure(reading) && reading.action != .confirm { return reading }
        }
        return nil
    }

    /// A clause that sets the scene by its opening ("before I commit") or is a remark ("I'm not sure
    /// the package file is right").
    func isContext(_ clause: String) -> Bool {
        let keys = SpokenWords(clause).withoutHesitations().keys
        return Self.contextOpenings.contains(where: { keys.starts(with: $0) }) || Self.isRemark(keys)
    }

    /// A reading that stands on its own: not nothing, not one of the grammar's guesses at a
    /// coding request or a task (confidence 0.6 and under).
    static func isSure(_ intent: Intent) -> Bool {
        intent.action != .none && intent.confidence > 0.6
    }

    /// The transcript's clauses, as the recogniser punctuated it: at a full stop, question or
    /// exclamation mark, comma or semicolon followed by a space or the end ("main.swift" and
    /// "1,000" stay whole).
    /// A reason said without a pause before it ("print the deploy script so I can read it",
    /// "format it so the diff stays small", "push it before the demo") is a clause of its own,
    /// as if there were a comma.
    static let unmarkedReason = try! NSRegularExpression(
        pattern:
            "(?<=[A-Za-z0-9])\\s+(?=(?:so (?:i|we) (?:can|could|get|dont|don't|do not|know)|so that|because"
            + "|so (?:the|it|nobody|everyone|you|they)|before (?:i|we|you|they|he|she|the|my|our|stand ?-?up|lunch)"
            + "|while (?:i|we|you|they|he|she)|in case"
            // "…, so can you just run the tests", "… earlier so pull first": the request after
            // the context, said without a pause
            + "|so (?:can|could|would|will) (?:you|we)|so (?:please|just|let's|lets|go ahead)"
            + "|so (?:run|test|build|pull|push|kick|start|launch|check|show|commit|stash|lint|format|rebuild)"
            // "run the lint no actually the tests": a correction said without a pause
            + "|no (?:actually|wait|sorry)|sorry,? i mean"
            // "kick off a build and let's find out": what the speaker will learn from it
            + "|and (?:let's|lets|let us) (?:see|find out)|and (?:make sure|see if|see whether|find out)"
            // "run the app I want to see the new colour": why, said after the request
            + "|i (?:want|need|wanna|have) to (?:see|know|check|make sure|try|look)"
            // "before I mess this up let me make a branch": a request's own opening
            + "|let me (?:make|run|do|see|check|commit|push|pull|stash|switch|create|start)|can you|could you"
            // "let's see if anything broke run swift test": a second imperative, run on
            + "|run (?:the|swift|cargo|npm|make|pytest|go|all|a|my|our))\\b)",
        options: [.caseInsensitive])

    static func clauses(of transcript: String) -> [String] {
        var clauses: [String] = []
        var current = ""
        let marked = unmarkedReason.stringByReplacingMatches(
            in: transcript, range: NSRange(transcript.startIndex..., in: transcript), withTemplate: ", ")
        let characters = Array(marked)
        for (index, character) in characters.enumerated() {
            let atBreak = index + 1 == characters.count || characters[index + 1].isWhitespace
            if ".?!,;".contains(character), atBreak {
                clauses.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        clauses.append(current)
        return clauses.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func interpretWhole(_ transcript: String, now: Date) -> Intent {
        let words = SpokenWords(transcript).strippingFillers()
        func intent(
            _ action: Intent.Action, _ confidence: Double, prompt: String? = nil, command: String? = nil,
            task: Intent.Task? = nil, mode: Intent.Mode? = nil, text: String? = nil, job: Int? = nil
        ) -> Intent {
            Intent(
                action: action, prompt: prompt, command: command, task: task, mode: mode, text: text, job: job,
                confidence: confidence, backend: Self.backendName, transcript: transcript)
        }
        let keys = words.keys
        if keys.isEmpty { return intent(.none, 0) }

        if let match = Self.control(keys) { return intent(match.action, match.confidence) }
        // "no no, don't push that yet", "do not run the tests": a request said in the negative is
        // never that request, whatever a paraphrase of it would match: a no.
        if Self.isNegatedRequest(keys) { return intent(.deny, 0.9) }
        if Self.isRemark(SpokenWords(transcript).withoutHesitations().keys) {
            return intent(.none, Self.remarkConfidence)
        }
        // "run" with flags, paths or shell syntax was typed or dictated word for word: it runs as
        // said (the policy judges it), never as a guessed, shorter command.
        if let task = Self.taskTool(words) {
            return intent(.run, 0.85, task: task, mode: task == .build ? ParaphraseIntents.buildMode(keys) : nil)
        }
        if let command = Self.explicitRun(words), Self.isLiteralCommand(command) {
            return intent(.run, 0.8, command: command)
        }
        if let undo = Self.undoRequest(keys) { return intent(.undo, 0.9, job: undo.job) }
        if let command = Self.doctorRequest(keys) { return intent(.run, 0.9, command: command) }
        if let request = gpuRequest(words) {
            let gpu = gpuIntent(request)
            return intent(gpu.action, gpu.confidence, command: gpu.command, text: gpu.text)
        }
        // A commit with its message said ("commit with the message refactor the parser") before
        // the coding verbs its message may hold.
        if let command = spokenCommit(words) ?? keepingCommit(words) { return intent(.run, 0.8, command: command) }
        if let prompt = Self.claudeRequest(words) { return intent(.code, 0.9, prompt: prompt) }
        if let question = Self.question(keys) {
            return intent(question.action, question.confidence, task: question.task)
        }
        if let task = Self.projectTask(keys) { return intent(.run, 0.9, task: task.task, mode: task.mode) }
        if let command = gitCommand(words) { return intent(.run, 0.85, command: command) }
        if let command = fileCommand(words) { return intent(.run, 0.85, command: command) }
        if let command = searchCommand(words) { return intent(.run, 0.85, command: command) }
        if let answer = Self.clockAnswer(keys, now: now) { return intent(.answer, 0.9, text: answer) }
        if Self.isQuestionAboutCode(keys) { return intent(.code, 0.6, prompt: words.original(from: 0)) }
        if let command = Self.explicitRun(words) { return intent(.run, 0.6, command: command) }
        if Self.isCodingRequest(keys) { return intent(.code, 0.5, prompt: words.original(from: 0)) }
        if let guess = Self.nearMiss(keys) {
            // "cut a release build": the mode said with it
            let mode = guess.task == .build ? ParaphraseIntents.buildMode(keys) : nil
            return intent(.run, guess.confidence, task: guess.task, mode: mode)
        }
        if Self.looksLikeCodeTask(keys) { return intent(.code, 0.45, prompt: words.original(from: 0)) }
        return intent(.none, 0)
    }

    // MARK: stop, confirm, deny

    /// "don't push that yet", "no, do not commit", "please never deploy on a friday", "not yet,
    /// hold off on that": the negative leads the sentence (after any "no"s). "Don't forget to run
    /// the tests" asks for the tests, and "why don't you run them" suggests it.
    static func isNegatedRequest(_ keys: [String]) -> Bool {
        var rest = keys[...]
        while let first = rest.first, ["no", "nope", "nah", "please", "oh", "wait", "hey"].contains(first) {
            rest = rest.dropFirst()
        }
        if rest.starts(with: ["not", "yet"]) || rest.starts(with: ["hold", "off"]) { return true }
        let negation: Int
        if rest.first == "dont" || rest.first == "never" {
            negation = 1
        } else if rest.starts(with: ["do", "not"]) {
            negation = 2
        } else {
            return false
        }
        guard let next = rest.dropFirst(negation).first else { return rest.count < keys.count }
        return !["forget", "worry", "mind", "you", "we"].contains(next)
    }

    static let stopWords: Set<String> = [
        "stop", "cancel", "abort", "halt", "kill", "quit", "enough", "wait", "terminate", "interrupt",
    ]
    static let stopPhrases: [[String]] = [
        ["never", "mind"], ["nevermind"], ["forget", "it"], ["forget", "about", "it"], ["forget", "that"],
        ["shut", "up"], ["be", "quiet"], ["quiet"], ["hold", "on"], ["hang", "on"], ["stop", "stop"],
        ["scratch", "that"], ["thats", "enough"], ["that", "is", "enough"], ["control", "c"], ["control", "c", "it"],
        ["ctrl", "c"], ["ctrl", "c", "it"],
    ]
    /// What may follow a stop word: "stop the build", "cancel that", "stop what you are doing".
    static let stopObjects: Set<String> = [
        "it", "that", "this", "the", "everything", "all", "now", "job", "build", "tests", "test", "command",
        "task", "what", "you", "are", "re", "youre", "doing", "running", "please", "right", "claude", "immediately",
        "process", "lint", "linter", "app", "server", "current", "one", "a", "second", "minute", "moment",
    ]
    static let confirmLeads: Set<String> = [
        "yes", "yeah", "yep", "yup", "yea", "sure", "ok", "okay", "correct", "absolutely", "affirmative",
        "definitely", "exactly", "right", "confirm", "confirmed", "approved", "approve", "proceed", "alright",
        "righto", "certainly", "indeed",
    ]
    /// The yes-words that confirm inside a longer answer; "right" or "exactly" alone after a filler
    /// ("uh huh, right") is too weak to approve a write.
    static let strongConfirmations: Set<String> = [
        "yes", "yeah", "yep", "yup", "sure", "ok", "okay", "correct", "confirm", "confirmed", "proceed",
        "absolutely", "definitely", "affirmative", "approved", "approve", "righto", "certainly",
    ]
    static let confirmRest: Set<String> = [
        "do", "it", "go", "ahead", "please", "that", "is", "thats", "right", "correct", "sure", "run", "yes", "yeah",
        "sounds", "good", "great", "fine", "perfect", "exactly", "of", "course", "for", "i", "did", "mean", "meant",
        "what", "one", "thing", "proceed", "ok", "okay", "yep", "absolutely", "definitely", "thank", "you", "thanks",
        "the", "was", "works", "yup", "confirm", "confirmed", "huh", "thats", "go", "for", "want", "wanted", "asked",
        "assistant", "them", "then",
    ]
    static let confirmPhrases: [[String]] = [
        ["do", "it"], ["go", "ahead"], ["go", "for", "it"], ["that", "is", "right"], ["thats", "right"],
        ["sounds", "good"], ["run", "it"], ["of", "course"], ["please", "do"], ["please", "do", "it"],
        ["make", "it", "so"], ["you", "got", "it"], ["do"], ["that", "one"], ["thats", "it"], ["do", "that"],
        // Idioms of yes: "sure, why not", "give it a go" (a burl, a whirl, a shot), "carry on".
        ["why", "not"], ["sure", "why", "not"], ["carry", "on"], ["proceed"], ["continue"], ["go", "on"],
        ["give", "it", "a", "go"], ["give", "it", "a", "try"], ["give", "it", "a", "shot"],
        ["give", "it", "a", "whirl"], ["give", "it", "a", "burl"], ["fire", "away"], ["by", "all", "means"],
        ["lets", "do", "it"], ["lets", "go"], ["green", "light"], ["very", "well"], ["i", "think", "so"],
        // A yes given grudgingly or in passing: "I guess so", "okay fine", "be my guest", "roger".
        ["i", "guess"], ["i", "guess", "so"], ["i", "suppose"], ["i", "suppose", "so"], ["okay", "fine"],
        ["ok", "fine"],
        ["fine"], ["if", "you", "must"], ["ok", "then"], ["okay", "then"], ["alright", "then"], ["be", "my", "guest"],
        ["knock", "yourself", "out"], ["thats", "the", "one"], ["go"], ["roger"], ["roger", "that"], ["that", "works"],
        ["works", "for", "me"], ["yes", "sir"], ["yes", "maam"], ["10", "4"], ["ten", "four"],
    ]
    static let denyLeads: Set<String> = ["no", "nope", "nah", "dont", "negative", "deny", "denied", "reject"]
    static let denyRest: Set<String> = [
        "do", "not", "dont", "that", "it", "this", "run", "thanks", "thank", "you", "way", "please", "i", "said",
        "skip", "want", "to", "rather", "never", "wrong", "thats", "no", "is", "nope", "nah", "stop", "go", "ahead",
        "of", "course", "thing", "the", "one", "mean", "meant", "didnt", "definitely", "absolutely", "leave",
    ]
    static let denyPhrases: [[String]] = [
        ["skip", "it"], ["skip"], ["absolutely", "not"], ["definitely", "not"], ["not", "that"], ["thats", "wrong"],
        ["hard", "no"], ["big", "no"],
        ["wrong"], ["do", "not"], ["do", "not", "do", "that"], ["do", "not", "do", "it"], ["do", "not", "run", "it"],
        ["leave", "it"], ["please", "dont"], ["please", "do", "not"], ["not", "now"], ["cancel", "that", "no"],
        ["id", "rather", "not"], ["i", "would", "rather", "not"], ["rather", "not"], ["better", "not"],
        ["i", "dont", "think", "so"], ["not", "really"], ["ill", "pass"], ["i", "will", "pass"], ["pass"],
        ["id", "rather", "you", "didnt"], ["i", "would", "rather", "you", "didnt"], ["rather", "you", "didnt"],
        // "Yeah nah" is Australian for no; "don't bother", "hold off", "leave it be".
        ["yeah", "nah"], ["yeah", "no"], ["dont", "bother"], ["no", "need"], ["hold", "off"], ["leave", "it", "be"],
        ["not", "today"], ["nah", "leave", "it"], ["no", "thank", "you"], ["no", "thanks"],
        // A no said as a judgement or a change of mind: "bad idea", "wrong one", "I changed my mind".
        ["never"], ["not", "a", "good", "idea"], ["bad", "idea"], ["wrong", "one"], ["i", "changed", "my", "mind"],
        ["changed", "my", "mind"], ["dont", "you", "dare"], ["hell", "no"], ["thats", "not", "what", "i", "said"],
        ["thats", "not", "what", "i", "meant"], ["thats", "not", "what", "i", "asked", "for"], ["thats", "not", "it"],
    ]

    static func control(_ keys: [String]) -> (action: Intent.Action, confidence: Double)? {
        guard let first = keys.first else { return nil }
        if keys.count <= 6, stopWords.contains(first) || fuzzyContains(stopWords, first),
            keys.dropFirst().allSatisfy({ stopObjects.contains($0) || stopWords.contains($0) })
        {
            return (.stop, keys.count == 1 ? 0.95 : 0.85)
        }
        if matchesAny(keys, stopPhrases) { return (.stop, 0.9) }
        if matchesAny(keys, denyPhrases) { return (.deny, 0.9) }
        if keys.count <= 8, denyLeads.contains(first), keys.dropFirst().allSatisfy({ denyRest.contains($0) }) {
            return (.deny, 0.9)
        }
        if matchesAny(keys, confirmPhrases) { return (.confirm, 0.9) }
        // "that's right, go for it", "uh huh yes": only yes-words, with a yes in them
        if keys.count <= 7, keys.allSatisfy({ confirmRest.contains($0) || confirmLeads.contains($0) }),
            keys.contains(where: { strongConfirmations.contains($0) })
                || confirmPhrases.contains(where: { phrase in
                    phrase.count >= 2 && phrase.count <= keys.count
                        && (0...(keys.count - phrase.count)).contains { Array(keys[$0..<$0 + phrase.count]) == phrase }
                })
        {
            return (.confirm, 0.85)
        }
        if keys.count <= 7, confirmLeads.contains(first) || fuzzyContains(confirmLeads, first),
            keys.dropFirst().allSatisfy({ confirmRest.contains($0) })
        {
            return (.confirm, 0.9)
        }
        // "yeah sure why not", "okay go for it": a yes-word before a whole yes-phrase
        if keys.count <= 7, confirmLeads.contains(first), matchesAny(Array(keys.dropFirst()), confirmPhrases) {
            return (.confirm, 0.85)
        }
        return longAnswer(keys)
    }

    /// Words that agree without naming anything to do ("I agree", "you can proceed", "I think
    /// that's fine"), and their opposites for a no.
    static let assentWords: Set<String> = [
        "agree", "this", "is", "you", "can", "lets", "let", "us", "i", "think", "fine", "with", "me", "on", "we",
        "should", "im", "am", "happy", "good", "looks", "that", "thats", "do", "it", "go", "for", "ahead", "alright",
        "proceed", "sounds", "ok", "okay", "please", "totally", "yes", "yeah", "sure", "right", "all", "works",
        "agreed", "continue", "carry", "so", "may", "very", "well", "apply", "and", "wording", "plan", "version",
    ]
    static let dissentWords: Set<String> = [
        "this", "is", "not", "what", "i", "want", "lets", "let", "us", "think", "so", "sorry", "do", "dont", "it",
        "that", "thats", "please", "rather", "wouldnt", "shouldnt", "we", "should", "thanks", "thank", "you", "no",
        "nope", "nah", "wrong", "isnt", "the", "one", "way", "now", "actually", "need", "to", "right", "correct",
        "id", "didnt", "meant", "wait", "mean", "was", "want", "like", "go", "ahead", "with", "stop", "yeah", "bother",
        "need", "leave", "be",
    ]
    static let negations: Set<String> = [
        "no", "not", "dont", "never", "nope", "nah", "wait", "stop", "cancel", "hold", "but", "isnt", "wouldnt",
        "shouldnt", "cant", "wont",
    ]

    /// A longer yes or no: a yes-word (no-word) among the first three, and nothing else that
    /// names a request or, for a yes, says no anywhere ("okay I agree, do it", "sorry, no,
    /// let's not do that").
    static func longAnswer(_ keys: [String]) -> (action: Intent.Action, confidence: Double)? {
        guard keys.count <= 12 else { return nil }
        let opening = keys.prefix(3)
        if opening.contains(where: { denyLeads.contains($0) || $0 == "not" }),
            keys.allSatisfy({ dissentWords.contains($0) || denyLeads.contains($0) })
        {
            return (.deny, 0.85)
        }
        if opening.contains(where: { strongConfirmations.contains($0) || ["agree", "agreed"].contains($0) })
            || keys.starts(with: ["i", "think", "so"]) || keys.starts(with: ["very", "well"]),
            !keys.contains(where: { negations.contains($0) }),
            keys.allSatisfy({ assentWords.contains($0) || confirmLeads.contains($0) || confirmRest.contains($0) })
        {
            return (.confirm, 0.85)
        }
        return nil
    }

    // MARK: undo

    static let undoVerbs: [[String]] = [
        ["undo"], ["revert"], ["roll", "back"], ["rollback"], ["reverse"], ["back", "out"],
    ]
    static let undoObjects: [[String]] = [
        [], ["that"], ["it"], ["this"], ["that", "change"], ["the", "change"], ["the", "changes"],
        ["the", "last", "change"], ["the", "last", "changes"], ["last", "change"], ["that", "last", "change"],
        ["the", "last", "job"], ["last", "job"], ["the", "last", "command"], ["the", "last", "one"],
        ["what", "you", "did"], ["what", "you", "just", "did"],
    ]
    /// "put it back", "take that back", "roll that back".
    static let undoSplitVerbs: [(String, String)] = [("put", "back"), ("take", "back"), ("roll", "back")]
    static let undoSplitObjects: [[String]] = [
        ["that"], ["it"], ["this"], ["that", "change"], ["the", "last", "change"],
    ]

    static let undoPhrases: [[String]] = {
        var phrases = undoVerbs.flatMap { verb in undoObjects.map { verb + $0 } }
        for (verb, particle) in undoSplitVerbs {
            phrases += undoSplitObjects.map { [verb] + $0 + [particle] }
        }
        phrases += [["put", "it", "all", "back"], ["put", "everything", "back"], ["undo", "the", "last", "thing"]]
        // "put it back the way it was", "change it back to how it was"
        for (verb, particle) in undoSplitVerbs + [("change", "back"), ("set", "back")] {
            for object in undoSplitObjects {
                for tail in [
                    ["the", "way", "it", "was"], ["to", "how", "it", "was"], ["how", "it", "was"],
                    ["the", "way", "it", "was", "before"],
                ] {
                    phrases.append([verb] + object + [particle] + tail)
                }
            }
        }
        return phrases
    }()

    struct UndoRequest {
        /// The job named ("undo job 12"); nil: the last one.
        var job: Int?
    }

    /// An undo request: "undo that", "revert the last change", "put it back", "undo job 12".
    /// The words an undo's object is made of, in any order: "revert the last thing you did",
    /// "undo your previous edit", "take back that change".
    static let undoObjectWords: Set<String> = [
        "that", "it", "this", "the", "last", "latest", "previous", "change", "changes", "thing", "things", "job",
        "command", "one", "what", "you", "just", "did", "made", "your", "edit", "edits", "step", "action", "all",
        "of", "those", "these", "everything", "recent", "most", "have", "done", "i", "asked", "for",
    ]
    /// Verbs that undo only with a spoken object, never alone ("take back the last change").
    static let undoObjectVerbs: [[String]] = [["take", "back"], ["put", "back"], ["back", "out"], ["reverse"]]

    static func undoRequest(_ keys: [String]) -> UndoRequest? {
        if matchesAny(keys, undoPhrases) { return UndoRequest(job: nil) }
        // "scrap the change you just made" (not "scrap that", which takes back what was said)
        if keys.first == "scrap", keys.count <= 8,
            keys.contains(where: { ["change", "changes", "edit", "edits", "job"].contains($0) }),
            keys.dropFirst().allSatisfy({ undoObjectWords.contains($0) })
        {
            return UndoRequest(job: nil)
        }
        // "go back to how it was", "make it back like before", "set it back the way it was":
        // the state before the change, however the way back is said
        if let back = keys.firstIndex(of: "back"), keys.count <= 9,
            keys[..<back].allSatisfy({
                ["go", "get", "put", "make", "set", "change", "turn", "it", "that", "everything", "all", "please"]
                    .contains($0)
            }),
            keys.last == "before" || keys.suffix(2) == ["it", "was"] || keys.suffix(2) == ["they", "were"],
            keys[(back + 1)...].contains(where: { ["how", "way", "like", "before"].contains($0) })
        {
            return UndoRequest(job: nil)
        }
        for verb in undoVerbs + undoObjectVerbs where keys.count > verb.count && keys.starts(with: verb) {
            var object = keys.dropFirst(verb.count)
            // "the last change you made to the parser": the place of what was done, after an
            // object that names the assistant's own last change
            if let place = object.firstIndex(where: { ["to", "in", "on"].contains($0) }),
                object[..<place].contains(where: { ["you", "last", "latest", "previous"].contains($0) }),
                object.count - (place - object.startIndex) <= 5
            {
                object = object[..<place]
            }
            // an object of a few such words that names a change or a job, not a git object ("the last commit")
            if object.count <= 7, object.allSatisfy({ undoObjectWords.contains($0) }),
                object.contains(where: {
                    [
                        "that", "it", "this", "change", "changes", "thing", "job", "did", "edit", "edits", "step",
                        "action", "command", "everything", "done", "one",
                    ].contains($0)
                })
            {
                return UndoRequest(job: nil)
            }
        }
        // "revert whatever job 4 did": a job named in a short object
        if let verb = undoVerbs.first(where: { keys.starts(with: $0) }), keys.count <= verb.count + 6,
            let job = keys.firstIndex(of: "job"), job + 1 < keys.count,
            let number = SpokenWords.number(keys[job + 1], loose: true), number > 0,
            keys.dropFirst(verb.count).allSatisfy({
                undoObjectWords.contains($0) || ["whatever", "number", keys[job + 1]].contains($0)
            })
        {
            return UndoRequest(job: number)
        }
        // "undo job 12", "revert job number 12"
        var rest = keys[...]
        if let verb = undoVerbs.first(where: { Array(rest.prefix($0.count)) == $0 }) {
            rest = rest.dropFirst(verb.count)
            if rest.first == "job" { rest = rest.dropFirst() }
            if rest.first == "number" { rest = rest.dropFirst() }
            // "undo job four": a number said as a word too, once "job" says one comes
            if rest.count == 1, let job = SpokenWords.number(rest[rest.startIndex], loose: keys.contains("job")),
                job > 0
            {
                return UndoRequest(job: job)
            }
        }
        return nil
    }

    // MARK: "ask Claude to …"

    /// Ways a recogniser spells "Claude".
    static let claudeNames: Set<String> = ["claude", "claud", "clawed", "cloud", "clod", "clyde", "claudes"]
    static let claudeLeads: [[String]] = [
        ["ask", "*", "to"], ["ask", "*"], ["tell", "*", "to"], ["tell", "*"], ["have", "*"], ["get", "*", "to"],
        ["hey", "*"], ["ok", "*"], ["okay", "*"], ["*", "please"], ["*", "can", "you"], ["*", "could", "you"], ["*"],
    ]

    static func claudeRequest(_ words: SpokenWords) -> String? {
        let keys = words.keys
        for lead in claudeLeads where lead.count < keys.count {
            var matched = true
            for (index, word) in lead.enumerated() {
                let key = keys[index]
                if word == "*" ? !claudeNames.contains(key) : key != word {
                    matched = false
                    break
                }
            }
            if matched {
                let prompt = SpokenWords.trimmedPrompt(words.original(from: lead.count))
                return prompt.isEmpty ? nil : prompt
            }
        }
        return nil
    }

    // MARK: "tell me …"

    static func clockAnswer(_ keys: [String], now: Date) -> String? {
        let asksTime =
            keys == ["what", "time", "is", "it"] || keys == ["tell", "me", "the", "time"]
            || keys == ["whats", "the", "time"] || keys == ["what", "is", "the", "time"]
        let asksDate =
            keys == ["what", "day", "is", "it"] || keys == ["tell", "me", "the", "date"]
            || keys == ["whats", "the", "date"] || keys == ["what", "is", "the", "date"]
            || keys == ["what", "is", "todays", "date"]
        guard asksTime || asksDate else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = asksTime ? "h:mm a" : "EEEE, MMMM d"
        return asksTime ? "It is \(formatter.string(from: now))." : "Today is \(formatter.string(from: now))."
    }

    static let questionLeads: [[String]] = [
        ["tell", "me"], ["explain"], ["what", "does"], ["how", "does"], ["why", "does"], ["why", "is"],
        ["where", "is"], ["what", "is"], ["whats"], ["how", "do", "i"], ["can", "you", "explain"], ["describe"],
    ]

    /// Leads that ask about code whatever follows ("explain …", "how does …").
    static let codeQuestionLeads: Set<[String]> = [
        ["explain"], ["what", "does"], ["how", "does"], ["why", "does"], ["can", "you", "explain"], ["describe"],
    ]
    /// Words that put a broader question ("what is …", "tell me …") about the code.
    static let codeQuestionWords: Set<String> = codeNouns.union([
        "this", "function", "functions", "struct", "enum", "protocol", "type", "types", "variable", "method",
        "methods", "config", "configuration", "parser", "server", "swift", "python", "repo", "repository", "project",
        "codebase", "implementation", "implemented", "defined", "declared", "called", "used", "return", "returns",
        "algorithm", "logic", "dependency", "dependencies", "package", "library", "framework", "regex", "query",
        "schema", "database", "handler", "router", "route", "routes", "readme", "makefile",
    ])

    static func isQuestionAboutCode(_ keys: [String]) -> Bool {
        guard let lead = questionLeads.first(where: { keys.count > $0.count && Array(keys.prefix($0.count)) == $0 })
        else { return false }
        // "what's the weather like", "tell me a joke": small talk, not work
        return codeQuestionLeads.contains(lead)
            || keys.contains(where: { codeQuestionWords.contains($0) || $0.contains(".") })
    }

    // MARK: "run …" and coding requests

    /// The tools that are a project task by another name: "run swift test" is the test task, which
    /// the workspace's own recipe runs (mybro-exec picks it), not a guess at the command line.
    static let taskTools: [[String]: Intent.Task] = [
        ["swift", "test"]: .test, ["swift", "build"]: .build, ["swiftlint"]: .lint, ["swift", "lint"]: .lint,
        ["swift", "format"]: .format, ["swiftformat"]: .format, ["make", "test"]: .test, ["make", "lint"]: .lint,
        ["make", "format"]: .format, ["cargo", "test"]: .test, ["cargo", "build"]: .build, ["npm", "test"]: .test,
        ["pytest"]: .test, ["go", "test"]: .test, ["prettier"]: .format, ["black"]: .format, ["rustfmt"]: .format,
        ["gofmt"]: .format, ["clang", "format"]: .format, ["cargo", "fmt"]: .format, ["eslint"]: .lint,
        ["clippy"]: .lint, ["cargo", "clippy"]: .lint, ["ruff"]: .lint, ["flake8"]: .lint, ["pylint"]: .lint,
        ["jest"]: .test, ["vitest"]: .test, ["xctest"]: .test, ["swift", "run"]: .start, ["cargo", "run"]: .start,
        ["npm", "start"]: .start, ["go", "run"]: .start, ["npm", "run", "dev"]: .start, ["yarn", "start"]: .start,
    ]

    static func taskTool(_ words: SpokenWords) -> Intent.Task? {
        // Flags said with the tool ("swift build dash c release", "cargo build dash dash release")
        // and their values choose how, not which task.
        var keys: [String] = []
        var skipValue = false
        // (typed flags leave the command to be run as written: "run pytest --basetemp=/x")
        if !words.saidFlags, words.originals.contains(where: { $0.hasPrefix("-") }) { return nil }
        for (key, original) in zip(words.keys, words.originals) {
            if skipValue, ["release", "debug"].contains(key) {
                skipValue = false
                continue
            }
            skipValue = false
            if original.hasPrefix("-") {
                skipValue = ["-c", "--configuration"].contains(original)
                // what a filter names ("dash dash filter parser tests") is a part, not a task
                if ["--filter", "--skip", "-k", "--target", "--product", "--package", "-p"].contains(original) {
                    break
                }
                continue
            }
            keys.append(key)
        }
        var rest = keys[...]
        if let first = rest.first, ["run", "execute", "do"].contains(first) { rest = rest.dropFirst() }
        // "do the swift format thing", "run prettier": the tool's name, with its article and kind
        while let first = rest.first, ["the", "a", "our", "my", "that"].contains(first) { rest = rest.dropFirst() }
        while let last = rest.last, ["thing", "thingy", "tool", "command", "step", "again", "please"].contains(last) {
            rest = rest.dropLast()
        }
        if let task = taskTools[Array(rest)] { return task }
        // "run swiftlint over the project", "swift format on everything": the place is the workspace
        guard let place = rest.firstIndex(where: { ["over", "on", "across", "against", "for", "in"].contains($0) }),
            rest[place...].dropFirst().allSatisfy({ wholeWorkspaceWords.contains($0) || toolPlaceWords.contains($0) })
        else { return nil }
        return taskTools[Array(rest[..<place])]
    }

    /// Folders a tool is run over ("run swift format on the sources"): the project's task covers them.
    static let toolPlaceWords: Set<String> = ["sources", "source", "src", "tests", "lib", "app", "folder", "files"]

    /// Words that name the whole workspace, not a part of it ("the entire project").
    static let wholeWorkspaceWords: Set<String> = [
        "the", "whole", "entire", "project", "codebase", "code", "base", "repo", "repository", "workspace",
        "everything", "all", "of", "it", "tree", "altogether", "total", "here", "this", "thing", "our", "my", "root",
    ]

    static func explicitRun(_ words: SpokenWords) -> String? {
        guard let first = words.keys.first, ["run", "execute"].contains(first), words.keys.count >= 2 else {
            return nil
        }
        // "run the formatter over the sources" names a task, not a program called "the"
        if ["the", "a", "an", "my", "our", "this", "that", "some", "all", "your"].contains(words.keys[1]) {
            return nil
        }
        let command = SpokenWords.trimmedPrompt(words.original(from: 1))
        return command.isEmpty ? nil : command
    }

    static func isLiteralCommand(_ command: String) -> Bool {
        command.split(separator: " ").contains { word in
            word.hasPrefix("-") || word.contains(where: { "/=|<>$`~;&".contains($0) })
        }
    }

    static let codingVerbs: Set<String> = [
        "fix", "add", "write", "create", "implement", "refactor", "rename", "update", "change", "remove", "delete",
        "make", "move", "replace", "document", "optimize", "optimise", "clean", "improve", "generate", "convert",
        "port", "debug", "review", "commit", "edit", "split", "extract", "install", "upgrade", "migrate", "wrap",
        "inline", "introduce", "simplify", "rewrite", "restructure", "tweak", "adjust", "parallelize", "memoize",
        "sanitize", "validate", "annotate", "bump", "reorder", "deduplicate", "expose", "cache", "wire", "walk", "sort",
    ]

    static func isCodingRequest(_ keys: [String]) -> Bool {
        guard let first = keys.first, keys.count >= 2 else { return false }
        return codingVerbs.contains(first)
    }

    // MARK: matching helpers

    /// "Hey Sam, did you push your branch yet?": a greeting with a name the recogniser wrote
    /// capitalised, which is not the assistant's, is said to someone else in the room.
    public static func isSaidToSomeoneElse(_ transcript: String) -> Bool {
        let words = SpokenWords(transcript).withoutHesitations()
        let originals = words.originals
        guard originals.count >= 3, ["hey", "hi", "yo", "oi", "hello"].contains(words.keys.first ?? "") else {
            return false
        }
        // "Hello? Are you still there?": a greeting said as a sentence of its own names nobody
        if let end = originals[0].last, ".?!".contains(end) { return false }
        let name = originals[1].trimmingCharacters(in: .punctuationCharacters)
        guard let initial = name.unicodeScalars.first, CharacterSet.uppercaseLetters.contains(initial),
            name.dropFirst().allSatisfy({ $0.isLowercase })
        else { return false }
        let notPeople: Set<String> = [
            "mybro", "bro", "computer", "assistant", "there", "guys", "team", "everyone", "all", "folks", "you",
            "so", "can", "could", "please", "what", "how", "is", "do", "i", "run", "show", "just",
        ]
        return !notPeople.contains(name.lowercased())
    }

    static func matchesAny(_ keys: [String], _ phrases: [[String]]) -> Bool {
        phrases.contains { phrase in
            phrase.count == keys.count && zip(phrase, keys).allSatisfy { expected, heard in similar(expected, heard) }
        }
    }

    /// Equal, or one edit apart when the word is long enough for a slip to be unambiguous.
    static func similar(_ expected: String, _ heard: String) -> Bool {
        if expected == heard { return true }
        guard expected.count >= 5, heard.count >= 4 else { return false }
        return EditDistance.atMostOne(expected, heard)
    }

    static func fuzzyContains(_ words: Set<String>, _ heard: String) -> Bool {
        words.contains { similar($0, heard) }
    }
}

enum EditDistance {
    /// True when `a` and `b` differ by at most one insertion, deletion or substitution.
    static func atMostOne(_ a: String, _ b: String) -> Bool {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if abs(x.count - y.count) > 1 { return false }
        var i = 0, j = 0, edits = 0
        while i < x.count && j < y.count {
            if x[i] == y[j] {
                i += 1
                j += 1
                continue
            }
            edits += 1
            if edits > 1 { return false }
            if x.count > y.count {
                i += 1
            } else if y.count > x.count {
                j += 1
            } else {
                i += 1
                j += 1
            }
        }
        return edits + (x.count - i) + (y.count - j) <= 1
    }
}
