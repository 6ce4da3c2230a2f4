// swift-tools-version: 6.0
import PackageDescription

// Every dependency must pay for itself: CI builds from scratch on 2 cores.
// swift-argument-parser gives --help, man pages and completions from one definition.
let package = Package(
    name: "mybro",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mybro", targets: ["mybro"]),
        .executable(name: "mybro-capture", targets: ["mybro-capture"]),
        .executable(name: "mybro-say", targets: ["mybro-say"]),
        .executable(name: "mybro-listen", targets: ["mybro-listen"]),
        .library(name: "MybroVAD", targets: ["MybroVAD"]),
        .executable(name: "mybro-vad", targets: ["mybro-vad"]),
        // exec
        .executable(name: "mybro-intent", targets: ["mybro-intent"]),
        .executable(name: "mybro-exec", targets: ["mybro-exec"]),
        // mybro-transcribe (whisper branch)
        .executable(name: "mybro-transcribe", targets: ["mybro-transcribe"]),
        .library(name: "MybroWhisper", targets: ["MybroWhisper"]),
        // mybro-kernel: float32 kernels on the CPU (SIMD, threads) and a GPU (Vulkan).
        .library(name: "MybroKernels", targets: ["MybroKernels"]),
        .executable(name: "mybro-kernel", targets: ["mybro-kernel"]),
        // mybro-doctor: the codebase doctor (secrets, security, technology rules, health).
        .executable(name: "mybro-doctor", targets: ["mybro-doctor"]),
        // mybro-gpu: cloud GPUs through Shadeform (gpu branch).
        .executable(name: "mybro-gpu", targets: ["mybro-gpu"]),
        // status: the live dashboard and log service; the only product that links SwiftNIO.
        .executable(name: "mybro-status", targets: ["mybro-status"]),
        // mybro-bench: the hardware report, regressions and the compute-routing rules.
        .executable(name: "mybro-bench", targets: ["mybro-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // exec: job history in SQLite (the project's chosen SQLite library).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // status: Hummingbird and its WebSocket upgrade, linked by mybro-status alone. They add about
        // 4 minutes (250 s wall, 175 s CPU; shared 2-core machine) to a clean debug build (README).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
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
            dependencies: ["CMybroProcess", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Sound card, audio files, resampling.
        .target(name: "MybroAudio", dependencies: ["MybroCore", "CALSA", "CSndFile", "CSoxr"]),
        // Speech synthesis with espeak-ng.
        .target(name: "MybroSpeech", dependencies: ["MybroCore", "MybroAudio", "CEspeakNG"]),

        // The voice loop: runs the stages as one pipeline.
        .target(name: "MybroLoop", dependencies: ["MybroCore"]),
        .executableTarget(
            name: "mybro-listen",
            dependencies: [
                "MybroCore", "MybroLoop", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "mybro",
            dependencies: ["MybroCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "mybro-capture",
            dependencies: [
                "MybroAudio", "MybroCore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "mybro-say",
            dependencies: [
                "MybroCore", "MybroAudio", "MybroSpeech",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Runs the built commands from tests (end-to-end pipelines); never shipped.
        .target(name: "MybroTestSupport", dependencies: ["MybroCore"], path: "Sources/MybroTestSupport"),

        .testTarget(name: "MybroCoreTests", dependencies: ["MybroCore", "MybroTestSupport"]),
        .testTarget(
            name: "MybroAudioTests", dependencies: ["MybroAudio", "MybroCore", "CSndFile", "MybroTestSupport"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "MybroTestSupport", "MybroWhisper", "MybroEmbedding", "mybro", "mybro-capture", "mybro-say",
                "mybro-vad",
                "mybro-transcribe",
                "mybro-intent", "mybro-exec", "mybro-listen", "mybro-doctor", "mybro-kernel", "mybro-bench",
            ]
        ),

        // mybro-vad: WebRTC's VAD in Swift (bit-exact) and the utterance segmenter.
        // CWebRTCVADReference is the C library as a test oracle only; the product never links it.
        .target(name: "MybroVAD", dependencies: ["MybroCore", "MybroKernels"]),
        .executableTarget(
            name: "mybro-vad",
            dependencies: ["MybroVAD", "MybroCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .systemLibrary(name: "CWebRTCVADReference", providers: [.apt(["libwebrtc-audio-processing-dev"])]),
        .testTarget(
            name: "MybroVADTests", dependencies: ["MybroVAD", "mybro-vad", "CWebRTCVADReference", "MybroTestSupport"]
        ),

        // exec: understanding a request (mybro-intent) and acting on it safely (mybro-exec).
        // Sentence embeddings (all-MiniLM-L6-v2 over OpenBLAS): paraphrases the grammar misses.
        .target(name: "MybroEmbedding", dependencies: ["MybroCore", "COpenBLAS", "CMybroKernels"]),
        .target(name: "MybroIntent", dependencies: ["MybroCore", "MybroRules", "MybroEmbedding"]),
        .target(name: "MybroStore", dependencies: ["MybroCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "MybroExec", dependencies: ["MybroCore", "MybroStore", "CMybroScan"]),
        .executableTarget(
            name: "mybro-intent",
            dependencies: ["MybroIntent", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(
            name: "mybro-exec",
            dependencies: ["MybroExec", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "MybroIntentTests", dependencies: ["MybroIntent", "MybroTestSupport"]),
        .testTarget(name: "MybroEmbeddingTests", dependencies: ["MybroEmbedding", "MybroTestSupport"]),
        .testTarget(
            name: "MybroExecTests",
            dependencies: [
                "MybroExec", "MybroStore", "MybroTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(
            name: "IntentExecEndToEndTests",
            dependencies: ["mybro-intent", "mybro-exec", "MybroStore", "MybroTestSupport"]),

        // mybro-transcribe: Whisper in Swift over OpenBLAS (whisper branch).
        .systemLibrary(name: "CFFTW3", pkgConfig: "fftw3f", providers: [.apt(["libfftw3-dev"])]),
        // Half-float products for the decoder's memory-bound steps and vectorised softmax/GELU
        // for the encoder (AVX2/F16C/FMA chosen at run time, portable code otherwise).
        .target(name: "CMybroKernels"),
        // posix_spawn actions, prctl, Landlock and the job keeper (code that runs between fork and exec).
        .target(name: "CMybroProcess"),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "MybroWhisper",
            dependencies: ["MybroCore", "MybroAudio", "COpenBLAS", "CFFTW3", "MybroKernels", "CZlib"]),
        .executableTarget(
            name: "mybro-transcribe",
            dependencies: [
                "MybroWhisper", "MybroCore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Depends on the executable so the end-to-end tests find it built.
        .testTarget(
            name: "MybroWhisperTests",
            dependencies: ["MybroWhisper", "MybroCore", "MybroTestSupport", "mybro-transcribe"]),

        // mybro-kernel: the kernels (C SIMD bodies in CMybroKernels) with a typed Swift API.
        // Vulkan compute, with libvulkan opened at run time (headers from libvulkan-dev).
        .target(name: "CMybroVulkan", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "MybroKernels", dependencies: ["CMybroKernels", "CMybroVulkan"]),
        .executableTarget(
            name: "mybro-kernel",
            dependencies: [
                "MybroKernels", "MybroCore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(
            name: "MybroKernelsTests",
            dependencies: ["MybroKernels", "MybroTestSupport", "mybro-kernel", "mybro-capture"]),

        // mybro-doctor: the scanner and checks (MybroDoctor, with glibc's memmem from CMybroScan); the rules file that
        // mybro-intent shares lives in MybroRules, which carries no scanner.
        .target(name: "MybroRules", dependencies: ["MybroCore"]),
        // CMybroScan also walks a workspace for git repositories by bytes, for mybro-exec.
        .target(name: "CMybroScan"),
        .target(name: "MybroDoctor", dependencies: ["MybroCore", "MybroRules", "CMybroScan"]),
        .executableTarget(
            name: "mybro-doctor",
            dependencies: [
                "MybroDoctor", "MybroCore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(
            name: "MybroDoctorTests", dependencies: ["MybroDoctor", "MybroRules", "mybro-doctor", "MybroTestSupport"]),
        // mybro-gpu: Shadeform client, offer selection, the SQLite ledger, lifecycle, reaper, SSH runner.
        .target(name: "MybroGPU", dependencies: ["MybroCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .executableTarget(
            name: "mybro-gpu",
            dependencies: ["MybroGPU", "MybroCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(
            name: "MybroGPUTests",
            dependencies: ["MybroGPU", "MybroCore", "MybroTestSupport", "mybro-gpu"]),
        // status: the dashboard (7777) and log service (7778). MybroStatus is the server, used by
        // mybro-status only, so SwiftNIO stays out of every other target.
        .target(
            name: "MybroStatus",
            dependencies: [
                "MybroCore", "MybroStore", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]),
        .executableTarget(
            name: "mybro-status",
            dependencies: ["MybroStatus", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(
            name: "MybroStatusTests",
            dependencies: [
                "MybroStatus", "MybroStore", "MybroWhisper", "mybro-status", "mybro-listen", "mybro-intent",
                "mybro-capture", "mybro-vad", "mybro-transcribe", "mybro-exec", "mybro-say", "MybroTestSupport",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // mybro-bench: detection and measurements (STREAM-style loops in CMybroBench, sgemm through
        // OpenBLAS), the report, comparisons and routing.
        .target(name: "CMybroBench", dependencies: ["CMybroKernels"], cSettings: [.unsafeFlags(["-O3"])]),
        .target(
            name: "MybroBench",
            dependencies: ["MybroCore", "MybroKernels", "MybroVAD", "CMybroBench", "CMybroVulkan", "COpenBLAS"]),
        .executableTarget(
            name: "mybro-bench",
            dependencies: [
                "MybroBench", "MybroCore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(
            name: "MybroBenchTests",
            dependencies: ["MybroBench", "MybroCore", "MybroKernels", "MybroTestSupport", "mybro-bench", "mybro-gpu"]),
    ],
    swiftLanguageModes: [.v6]
)
