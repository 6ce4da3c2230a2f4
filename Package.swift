// swift-tools-version: 6.0
import PackageDescription

// Every dependency must pay for itself: CI builds from scratch on 2 cores.
// swift-argument-parser gives --help, man pages and completions from one definition.
let package = Package(
    name: "mybro",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mybro-capture", targets: ["mybro-capture"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        // C libraries, found through pkg-config.
        .systemLibrary(name: "CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CEspeakNG", pkgConfig: "espeak-ng", providers: [.apt(["libespeak-ng-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CSoxr", pkgConfig: "soxr", providers: [.apt(["libsoxr-dev"])]),

        // The stream protocol and CLI conventions every command shares.
        .target(
            name: "MybroCore",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "MybroCoreTests", dependencies: ["MybroCore"]),

        // Audio: ALSA capture, file decoding (libsndfile), resampling (libsoxr), WAV output.
        .target(name: "MybroAudio", dependencies: ["MybroCore", "CALSA", "CSndFile", "CSoxr"]),
        .executableTarget(
            name: "mybro-capture",
            dependencies: ["MybroAudio", "MybroCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "MybroAudioTests", dependencies: ["MybroAudio", "MybroCore"]),
        .testTarget(name: "CaptureEndToEndTests", dependencies: ["mybro-capture"]),
    ],
    swiftLanguageModes: [.v6]
)
