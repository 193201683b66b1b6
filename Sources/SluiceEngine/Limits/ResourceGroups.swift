/// Picks how this host limits jobs: cgroup v2 where the unified hierarchy is mounted
/// with its controllers, cgroup v1 otherwise, rlimits when neither can be used.
enum ResourceGroups {
    static func detect(mountRoot: String = "/sys/fs/cgroup") -> (any ResourceGroupFactory)? {
        if let v2 = CgroupV2Factory(mountRoot: mountRoot) { return v2 }
        if let v1 = CgroupV1Factory(mountRoot: mountRoot) { return v1 }
        return nil
    }
}
