import Foundation
import MybroCore
import Testing

@testable import MybroWhisper

@Suite struct ModelLoadingTests {
    func status(of directory: String) -> (MybroCore.ExitStatus?, String) {
        do {
            _ = try WhisperModel.load(directory: directory)
            return (nil, "")
        } catch let error as MybroError {
            return (error.status, error.message)
        } catch {
            return (.software, "\(error)")
        }
    }

    @Test func loadsARandomModelAndInfersItsArchitecture() throws {
        let directory = try TinyModel.write(to: TinyModel.temporaryDirectory())
        let model = try WhisperModel.load(directory: directory)
        #expect(model.architecture == TinyModel.architecture)
        #expect(model.vocabulary.special.endOfText == 256)
        #expect(model.vocabulary.special.timestampBegin == 265)
        #expect(model.config.suppressAtBegin == [220, 256])
    }

    @Test func float32AndFloat16FilesGiveTheSameWeights() throws {
        let half = try WhisperModel.load(directory: TinyModel.write(to: TinyModel.temporaryDirectory()))
        let single = try WhisperModel.load(directory: TinyModel.write(
            to: TinyModel.temporaryDirectory(), modelBin: TinyModel.modelBin(TinyModel.variables(float32: true))))
        let a = half.weights.encoderLayers[0].feedForwardIn.weight
        let b = single.weights.encoderLayers[0].feedForwardIn.weight
        #expect(a.count == b.count)
        #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-3 * max(1, abs($1)) })
    }

    @Test func int8WeightsWithScalesAreDequantised() throws {
        var variables = TinyModel.variables(float32: true)
        let name = "decoder/layer_0/ffn/linear_1/weight"
        let index = variables.firstIndex { $0.name == name }!
        let rows = variables[index].shape[0], columns = variables[index].shape[1]
        variables[index].code = 1
        variables[index].payload = (0..<rows * columns).map { UInt8(bitPattern: Int8($0 % 11 - 5)) }
        var scales: [UInt8] = []
        for _ in 0..<rows { withUnsafeBytes(of: Float(10).bitPattern.littleEndian) { scales += $0 } }
        variables.append(.init(name: "decoder/layer_0/ffn/linear_1/weight_scale", shape: [rows], code: 0, payload: scales))
        let directory = try TinyModel.write(to: TinyModel.temporaryDirectory(),
                                            modelBin: TinyModel.modelBin(variables.sorted { $0.name < $1.name }))
        let model = try WhisperModel.load(directory: directory)
        let weight = model.weights.decoderLayers[0].feedForwardOut.weight
        #expect(weight[0] == -0.5)
        #expect(weight[7] == 0.2)
    }

    @Test func aMissingDirectoryOrFileIsStatus66() throws {
        let (status, message) = status(of: "/nonexistent/mybro-model")
        #expect(status == .noInput)
        #expect(message.contains("make setup"))
        let directory = try TinyModel.write(to: TinyModel.temporaryDirectory())
        try FileManager.default.removeItem(atPath: directory + "/model.bin")
        let missing = self.status(of: directory).0
        #expect(missing == .noInput)
    }

    @Test(arguments: [0, 3, 10, 40, 60, 1000, 20_000])
    func aTruncatedFileIsStatus65(keeping bytes: Int) throws {
        let full = TinyModel.modelBin(TinyModel.variables())
        let directory = try TinyModel.write(to: TinyModel.temporaryDirectory(), modelBin: Array(full.prefix(bytes)))
        let (status, message) = status(of: directory)
        #expect(status == .dataError, "\(message)")
        #expect(bytes == 0 ? message.contains("empty") : message.contains("truncated"), "\(message)")
    }

    @Test func aFileCutAtItsLastByteIsStatus65() throws {
        let full = TinyModel.modelBin(TinyModel.variables())
        let directory = try TinyModel.write(to: TinyModel.temporaryDirectory(), modelBin: Array(full.dropLast()))
        let cut = status(of: directory).0
        #expect(cut == .dataError)
    }

    @Test func wrongMagicVersionOrTrailingBytesAreStatus65() throws {
        let garbage = [UInt8]("this is not a model file at all, just text".utf8)
        var (status, message) = status(of: try TinyModel.write(to: TinyModel.temporaryDirectory(), modelBin: garbage))
        #expect(status == .dataError)
        #expect(message.contains("version"))
        (status, message) = self.status(of: try TinyModel.write(
            to: TinyModel.temporaryDirectory(), modelBin: TinyModel.modelBin(TinyModel.variables(), version: 2)))
        #expect(status == .dataError)
        (status, message) = self.status(of: try TinyModel.write(
            to: TinyModel.temporaryDirectory(), modelBin: TinyModel.modelBin(TinyModel.variables()) + [1, 2, 3]))
        #expect(status == .dataError)
        #expect(message.contains("unexpected bytes"))
    }

    @Test func aShapeMismatchNamesTheTensor() throws {
        var variables = TinyModel.variables()
        let index = variables.firstIndex { $0.name == "encoder/layer_0/ffn/linear_0/bias" }!
        variables[index].shape = [15]
        variables[index].payload = Array(variables[index].payload.prefix(30))
        let (status, message) = status(of: try TinyModel.write(
            to: TinyModel.temporaryDirectory(), modelBin: TinyModel.modelBin(variables)))
        #expect(status == .dataError)
        #expect(message.contains("encoder/layer_0/ffn/linear_0/bias") && message.contains("shape"), "\(message)")
    }

    @Test func aMissingTensorOrWrongTypeIsStatus65() throws {
        var variables = TinyModel.variables()
        variables.removeAll { $0.name == "decoder/layer_0/attention/linear_2/bias" }
        var (status, message) = status(of: try TinyModel.write(
            to: TinyModel.temporaryDirectory(), modelBin: TinyModel.modelBin(variables)))
        #expect(status == .dataError)
        #expect(message.contains("decoder/layer_0/attention/linear_2/bias is missing"), "\(message)")

        variables = TinyModel.variables()
        let index = variables.firstIndex { $0.name == "decoder/layer_norm/beta" }!
        variables[index].code = 3  // int32: 8 elements × 4 bytes
        variables[index].payload = [UInt8](repeating: 0, count: 32)
        (status, message) = self.status(of: try TinyModel.write(
            to: TinyModel.temporaryDirectory(), modelBin: TinyModel.modelBin(variables)))
        #expect(status == .dataError)
        #expect(message.contains("int32"), "\(message)")
    }

    @Test func aByteCountThatDisagreesWithTheShapeIsStatus65() throws {
        var variables = TinyModel.variables()
        let index = variables.firstIndex { $0.name == "encoder/conv1/bias" }!
        variables[index].payload += [0, 0]
        let (status, message) = status(of: try TinyModel.write(
            to: TinyModel.temporaryDirectory(), modelBin: TinyModel.modelBin(variables)))
        #expect(status == .dataError)
        #expect(message.contains("encoder/conv1/bias"), "\(message)")
    }

    @Test func lookupOrderIsOptionThenEnvironmentThenDataHome() {
        let environment = ["HOME": "/home/u", "MYBRO_MODEL": "/models/env"]
        #expect(ModelDirectory.resolve(option: "/models/option", environment: environment) == "/models/option")
        #expect(ModelDirectory.resolve(option: nil, environment: environment) == "/models/env")
        #expect(ModelDirectory.resolve(option: nil, environment: ["HOME": "/home/u"])
                    == "/home/u/.local/share/mybro/models/whisper-tiny.en")
        #expect(ModelDirectory.resolve(option: nil, environment: ["HOME": "/home/u", "XDG_DATA_HOME": "/xdg"])
                    == "/xdg/mybro/models/whisper-tiny.en")
    }

    @Test(arguments: [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x8000, 0x3555, 0x7C00])
    func halfFloatsDecodeExactly(bits: Int) {
        let expected = Float(Float16(bitPattern: UInt16(bits)))
        #expect(HalfFloat.decode(UInt16(bits)) == expected)
    }
}
