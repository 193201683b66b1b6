/// The paths of Ocean's provider API that Sluice serves (contract section 1), and its
/// own: the one table the node's routes and the SDK's calls both use.
public enum Paths {
    public static let root = "/"
    public static let openAPI = "/openapi.json"
    public static let nonce = "/api/services/nonce"
    public static let computeEnvironments = "/api/services/computeEnvironments"
    public static let compute = "/api/services/compute"
    public static let computeResult = "/api/services/computeResult"
    public static let computeReview = "/api/services/computeReview"
    public static let computeStreamableLogs = "/api/services/computeStreamableLogs"
    public static let initializeCompute = "/api/services/initializeCompute"
    public static let fileinfo = "/api/services/fileinfo"
    public static let encrypt = "/api/services/encrypt"
    public static let ddo = "/api/aquarius/assets/ddo"
    public static let metadata = "/api/aquarius/assets/metadata"
    public static let validateDDO = "/api/aquarius/assets/ddo/validate"
    public static let query = "/api/aquarius/assets/query"
    public static let sluiceAssets = "/api/sluice/assets"
    public static let sluiceTokens = "/api/sluice/tokens"
    public static let sluiceOrders = "/api/sluice/orders"
    public static let sluiceHealth = "/api/sluice/health"
    /// The operator's: Prometheus metrics and the dashboard's pages (README, The operator's view).
    public static let metrics = "/metrics"
    public static let dashboard = "/dashboard"
}
