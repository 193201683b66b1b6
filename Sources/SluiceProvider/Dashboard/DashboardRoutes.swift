import Foundation
import Hummingbird
import Mustache
import NIOCore
import SluiceApplication
import SluiceCore

extension Router {
    /// The operator's dashboard under `/dashboard`: server-rendered pages from the
    /// `OperatorView` queries, behind the operator's token. Without `operatorTokenFile`
    /// every page answers 404, as an unknown route does.
    func addDashboardRoutes(node: SluiceNode) throws {
        let pages = try DashboardRenderer(node: node)
        let view = OperatorView(node: node)
        get(RouterPath(Paths.dashboard)) { request, _ in
            try await pages.guarded(request) {
                pages.page("Overview", "overview", DashboardPages.overview(await view.environments(), await view.storage()))
            }
        }
        get(RouterPath(Paths.dashboard + "/jobs")) { request, _ in
            try await pages.guarded(request) {
                let form = DashboardJobsForm(request)
                let filter = try form.filter()
                return pages.page("Jobs", "jobs", DashboardPages.jobs(try await view.jobs(filter), form: form, filter: filter))
            }
        }
        get(RouterPath(Paths.dashboard + "/jobs/:jobId")) { request, context in
            try await pages.guarded(request) {
                let id = context.parameters.get("jobId") ?? ""
                guard let job = try await view.job(id: id) else { throw RequestError.notFound("no job \(id) on this node", field: "jobId") }
                let model = DashboardPages.job(job, environment: node.config.environment(id: job.record.environment))
                return pages.page("Job \(id)", "job", model, refresh: model.live ? DashboardPages.liveRefreshSeconds : nil)
            }
        }
        get(RouterPath(Paths.dashboard + "/assets")) { request, _ in
            try await pages.guarded(request) {
                pages.page("Assets", "assets", DashboardPages.assets(try await view.assets()))
            }
        }
        get(RouterPath(Paths.dashboard + "/login")) { request, _ in
            try pages.requireEnabled(request)
            return pages.login(message: nil, status: .ok)
        }
        post(RouterPath(Paths.dashboard + "/login")) { request, _ in
            try pages.requireEnabled(request)
            let body = try await request.body.collect(upTo: 4096)
            let form = try? URLEncodedFormDecoder().decode(LoginForm.self, from: String(buffer: body))
            guard let token = node.operatorAccess.token, let presented = form?.token, token.admits(token: presented) else {
                return pages.login(message: "That is not the operator's token.", status: .unauthorized)
            }
            return pages.redirect(to: Paths.dashboard, cookie: pages.sessionCookie(token.sessionValue))
        }
        post(RouterPath(Paths.dashboard + "/logout")) { request, _ in
            try pages.requireEnabled(request)
            return pages.redirect(to: Paths.dashboard + "/login", cookie: pages.sessionCookie(nil))
        }
    }
}

struct LoginForm: Decodable {
    let token: String?
}

/// Renders the dashboard's pages and applies its one access rule to each.
struct DashboardRenderer: Sendable {
    let library: MustacheLibrary
    let node: SluiceNode

    init(node: SluiceNode) throws {
        library = try DashboardTemplates.library()
        self.node = node
    }

    /// No operator token configured: no dashboard (404, as for an unknown route).
    func requireEnabled(_ request: Request) throws(RequestError) {
        guard node.operatorAccess.token != nil else { throw .notFound("no route \(request.method) \(request.uri.path)") }
    }

    /// Runs `body` for the operator; anyone else gets the login form with 401.
    func guarded(_ request: Request, _ body: () async throws -> Response) async throws -> Response {
        let credentials = OperatorCredentials(request)
        switch node.operatorAccess.dashboard(bearer: credentials.bearer, session: credentials.session) {
        case .disabled:
            throw RequestError.notFound("no route \(request.method) \(request.uri.path)")
        case .refused:
            let presented = credentials.bearer != nil || credentials.session != nil
            return login(message: presented ? "That is not the operator's token, or the login has ended." : nil, status: .unauthorized)
        case .allowed:
            return try await body()
        }
    }

    func page(_ title: String, _ template: String, _ model: Any, status: HTTPResponse.Status = .ok, nav: Bool = true,
              refresh: Int? = nil) -> Response {
        let body = library.render(model, withTemplate: template) ?? ""
        let layout = DashboardPages.Layout(title: title, body: body, nav: nav, provider: node.providerAddress.checksummed,
                                           chainId: node.config.chainId, refresh: refresh)
        var headers = Self.headers
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: library.render(layout, withTemplate: "layout") ?? "")))
    }

    func login(message: String?, status: HTTPResponse.Status) -> Response {
        page("Login", "login", DashboardPages.Login(message: message), status: status, nav: false)
    }

    func redirect(to location: String, cookie: String) -> Response {
        var headers = Self.headers
        headers[.location] = location
        headers[.setCookie] = cookie
        headers[.contentLength] = "0"
        return Response(status: .seeOther, headers: headers)
    }

    /// The login's cookie (nil clears it): HttpOnly, SameSite=Strict, and Secure when the
    /// node is reached over https. Path `/`, so `/metrics` reads it too.
    func sessionCookie(_ value: String?) -> String {
        var cookie = "\(OperatorCredentials.cookieName)=\(value ?? ""); Path=/; HttpOnly; SameSite=Strict"
        if value == nil { cookie += "; Max-Age=0" }
        if node.config.baseURL.lowercased().hasPrefix("https://") { cookie += "; Secure" }
        return cookie
    }

    /// Pages are private and never framed; the one inline script is the time-zone rewrite.
    static let headers: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .cacheControl: "no-store",
        .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    ]
}
