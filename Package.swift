// swift-tools-version: 6.0
import PackageDescription

// Every dependency must pay for itself: CI builds from scratch on 2 cores.
// swift-argument-parser gives --help, man pages and completions from one definition.
let package = Package(
    name: "mybro",
    platforms: [.macOS(.v13)],
    products: [
        // mybro-transcribe (whisper branch)
        .executable(name: "mybro-transcribe", targets: ["mybro-transcribe"]),
        .library(name: "MybroWhisper", targets: ["MybroWhisper"]),
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

        // mybro-transcribe: Whisper in Swift over OpenBLAS (whisper branch).
        .systemLibrary(name: "CFFTW3", pkgConfig: "fftw3f", providers: [.apt(["libfftw3-dev"])]),
        // Half-float products for the decoder's memory-bound steps (AVX2/F16C where available).
        .target(name: "CMybroHalf"),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "MybroWhisper",
            dependencies: ["MybroCore", "COpenBLAS", "CFFTW3", "CSndFile", "CSoxr", "CMybroHalf", "CZlib"]),
        .executableTarget(
            name: "mybro-transcribe",
            dependencies: ["MybroWhisper", "MybroCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // Depends on the executable so the end-to-end tests find it built.
        .testTarget(name: "MybroWhisperTests", dependencies: ["MybroWhisper", "MybroCore", "mybro-transcribe"]),
    ],
    swiftLanguageModes: [.v6]
)
