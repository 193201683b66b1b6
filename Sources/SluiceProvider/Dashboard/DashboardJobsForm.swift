import Foundation
import Hummingbird
import SluiceCore

/// The jobs page's filter form, as its query string sends it: empty fields are no filter.
/// Dates are `YYYY-MM-DD` (what `<input type="date">` sends), read as UTC days.
struct DashboardJobsForm {
    let status: String?
    let owner: String?
    let dataset: String?
    let from: String?
    let until: String?

    init(_ request: Request) {
        let query = request.uri.queryParameters
        func field(_ name: String) -> String? {
            guard let value = query.get(name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        status = field("status")
        owner = field("owner")
        dataset = field("dataset")
        from = field("from")
        until = field("until")
    }

    /// The filter the form asks for; a field that does not read is refused by name.
    func filter() throws(RequestError) -> JobFilter {
        var filter = JobFilter()
        if let status {
            guard let code = Int(status).flatMap(JobStatusCode.init(rawValue:)) else {
                throw .badRequest("status must be one of the status codes (\(JobStatusCode.allCases.map { String($0.rawValue) }.joined(separator: ", ")))", field: "status")
            }
            filter.status = code
        }
        if let owner {
            guard let address = EthereumAddress(owner) else {
                throw .badRequest("owner must be an Ethereum address: 0x followed by 40 hex digits", field: "owner")
            }
            filter.owner = address
        }
        if let dataset {
            guard dataset.utf8.count <= 200 else { throw .badRequest("dataset must be a DID", field: "dataset") }
            filter.documentId = dataset
        }
        if let from { filter.createdFrom = try Self.day(from, field: "from") }
        // Inclusive: jobs created before the end of that day.
        if let until { filter.createdUntil = try Self.day(until, field: "until") + 86_400 }
        return filter
    }

    /// The start of a UTC day, Unix seconds.
    static func day(_ text: String, field: String) throws(RequestError) -> Double {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1970...9999).contains(year), (1...12).contains(month), (1...31).contains(day) else {
            throw .badRequest("\(field) must be a date, YYYY-MM-DD", field: field)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else {
            throw .badRequest("\(field) must be a date, YYYY-MM-DD", field: field)
        }
        return date.timeIntervalSince1970
    }
}
