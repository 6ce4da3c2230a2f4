import Foundation
import MybroCore

/// The price a paid `mybro-gpu run|launch` would cost, asked of `mybro-gpu offers` before the
/// spoken question, so that a yes is always a yes to a named price.
struct GPUQuote {
    /// What the question says and what the `confirm` record carries.
    var sentence: String
    var fields: JSONObject

    /// Seconds the price may take to come; without it the question says the price is unknown.
    static let timeout = 6.0
    /// mybro-gpu's own cap when a command names none (its `--budget` default).
    static let defaultBudget = "10"

    /// The constraint options of `run` and `launch` that `offers` takes too.
    static let constraintOptions: Set<String> = [
        "--gpu", "--count", "--min-vram", "--region", "--prefer-region", "--max-price", "--cloud", "--sort",
    ]
    static let constraintFlags: Set<String> = ["--nvlink", "--spot"]

    /// The arguments of a `mybro-gpu run|launch` call, when the command is one (and gets the key).
    static func paidLaunch(_ command: String, policy: SafetyPolicy, workspace: String) -> [String]? {
        guard policy.credentialedTool(forCommand: command, workspace: workspace) == "mybro-gpu",
            let script = try? ShellParser.parse(command, home: SafetyPolicy.home, workspace: workspace),
            case .simple(let simple) = script.pipelines.first?.commands.first
        else { return nil }
        let words = simple.words.compactMap(\.value)
        guard words.count >= 2, ["run", "launch"].contains(words[1]) else { return nil }
        // The remote command after "--" is not mybro-gpu's to read.
        return Array(words.dropFirst(2).prefix { $0 != "--" })
    }

    /// `offers` arguments for the same constraints, and the budget the call names.
    static func offerQuery(_ arguments: [String]) -> (query: [String], budget: String, count: Int?) {
        var query: [String] = []
        var budget = defaultBudget
        var count: Int?
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            let (name, inline) =
                word.firstIndex(of: "=").map { (String(word[..<$0]), String(word[word.index(after: $0)...])) }
                ?? (word, nil)
            let value = inline ?? (index + 1 < arguments.count ? arguments[index + 1] : nil)
            let step = inline == nil && value != nil ? 2 : 1
            if constraintOptions.contains(name), let value {
                query += [name, value]
                if name == "--count" { count = Int(value) }
                index += step
            } else if name == "--budget", let value {
                budget = value
                index += step
            } else {
                if constraintFlags.contains(word) { query.append(word) }
                index += 1
            }
        }
        return (query, budget, count)
    }

    /// Asks `mybro-gpu offers` for the best matching offer (with the key, nothing else of ours)
    /// and words the question; an answer that does not come in time leaves the price unknown.
    static func quote(arguments: [String], environment: [String: String]) -> GPUQuote {
        let (query, budget, count) = offerQuery(arguments)
        var fields = JSONObject()
        fields["budget"] = .string(budget)
        let cap = "\(spokenDollars(budget)) at most"
        var offer: JSONObject?
        // It runs here, outside any sandbox, with the key: the installed mybro-gpu only.
        var environment = environment
        environment["PATH"] = TrustedPath.shared.path
        if let gpu = TrustedPath.shared.program("mybro-gpu"),
            let captured = try? ChildProcess.capture(
                arguments: [gpu, "offers"] + query + [
                    "--format", "json", "--limit", "1", "--retries", "0", "--request-timeout", "5", "-q",
                ], environment: environment, timeout: timeout), !captured.timedOut, captured.status == 0
        {
            let first = String(decoding: captured.stdout, as: UTF8.self).split(separator: "\n").first.map(String.init)
            offer = first.flatMap { try? JSONParser.parse($0) }?.objectValue
        }
        guard let offer, let cents = offer["hourly_cents"]?.intValue, let type = offer["gpu_type"]?.stringValue
        else {
            fields["hourly_price"] = .null
            let board = count.map { "\(spokenCount($0)) GPUs" } ?? "a cloud GPU"
            return GPUQuote(
                sentence: "This rents \(board), and I could not get the price: \(cap). Say yes to go ahead.",
                fields: fields)
        }
        let gpus = offer["gpus"]?.intValue ?? count ?? 1
        if let id = offer["id"]?.stringValue { fields["offer"] = .string(id) }
        fields["hourly_price"] = offer["hourly_price"] ?? .null
        fields["hourly_cents"] = .number(Double(cents))
        let hourly = spokenDollars(cents: cents)
        return GPUQuote(
            sentence: "This rents \(spokenCount(gpus)) \(type)\(gpus == 1 ? "" : "s") at \(hourly) an hour, \(cap). "
                + "Say yes to go ahead.",
            fields: fields)
    }

    static func spokenCount(_ count: Int) -> String {
        let words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight"]
        return count >= 0 && count < words.count ? words[count] : String(count)
    }

    /// 249 cents as "2 dollars 49", 1000 as "10 dollars", 50 as "50 cents".
    static func spokenDollars(cents: Int) -> String {
        let dollars = cents / 100, rest = cents % 100
        if dollars == 0 { return "\(rest) cents" }
        let unit = dollars == 1 ? "dollar" : "dollars"
        return rest == 0 ? "\(dollars) \(unit)" : "\(dollars) \(unit) \(rest)"
    }

    static func spokenDollars(_ text: String) -> String {
        guard let value = Decimal(string: text), value >= 0, value < 1_000_000 else { return "\(text) dollars" }
        var rounded = Decimal(), scaled = value * 100
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        return spokenDollars(cents: NSDecimalNumber(decimal: rounded).intValue)
    }
}
