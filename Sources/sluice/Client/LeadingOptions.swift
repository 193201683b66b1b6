/// `sluice --node URL compute status JOB`: the options every client command takes are
/// accepted before the command's name too. swift-argument-parser reads a subcommand's
/// options only after its name, so they are moved to the end before parsing.
enum LeadingOptions {
    static let withValue: Set<String> = ["--node", "--chain", "--wallet", "--wallet-dir", "--password-file"]
    static let flags: Set<String> = ["--json"]

    static func hoisted(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            let name = String(argument.prefix { $0 != "=" })
            if flags.contains(argument) || (withValue.contains(name) && argument.contains("=")) {
                leading.append(argument)
                i += 1
            } else if withValue.contains(argument), i + 1 < arguments.count {
                leading += [argument, arguments[i + 1]]
                i += 2
            } else {
                break
            }
        }
        // Nothing to move, or nothing to move it behind (`sluice --node X` alone).
        guard !leading.isEmpty, i < arguments.count, !arguments[i...].contains("--") else { return arguments }
        return Array(arguments[i...]) + leading
    }
}
