import Foundation
import SluiceCore

extension SourceFetcher {
    /// `fetch` for an HTTP request's sake: failures become `RequestError`s naming `field`.
    func fetchForRequest(_ source: DataSource, to file: URL, field: String) async throws -> FetchedFile {
        do {
            return try await fetch(source, to: file)
        } catch FetchError.refused(let refusal) {
            throw RequestError.forbidden("\(field) cannot be fetched: \(refusal.description)", field: field)
        } catch let error as FetchError {
            throw RequestError.badRequest("\(field) could not be read: \(error.description)", field: field)
        }
    }
}
