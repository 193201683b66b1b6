/// The paths of Ocean's provider API that Sluice serves (contract section 1).
enum Paths {
    static let root = "/"
    static let openAPI = "/openapi.json"
    static let nonce = "/api/services/nonce"
    static let computeEnvironments = "/api/services/computeEnvironments"
    static let compute = "/api/services/compute"
    static let computeResult = "/api/services/computeResult"
    static let initializeCompute = "/api/services/initializeCompute"
    static let fileinfo = "/api/services/fileinfo"
    static let encrypt = "/api/services/encrypt"
    static let ddo = "/api/aquarius/assets/ddo"
    static let metadata = "/api/aquarius/assets/metadata"
    static let validateDDO = "/api/aquarius/assets/ddo/validate"
    static let query = "/api/aquarius/assets/query"
    static let sluiceAssets = "/api/sluice/assets"
    static let sluiceTokens = "/api/sluice/tokens"
    static let sluiceOrders = "/api/sluice/orders"
}
