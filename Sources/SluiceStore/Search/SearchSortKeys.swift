import GRDB

/// The fields clients commonly sort by, kept ready in `assetSortKey`: one row per asset and
/// field, holding what a sort reads of the field — its least value (sorting ascending) and
/// greatest (descending), as a number and as folded text. Other fields are sorted by
/// computing those from `assetField` per match, four index searches a row, which at tens of
/// thousands of matches is hundreds of milliseconds; here it is one search of a table whose
/// rows for one field lie together (its key starts with the path), so they stay in cache.
///
/// The values are computed by SQLite from the asset's `assetField` rows just written, with
/// the same `min`/`max` the per-match lookup uses, so a field sorts alike either way. An
/// asset without the field has no row: the sort's join finds NULLs, which sort as missing.
enum SearchSortKeys {
    /// What Ocean's market and clients sort by. Each is a single value in a DDO, but a list
    /// would sort right too (least and greatest are what is kept).
    static let paths: Set<String> = [
        "chainId", "metadata.created", "metadata.updated", "metadata.name", "metadata.type", "metadata.author",
        "nft.owner", "nft.state", "nft.created", "event.block", "stats.orders", "stats.price.value", "stats.allocated",
    ]

    /// The column of `assetSortKey` a sort reads: `kind` is `number` or `folded` (the
    /// `assetField` columns).
    static func column(descending: Bool, kind: String) -> String {
        (descending ? "max" : "min") + (kind == "number" ? "Number" : "Folded")
    }

    static func createTable(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE assetSortKey (
                path TEXT NOT NULL, id INTEGER NOT NULL,
                minNumber REAL, maxNumber REAL, minFolded TEXT, maxFolded TEXT,
                PRIMARY KEY (path, id)
            ) WITHOUT ROWID
            """)
    }

    /// Replaces asset `id`'s rows with ones computed from its `assetField` rows.
    static func write(_ db: Database, id: Int64) throws {
        // The paths are the constants above, inlined: nothing from a request reaches this SQL.
        let list = paths.sorted().map { "'\($0)'" }.joined(separator: ", ")
        try db.cachedStatement(sql: "DELETE FROM assetSortKey WHERE path IN (\(list)) AND id = ?").execute(arguments: [id])
        try db.cachedStatement(sql: """
            INSERT INTO assetSortKey (path, id, minNumber, maxNumber, minFolded, maxFolded)
            SELECT path, id, min(number), max(number), min(folded), max(folded)
            FROM assetField WHERE id = ? AND path IN (\(list)) GROUP BY path
            """).execute(arguments: [id])
    }
}
