import Foundation
import MybroCore
import MybroEmbedding

/// Loads the paraphrase matcher for mybro-intent: the sentence-embedding model and the
/// example requests' embeddings (cached under ~/.cache/mybro). Without a model the offline
/// backend is the grammar alone, as before the model existed: a model that is simply not
/// installed is a debug line (stderr stays as quiet as before; -v shows it); one that was
/// named, or is installed but broken, a warning.
public enum ParaphraseModel {
    public static func load(
        option: String?, explicit: Bool, log: Log,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> ParaphraseMatcher? {
        let directory = EmbeddingModelDirectory.resolve(option: option, environment: environment)
        let named = explicit || environment[EmbeddingModelDirectory.environmentVariable]?.isEmpty == false
        if !named && !EmbeddingModelDirectory.isInstalled(directory) {
            log.debug(
                "no sentence-embedding model in \(directory): the grammar alone reads requests "
                    + "(make setup installs one)")
            return nil
        }
        let start = monotonicNow()
        do {
            let embedder = try SentenceEmbedder(directory: directory)
            let loaded = monotonicNow()
            let matcher = ParaphraseMatcher(
                embedder: embedder, cacheDirectory: XDGDirectories.mybro(.cache, environment: environment))
            log.debug(
                String(
                    format: "sentence-embedding model loaded in %.0f ms, example requests in %.0f ms",
                    (loaded - start) * 1000, (monotonicNow() - loaded) * 1000))
            return matcher
        } catch {
            log.warning("\(error); the grammar alone reads requests (--no-embedding silences this)")
            return nil
        }
    }
}
