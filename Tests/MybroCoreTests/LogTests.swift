import Foundation
import MybroTestSupport
import Testing

@testable import MybroCore

@Suite(.serialized) struct LogTests {
    @Test func appendsJSONLinesToARotatingFile() throws {
        let directory = try temporaryDirectory()
        let path = directory + "/pipeline.log"
        let file = RotatingLogFile(path: path, maxBytes: 2_000, keep: 2)
        for index in 0..<100 {
            file.append(Log.jsonLine(tool: "mybro-test", level: .info, message: "message \(index)"))
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(names == ["pipeline.log", "pipeline.log.1", "pipeline.log.2"])
        for name in names {
            let text = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
            #expect(text.utf8.count <= 2_000)
            for line in text.split(separator: "\n") {
                let object = try #require(try JSONParser.parse(String(line)).objectValue)
                #expect(object["tool"] == "mybro-test")
                #expect(object["level"] == "info")
            }
        }
        let newest = try String(contentsOfFile: path, encoding: .utf8)
        #expect(newest.contains("message 99"))
    }

    @Test func exitStatusTableListsEveryStatus() {
        let table = ExitStatus.manualTable
        for status in ExitStatus.allCases { #expect(table.contains(" \(status.rawValue) ")) }
    }
}
