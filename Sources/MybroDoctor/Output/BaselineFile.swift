import Foundation
import MybroCore

/// Baselines: one fingerprint a line (what --write-baseline writes), or JSON Lines output of an
/// earlier run (its findings' fingerprint fields); blank lines and # comments are skipped.
public enum BaselineFile {
    public static func read(_ path: String) throws(MybroError) -> Set<String> {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MybroError("cannot read the baseline \(path): check the path", status: .noInput)
        }
        var fingerprints: Set<String> = []
        for (index, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("{") {
                guard case .object(let object) = try? JSONParser.parse(line) else {
                    throw MybroError("\(path):\(index + 1): not a JSON object", status: .dataError)
                }
                if let fingerprint = object["fingerprint"]?.stringValue { fingerprints.insert(fingerprint) }
            } else if line.count == 16, line.allSatisfy(\.isHexDigit) {
                fingerprints.insert(line)
            } else {
                throw MybroError(
                    "\(path):\(index + 1): expected a 16-digit fingerprint or a JSON record", status: .dataError)
            }
        }
        return fingerprints
    }

    public static func write(_ findings: [Finding], to path: String) throws(MybroError) {
        var text = "# mybro-doctor baseline: fingerprints of accepted findings (check, file, evidence)\n"
        for fingerprint in Set(findings.map(\.fingerprint)).sorted() { text += fingerprint + "\n" }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw MybroError("cannot write the baseline \(path): \(error.localizedDescription)", status: .ioError)
        }
    }
}
