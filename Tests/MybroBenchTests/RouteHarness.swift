import Foundation
import MybroCore
import MybroTestSupport

/// Runs `mybro-bench route` in shell pipelines, as a user would: with offers from the committed
/// fixture, from `mybro-gpu offers` against the fake Shadeform server, or from a given text.
enum RouteHarness {
    static let fixtures = BuiltCommands.packageRoot + "/Tests/Fixtures/bench"
    static let profile = fixtures + "/profile.jsonl"
    static let fixtureOffers = fixtures + "/offers.jsonl"

    enum Offers: Sendable {
        case none
        /// The committed offer records (Tests/Fixtures/bench/offers.jsonl), then the input.
        case fixture
        /// `mybro-gpu offers ARGS --format json` against the fake Shadeform server's catalog.
        case fake([String])
        /// These lines on stdin.
        case text(String)
    }

    enum Profile: Sendable {
        case fixture
        case missing
        case text(String)
    }

    /// The fake server, started inside the script and killed by its EXIT trap; its port is polled
    /// for (the server prints it on its first line).
    static func fakeOffersCommand(_ arguments: [String]) -> String {
        let server = shellQuoted(BuiltCommands.packageRoot + "/Tests/Fixtures/fake-shadeform/server.py")
        let extra = arguments.map(shellQuoted).joined(separator: " ")
        return """
            # SIGKILL: the test process blocks SIGTERM in its threads, and children inherit the mask.
            fake=$(mktemp -d); python3 \(server) --key route-test-key >"$fake/port" 2>"$fake/log" & fakepid=$!
            trap 'kill -9 $fakepid 2>/dev/null; rm -rf "$fake"' EXIT
            tries=0; while [ ! -s "$fake/port" ] && [ $tries -lt 400 ]; do sleep 0.05; tries=$((tries+1)); done
            export SHADEFORM_API_KEY=route-test-key SHADEFORM_API_URL="http://127.0.0.1:$(head -n 1 "$fake/port")/v1"
            mybro-gpu offers \(extra) --format json |
            """
    }

    /// Runs `mybro-bench route ARGUMENTS --format json` with the offers on stdin.
    static func route(
        _ arguments: [String], offers: Offers = .none, profile: Profile = .fixture, input: Data = Data()
    ) throws -> CommandResult {
        try withTemporaryDirectory("mybro-route") { scratch in
            var words = arguments
            switch profile {
            case .fixture: words += ["--profile", Self.profile]
            case .missing: words += ["--profile", scratch + "/no-profile.jsonl"]
            case .text(let text):
                try text.write(toFile: scratch + "/profile.jsonl", atomically: true, encoding: .utf8)
                words += ["--profile", scratch + "/profile.jsonl"]
            }
            let route = "mybro-bench route " + words.map(shellQuoted).joined(separator: " ") + " --format json"
            let script: String
            switch offers {
            case .none: script = route
            case .fixture: script = "(cat " + shellQuoted(fixtureOffers) + "; cat) | " + route
            case .fake(let filters): script = fakeOffersCommand(filters) + " " + route
            case .text(let text):
                try text.write(toFile: scratch + "/offers.jsonl", atomically: true, encoding: .utf8)
                script = route + " < " + shellQuoted(scratch + "/offers.jsonl")
            }
            return try shell(script, input: input, environment: ["XDG_STATE_HOME": scratch + "/state"], timeout: 60)
        }
    }

    /// The records of a run's stdout.
    static func records(_ result: CommandResult) -> [JSONObject] {
        result.stdoutLines.compactMap { try? JSONParser.parse($0).objectValue }
    }

    static func choice(_ result: CommandResult) -> JSONObject? {
        records(result).last { $0["type"]?.stringValue == "route_choice" }
    }

    static func options(_ result: CommandResult) -> [JSONObject] {
        records(result).filter { $0["type"]?.stringValue == "route_option" }
    }
}
