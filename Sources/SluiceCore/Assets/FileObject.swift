/// File objects: how a publisher describes a service's files inside its encrypted file
/// list. They become `DataSource`s, which the node alone reads.
public enum FileObject {
    /// Parses Ocean's url file object, `{"type": "url", "url": "https://…", "method": "GET"}`,
    /// or Sluice's `{"type": "local", "path": "/…"}`. `path` names the object in messages,
    /// which never repeat the URL or path.
    public static func parse(_ value: JSONValue, path: String) throws(RequestError) -> DataSource {
        guard let object = value.objectValue else { throw .badRequest("\(path) must be an object", field: path) }
        switch object["type"]?.stringValue {
        case "url":
            guard let url = object["url"]?.stringValue, url.hasPrefix("https://") || url.hasPrefix("http://"),
                  url.utf8.count > 8, url.utf8.count <= 2048 else {
                throw .badRequest("\(path).url must be an http or https URL", field: "\(path).url")
            }
            if let method = object["method"]?.stringValue, method.uppercased() != "GET" {
                throw .badRequest("\(path).method must be GET: the node fetches files with GET", field: "\(path).method")
            }
            if let headers = object["headers"]?.objectValue, !headers.isEmpty {
                throw .badRequest("\(path).headers are not supported: put access in the URL the node fetches", field: "\(path).headers")
            }
            return .url(url)
        case "local":
            guard let local = object["path"]?.stringValue, local.hasPrefix("/"), !local.contains("\0") else {
                throw .badRequest("\(path).path must be an absolute path on the node", field: "\(path).path")
            }
            return .path(local)
        default:
            throw .badRequest("\(path).type must be \"url\" or \"local\"", field: "\(path).type")
        }
    }
}

extension DataSource {
    /// The file object this source is written as inside an encrypted file list.
    public var fileObject: JSONValue {
        switch self {
        case .url(let url): return .object(["type": .string("url"), "url": .string(url), "method": .string("GET")])
        case .path(let path): return .object(["type": .string("local"), "path": .string(path)])
        }
    }
}
