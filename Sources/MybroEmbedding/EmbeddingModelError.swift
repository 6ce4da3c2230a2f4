import MybroCore

/// Why a sentence-embedding model could not be loaded.
public enum EmbeddingModelError: Error, CustomStringConvertible, Equatable {
    /// A file the model needs is not there.
    case missing(String)
    /// A file is there but does not hold what a BERT model needs.
    case malformed(String)

    public var description: String {
        switch self {
        case .missing(let path): "no sentence-embedding model file \(path)"
        case .malformed(let detail): "the sentence-embedding model is malformed: \(detail)"
        }
    }

    /// 66 (no input) for a missing model, 65 (data error) for a broken one.
    public var exitStatus: ExitStatus {
        switch self {
        case .missing: .noInput
        case .malformed: .dataError
        }
    }
}
