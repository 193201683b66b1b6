import Foundation
import SluiceCore

/// Puts a job's algorithm, inputs, DDOs and custom data into its workspace and turns
/// the container section into a sandbox request. Failures name the input and the
/// reason, never the source.
struct Provisioner: Sendable {
    let specification: JobSpecification
    let environment: ComputeEnvironment
    let workspace: Workspace
    let fetcher: SourceFetcher
    let backend: any SandboxBackend
    let log: LogFile

    typealias Failure = JobExecution.ProvisioningFailure

    func provision(jobId: String, user: SandboxUser, limits: JobLimits) async throws -> SandboxRequest {
        let container = specification.algorithm.container
        let command = Entrypoint.command(container.entrypoint)
        let image: SandboxImage
        do {
            image = try await backend.prepareImage(container, command: command, environment: environment, log: log)
        } catch let refusal as SandboxRefusal {
            throw Failure(status: .algorithmProvisioningFailed, message: refusal.description)
        }
        try await provisionAlgorithm()
        var directoryNames: [String] = []
        for (index, input) in specification.inputs.enumerated() {
            directoryNames.append(try await provisionInput(input, index: index))
        }
        try writeDocuments()
        log.line("provisioned \(specification.inputs.count) dataset(s) and the algorithm")
        let variables = [
            "DIDS": Self.jsonArray(directoryNames),
            "TRANSFORMATION_DID": specification.algorithm.did ?? "",
            "VOLUME": "/data", "INPUTS": "/data/inputs", "OUTPUTS": "/data/outputs", "LOGS": "/data/logs",
            "ALGO": Entrypoint.algorithmPath,
        ]
        return SandboxRequest(jobId: jobId, workspace: workspace, command: command, environment: variables,
                              container: container, image: image, limits: limits, user: user)
    }

    private func provisionAlgorithm() async throws {
        switch specification.algorithm.code {
        case .raw(let code):
            guard FileManager.default.createFile(atPath: workspace.algorithm.path, contents: Data(code.utf8),
                                                 attributes: [.posixPermissions: 0o644]) else {
                throw Failure(status: .algorithmProvisioningFailed, message: "the node could not write the algorithm")
            }
        case .file(let source):
            do {
                try await fetcher.fetch(source, to: workspace.algorithm)
            } catch let error as FetchError {
                throw Failure(status: .algorithmProvisioningFailed, message: "the algorithm's file could not be fetched: \(error)")
            }
        }
        chmod(workspace.algorithm.path, 0o644)
    }

    /// Fetches the dataset's files to `inputs/<did>/<n>`; returns the directory name.
    private func provisionInput(_ input: JobInput, index: Int) async throws -> String {
        guard let name = Workspace.directoryName(of: input.did) else {
            throw Failure(status: .dataProvisioningFailed, message: "dataset \(index) has an unusable DID")
        }
        let directory = workspace.inputs.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o755])
        chmod(directory.path, 0o755)
        for (fileIndex, source) in input.files.enumerated() {
            let destination = directory.appendingPathComponent(String(fileIndex))
            do {
                try await fetcher.fetch(source, to: destination)
            } catch let error as FetchError {
                throw Failure(status: .dataProvisioningFailed,
                              message: "file \(fileIndex) of dataset \(input.did) could not be fetched: \(error)")
            }
            chmod(destination.path, 0o644)
        }
        log.line("dataset \(input.did): \(input.files.count) file(s)")
        return name
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
