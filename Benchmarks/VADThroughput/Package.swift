// swift-tools-version: 6.0
import PackageDescription

// Throughput of mybro's Swift WebRTC VAD against the C library, in one process on the same
// audio. A separate package so the C library never reaches mybro's products.
let package = Package(
    name: "VADThroughput",
    dependencies: [.package(name: "mybro", path: "../..")],
    targets: [
        .systemLibrary(name: "CWebRTCVAD", providers: [.apt(["libwebrtc-audio-processing-dev"])]),
        .executableTarget(
            name: "vad-throughput",
            dependencies: ["CWebRTCVAD", .product(name: "MybroVAD", package: "mybro")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
