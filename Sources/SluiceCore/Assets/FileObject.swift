/// One file of a service, as the publisher describes it inside the encrypted file list.
/// Never shown to consumers or algorithms.
public enum FileObject: Sendable, Equatable {
    /// Fetched by the node over http(s).
    case url(String, method: String, headers: [String: String])
    /// A path on the node, for data the operator hosts; only inside the configured roots.
    case local(String)

    /// Parses Ocean's file object: `{"type": "url", "url": ..., "method": "GET", "headers": {}}`
    /// or Sluice's `{"type": "local", "path": ...}`. `path` names the object in messages.
    public static func parse(_ value: JSONValue, path: String) throws(RequestError) -> FileObject {
        guard let object = value.objectValue else { throw .badRequest("\(path) must be an object", field: path) }
        switch object["type"]?.stringValue {
        case "url":
            guard let url = object["url"]?.stringValue, url.hasPrefix("https://") || url.hasPrefix("http://"),
                  url.utf8.count > 8, url.utf8.count <= 2048 else {
                throw .badRequest("\(path).url must be an http or https URL", field: "\(path).url")
            }
            let method = (object["method"]?.stringValue ?? "GET").uppercased()
            guard method == "GET" || method == "POST" else {
                throw .badRequest("\(path).method must be GET or POST", field: "\(path).method")
            }
            var headers: [String: String] = [:]
            if let given = object["headers"], !given.isNull {
                guard let members = given.objectValue else { throw .badRequest("\(path).headers must be an object", field: "\(path).headers") }
                for (name, value) in members {
                    guard let text = value.stringValue else {
                        throw .badRequest("\(path).headers.\(name) must be a string", field: "\(path).headers")
                    }
                    headers[name] = text
                }
            }
            return .url(url, method: method, headers: headers)
        case "local":
            guard let local = object["path"]?.stringValue, local.hasPrefix("/"), !local.contains("\0") else {
                throw .badRequest("\(path).path must be an absolute path on the node", field: "\(path).path")
            }
            return .local(local)
        default:
            throw .badRequest("\(path).type must be \"url\" or \"local\"", field: "\(path).type")
        }
    }

    public var json: JSONValue {
        switch self {
        case .url(let url, let method, let headers):
            return .object(["type": .string("url"), "url": .string(url), "method": .string(method),
                            "headers": .object(headers.mapValues { .string($0) })])
        case .local(let path):
            return .object(["type": .string("local"), "path": .string(path)])
        }
    }
}
