import Foundation
import SluiceCore

/// Puts a job's algorithm, inputs, DDOs and custom data into its workspace and turns
/// the container section into a sandbox request. Each source is fetched once, hashed as
/// it is written, and its digest returned for the job record. Failures name the input
/// and the reason, never the source.
struct Provisioner: Sendable {
    let specification: JobSpecification
    let environment: ComputeEnvironment
    let workspace: Workspace
    let fetcher: SourceFetcher
    /// The only place `.staged` algorithm files may come from.
    let stagingRoot: URL
    let backend: any SandboxBackend
    let log: LogFile

    typealias Failure = JobExecution.ProvisioningFailure

    func provision(jobId: String, user: SandboxUser, limits: JobLimits) async throws -> (SandboxRequest, [FileDigest]) {
        let container = specification.algorithm.container
        let command = Entrypoint.command(container.entrypoint)
        let image: SandboxImage
        do {
            image = try await backend.prepareImage(container, command: command, environment: environment, log: log)
        } catch let refusal as SandboxRefusal {
            throw Failure(status: .algorithmProvisioningFailed, message: refusal.description)
        }
        var digests = [try await provisionAlgorithm()]
        var directoryNames: [String] = []
        for (index, input) in specification.inputs.enumerated() {
            let (name, inputDigests) = try await provisionInput(input, index: index)
            directoryNames.append(name)
            digests += inputDigests
        }
        try writeDocuments()
        log.line("provisioned \(specification.inputs.count) dataset(s) and the algorithm")
        let variables = [
            "DIDS": Self.jsonArray(directoryNames),
            "TRANSFORMATION_DID": specification.algorithm.did ?? "",
            "VOLUME": "/data", "INPUTS": "/data/inputs", "OUTPUTS": "/data/outputs", "LOGS": "/data/logs",
            "ALGO": Entrypoint.algorithmPath,
        ]
        let request = SandboxRequest(jobId: jobId, workspace: workspace, command: command, environment: variables,
                                     container: container, image: image, limits: limits, user: user)
        return (request, digests)
    }

    private func provisionAlgorithm() async throws -> FileDigest {
        let fetched: FetchedFile
        switch specification.algorithm.code {
        case .raw(let code):
            guard let written = try? fetcher.write(Array(code.utf8), to: workspace.algorithm) else {
                throw Failure(status: .algorithmProvisioningFailed, message: "the node could not write the algorithm")
            }
            fetched = written
        case .file(let source):
            do {
                fetched = try await fetcher.fetch(source, to: workspace.algorithm)
            } catch let error as FetchError {
                throw Failure(status: .algorithmProvisioningFailed, message: "the algorithm's file could not be fetched: \(error)")
            }
        case .staged(let staged):
            fetched = try provisionStaged(staged)
        }
        chmod(workspace.algorithm.path, 0o644)
        return FileDigest(role: .algorithm, source: specification.algorithm.did ?? "raw", index: 0,
                          sha256: fetched.sha256, size: fetched.size)
    }

    /// Copies the bytes checked at start into the workspace, hashing them again: only
    /// those bytes may run. The staged copy is removed either way.
    private func provisionStaged(_ staged: StagedFile) throws -> FetchedFile {
        let root = stagingRoot.standardizedFileURL.path + "/"
        guard URL(fileURLWithPath: staged.path).standardizedFileURL.path.hasPrefix(root) else {
            throw Failure(status: .algorithmProvisioningFailed, message: "the algorithm's checked file is not in the node's staging area")
        }
        defer { SourceStager.discard([staged], under: stagingRoot) }
        let fetched: FetchedFile
        do {
            fetched = try fetcher.copyLocal(staged.path, to: workspace.algorithm)
        } catch {
            throw Failure(status: .algorithmProvisioningFailed,
                          message: "the algorithm's checked file is gone (was the node's staging area cleaned?); start the job again")
        }
        guard fetched.sha256 == staged.sha256 else {
            throw Failure(status: .algorithmProvisioningFailed,
                          message: "the algorithm's bytes are not the ones checked against the dataset's trusted algorithms; it was not run")
        }
        return fetched
    }

    /// Fetches the dataset's files to `inputs/<did>/<n>`; returns the directory name and
    /// the files' digests.
    private func provisionInput(_ input: JobInput, index: Int) async throws -> (String, [FileDigest]) {
        guard let name = Workspace.directoryName(of: input.did) else {
            throw Failure(status: .dataProvisioningFailed, message: "dataset \(index) has an unusable DID")
        }
        let directory = workspace.inputs.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o755])
        chmod(directory.path, 0o755)
        var digests: [FileDigest] = []
        for (fileIndex, source) in input.files.enumerated() {
            let destination = directory.appendingPathComponent(String(fileIndex))
            do {
                let fetched = try await fetcher.fetch(source, to: destination)
                digests.append(FileDigest(role: .dataset, source: input.did, index: fileIndex, sha256: fetched.sha256, size: fetched.size))
            } catch let error as FetchError {
                throw Failure(status: .dataProvisioningFailed,
                              message: "file \(fileIndex) of dataset \(input.did) could not be fetched: \(error)")
            }
            chmod(destination.path, 0o644)
        }
        log.line("dataset \(input.did): \(input.files.count) file(s)")
        return (name, digests)
    }

    private func writeDocuments() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var documents: [(String, JSONValue)] = specification.inputs.compactMap { input in
            guard let ddo = input.ddo, let name = Workspace.directoryName(of: input.did) else { return nil }
            return (workspace.ddos.appendingPathComponent(name).path, ddo)
        }
        if let did = specification.algorithm.did, let ddo = specification.algorithm.ddo,
           let name = Workspace.directoryName(of: did) {
            documents.append((workspace.ddos.appendingPathComponent(name).path, ddo))
        }
        if let custom = specification.algoCustomData {
            documents.append((workspace.inputs.appendingPathComponent("algoCustomData.json").path, custom))
        }
        if let userdata = specification.userdata {
            documents.append((workspace.inputs.appendingPathComponent("userdata.json").path, userdata))
        }
        for (path, value) in documents {
            guard let data = try? encoder.encode(value),
                  FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o644]) else {
                throw Failure(status: .dataProvisioningFailed, message: "the node could not write the job's documents")
            }
            chmod(path, 0o644)
        }
    }

    static func jsonArray(_ items: [String]) -> String {
        let data = (try? JSONEncoder().encode(items)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
