/// The state a data NFT's owner sets with `setMetaDataState` (Ocean's `MetadataStates`),
/// kept in a DDO's `nft.state`.
public enum MetadataState: Int, Sendable, CaseIterable {
    case active = 0
    case endOfLife = 1
    case deprecated = 2
    case revoked = 3
    case orderingDisabled = 4
    /// Hidden from listings, still orderable.
    case unlisted = 5

    /// Ocean's node orders and computes on active and unlisted assets only.
    public var allowsOrdering: Bool { self == .active || self == .unlisted }

    public var name: String {
        switch self {
        case .active: "active"
        case .endOfLife: "end-of-life"
        case .deprecated: "deprecated"
        case .revoked: "revoked"
        case .orderingDisabled: "ordering-disabled"
        case .unlisted: "unlisted"
        }
    }
}

extension DDO {
    /// Refuses an asset whose publisher set a state that forbids ordering (an unknown
    /// state is refused too: it was not set to allow anything).
    public func requireOrderable(field: String) throws(RequestError) {
        let state = MetadataState(rawValue: nft.state)
        guard let state, state.allowsOrdering else {
            let name = state.map { "\($0.name) (state \($0.rawValue))" } ?? "in unknown state \(nft.state)"
            throw .forbidden("asset \(id) is \(name): its publisher does not allow ordering or computing on it", field: field)
        }
    }
}
